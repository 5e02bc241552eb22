package io.socketfleet.node.adapter;

/**
 * {@code createShardedAdapter}'s {@code subscriptionMode}: which rooms get a sharded channel of
 * their own ({@code socket.io#<nsp>#<room>#}) besides the namespace's channel. A broadcast to exactly
 * one such room (without acks) goes on the room's channel, so only the nodes holding the room receive
 * it; everything else goes on the namespace's channel. Publishers and subscribers decide alike, so
 * every node of a fleet must run the same mode.
 */
public enum SubscriptionMode {
    /** Only the namespace's channel: fewest subscriptions, every node receives every broadcast. */
    STATIC("static"),
    /** A channel per public room; a socket's own room (its id) stays on the namespace's channel. */
    DYNAMIC("dynamic"),
    /** A channel per room, a socket's own room included: a message to one socket reaches its node alone. */
    DYNAMIC_PRIVATE("dynamic-private");

    private final String wireName;

    SubscriptionMode(String wireName) {
        this.wireName = wireName;
    }

    /** The name the Node adapter's option and the REDIS_SUBSCRIPTION_MODE setting use. */
    public String wireName() {
        return wireName;
    }

    public static SubscriptionMode of(String wireName) {
        for (SubscriptionMode mode : values()) {
            if (mode.wireName.equals(wireName)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown subscription mode '" + wireName + "'");
    }

    /** Whether a room this node has gets a channel subscribed: {@code privateRoom} is a socket's own id. */
    boolean subscribesTo(boolean privateRoom) {
        return this == DYNAMIC_PRIVATE || this == DYNAMIC && !privateRoom;
    }

    /**
     * Whether a broadcast to this one room goes on the room's channel, judged as the Node publisher
     * judges it: it cannot know other nodes' socket ids, so under {@code dynamic} a room name of 20
     * characters (a socket id's length) stays on the namespace's channel.
     */
    boolean publishesOnRoomChannel(String room) {
        return this == DYNAMIC_PRIVATE || this == DYNAMIC && room.length() != 20;
    }
}
