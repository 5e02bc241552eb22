package io.socketfleet.bench;

/** Servers behind one nginx address that a scenario can grow: socket-node's local fleet, or Node socket.io's. */
interface ScalableFleet extends AutoCloseable {

    /** Where clients connect: nginx. */
    String url();

    /** Grows to this many servers and returns once nginx routes new connections to all of them. */
    void scale(int nodes) throws Exception;
}
