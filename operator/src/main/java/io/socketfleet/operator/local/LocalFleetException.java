package io.socketfleet.operator.local;

/** Local mode cannot go on; the message says why and, where it can, what to do. */
public final class LocalFleetException extends Exception {
    public LocalFleetException(String message) {
        super(message);
    }

    public LocalFleetException(String message, Throwable cause) {
        super(message, cause);
    }
}
