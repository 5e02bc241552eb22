package io.socketfleet.node.adapter;

import java.util.List;

/**
 * The answers a fleet-wide request collected: {@code complete} when every server (or client)
 * expected answered, false when the deadline came first — then {@code values} holds the
 * answers that did come, so a node that died or a client that never acknowledges costs the
 * wait, not the other answers.
 */
public record Collected<T>(List<T> values, boolean complete) {

    public Collected {
        values = List.copyOf(values);
    }
}
