package io.socketfleet.node.socketio;

/** Answers a client's emit that asked for an acknowledgement. Sending twice sends once. */
public interface Ack {

    Ack NONE = new Ack() {
        @Override
        public void send(Object... args) {
        }

        @Override
        public boolean requested() {
            return false;
        }
    };

    void send(Object... args);

    /** Whether the client asked for an acknowledgement at all. */
    boolean requested();
}
