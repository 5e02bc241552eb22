package io.socketfleet.node.lifecycle;

/**
 * One node's sessions as it last published them.
 *
 * @param sessions open Engine.IO sessions
 * @param draining whether the node is leaving: its sessions still count, the node does not take new ones
 * @param opened   sessions it opened in the second before it published: whether the load balancer hands it
 *                 new clients, and about how many more it may hold by the time another node reads this
 */
public record NodeLoad(int sessions, boolean draining, int opened) {

    /** A load that says nothing about new sessions (as nodes published it before they did). */
    public NodeLoad(int sessions, boolean draining) {
        this(sessions, draining, 0);
    }

    /** The value stored for it: the count, then its flags, e.g. {@code "1234"}, {@code "1234 draining"}, {@code "12 +5"}. */
    String encode() {
        return sessions + (draining ? " draining" : "") + (opened > 0 ? " +" + opened : "");
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
            int opened = 0;
            for (int i = 1; i < parts.length; i++) {
                draining |= parts[i].equals("draining");
                if (parts[i].startsWith("+")) {
                    opened = Math.max(0, Integer.parseInt(parts[i].substring(1)));
                }
            }
            return sessions < 0 ? null : new NodeLoad(sessions, draining, opened);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
