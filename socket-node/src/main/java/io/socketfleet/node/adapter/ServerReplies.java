package io.socketfleet.node.adapter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Collects one answer per server to a fleet-wide request. How many servers to wait for may be
 * known only after the request went out (and answers may come before that); the result
 * completes when that many answered, or at the deadline with the answers that came.
 */
final class ServerReplies<T> {

    private final List<T> values = new ArrayList<>();
    private final CompletableFuture<Collected<T>> result = new CompletableFuture<>();
    private int expected = -1;

    ServerReplies(Duration timeout) {
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(this::expire);
    }

    /** How many servers answer in all (counting this one, when it adds its own answer). */
    synchronized void expect(int servers) {
        expected = servers;
        completeIfDone();
    }

    synchronized void add(T value) {
        if (!result.isDone()) {
            values.add(value);
            completeIfDone();
        }
    }

    /** No one else will answer (the request could not be sent): the answers so far, marked incomplete. */
    synchronized void giveUp() {
        result.complete(new Collected<>(values, false));
    }

    private synchronized void expire() {
        result.complete(new Collected<>(values, false));
    }

    private void completeIfDone() {
        if (expected >= 0 && values.size() >= expected) {
            result.complete(new Collected<>(values, true));
        }
    }

    CompletableFuture<Collected<T>> result() {
        return result;
    }
}
