package io.socketfleet.node.lifecycle;

/**
 * One node's sessions as it last published them.
 *
 * @param sessions open Engine.IO sessions
 * @param draining whether the node is leaving: its sessions still count, the node does not take new ones
 */
public record NodeLoad(int sessions, boolean draining) {

    /** The value stored for it: {@code "1234"} or {@code "1234 draining"}. */
    String encode() {
        return draining ? sessions + " draining" : Integer.toString(sessions);
    }

    /** Reads {@link #encode()}'s text back; null for text no node writes. */
    static NodeLoad decode(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.strip().split(" ");
        try {
            int sessions = Integer.parseInt(parts[0]);
            boolean draining = parts.length > 1 && parts[1].equals("draining");
            return sessions < 0 ? null : new NodeLoad(sessions, draining);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
