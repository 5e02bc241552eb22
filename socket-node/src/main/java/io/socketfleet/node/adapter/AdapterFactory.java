package io.socketfleet.node.adapter;

/** Makes the adapter of each namespace: local only, or one that spans the fleet. */
@FunctionalInterface
public interface AdapterFactory {

    Adapter create(String namespace, LocalSockets sockets);

    /** Called once when the node stops. */
    default void close() {
    }

    static AdapterFactory local() {
        return Adapter::new;
    }
}
