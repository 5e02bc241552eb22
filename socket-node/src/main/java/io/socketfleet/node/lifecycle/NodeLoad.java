package io.socketfleet.node.lifecycle;

/**
 * One node's sessions as it last published them.
 *
 * @param sessions open Engine.IO sessions
 * @param draining whether the node is leaving: its sessions still count, the node does not take new ones
 * @param taking   whether it opened new sessions since it last published: the load balancer hands it clients,
 *                 so a busy node may turn handshakes away knowing they end up somewhere
 */
public record NodeLoad(int sessions, boolean draining, boolean taking) {

    /** A load that says nothing about taking new sessions (as nodes published it before they did). */
    public NodeLoad(int sessions, boolean draining) {
        this(sessions, draining, false);
    }

    /** The value stored for it: the count, then its flags, e.g. {@code "1234"}, {@code "1234 draining"}, {@code "12 taking"}. */
    String encode() {
        return sessions + (draining ? " draining" : "") + (taking ? " taking" : "");
    }

    /** Reads {@link #encode()}'s text back, ignoring flags it does not know; null for text no node writes. */
    static NodeLoad decode(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.strip().split(" ");
        try {
            int sessions = Integer.parseInt(parts[0]);
            boolean draining = false;
            boolean taking = false;
            for (int i = 1; i < parts.length; i++) {
                draining |= parts[i].equals("draining");
                taking |= parts[i].equals("taking");
            }
            return sessions < 0 ? null : new NodeLoad(sessions, draining, taking);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
