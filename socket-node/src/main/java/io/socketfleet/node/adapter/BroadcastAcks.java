package io.socketfleet.node.adapter;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Collects the client acknowledgements of a broadcast, as socket.io's broadcast operator does:
 * every server reports how many of its clients it reached, and the result completes once
 * every expected server reported and that many acks came — or at the deadline with the acks
 * that came.
 */
final class BroadcastAcks {

    private final List<JsonNode> acks = new ArrayList<>();
    private final CompletableFuture<Collected<JsonNode>> result = new CompletableFuture<>();
    private int expectedServers = -1;
    private int serversCounted;
    private int expectedClients;

    BroadcastAcks(Duration timeout) {
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(this::expire);
    }

    /** How many servers will report a client count, this one included. */
    synchronized void expectServers(int servers) {
        expectedServers = servers;
        completeIfDone();
    }

    /** One server reached this many clients. */
    synchronized void clientCount(int clients) {
        serversCounted++;
        expectedClients += clients;
        completeIfDone();
    }

    synchronized void ack(JsonNode value) {
        if (!result.isDone()) {
            acks.add(value);
            completeIfDone();
        }
    }

    private synchronized void expire() {
        result.complete(new Collected<>(acks, false));
    }

    private void completeIfDone() {
        if (expectedServers >= 0 && serversCounted >= expectedServers && acks.size() >= expectedClients) {
            result.complete(new Collected<>(acks, true));
        }
    }

    CompletableFuture<Collected<JsonNode>> result() {
        return result;
    }
}
