package io.socketfleet.node.lifecycle;

/**
 * One node's sessions as it last published them.
 *
 * @param sessions open Engine.IO sessions
 * @param draining whether the node is leaving: its sessions still count, the node does not take new ones
 * @param change   how its sessions changed in the second before it published: growing means the load
 *                 balancer hands it new clients, and about how many more (or fewer) it may hold by the time
 *                 another node reads this
 */
public record NodeLoad(int sessions, boolean draining, int change) {

    /** A load that says nothing about its trend (as nodes published it before they did). */
    public NodeLoad(int sessions, boolean draining) {
        this(sessions, draining, 0);
    }

    /** The value stored for it: the count, then its flags, e.g. {@code "1234"}, {@code "1234 draining"}, {@code "12 +5"}, {@code "80 -3"}. */
    String encode() {
        return sessions + (draining ? " draining" : "") + (change > 0 ? " +" + change : change < 0 ? " " + change : "");
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
            int change = 0;
            for (int i = 1; i < parts.length; i++) {
                draining |= parts[i].equals("draining");
                if (parts[i].startsWith("+") || parts[i].startsWith("-")) {
                    change = Integer.parseInt(parts[i]);
                }
            }
            return sessions < 0 ? null : new NodeLoad(sessions, draining, change);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
