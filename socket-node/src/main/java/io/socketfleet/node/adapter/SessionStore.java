package io.socketfleet.node.adapter;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where {@link LiveSessions} keeps sessions: compare-and-set writes, in the order they are made. */
interface SessionStore {

    /**
     * Writes {@code value} for {@code ttlMillis}; with {@code expected} values, only over one of them
     * (none: unconditionally). Completes with whether it was written; writes apply in call order.
     */
    CompletableFuture<Boolean> writeSession(String pid, List<String> expected, String value, long ttlMillis);

    /** Deletes the session if it still holds one of the {@code expected} values. */
    void deleteSession(String pid, List<String> expected);
}
