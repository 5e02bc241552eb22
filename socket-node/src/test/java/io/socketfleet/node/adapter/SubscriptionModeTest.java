package io.socketfleet.node.adapter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The channel decisions of createShardedAdapter's subscriptionMode values, publisher and subscriber side. */
class SubscriptionModeTest {

    private static final String SOCKET_ID = "aBcDeFgHiJkLmNoPqRsT"; // socket.io ids are 20 characters

    @Test
    void staticKeepsEverythingOnTheNamespacesChannel() {
        assertFalse(SubscriptionMode.STATIC.subscribesTo(false));
        assertFalse(SubscriptionMode.STATIC.subscribesTo(true));
        assertFalse(SubscriptionMode.STATIC.publishesOnRoomChannel("lobby"));
    }

    @Test
    void dynamicGivesPublicRoomsAChannelButNotSocketIds() {
        assertTrue(SubscriptionMode.DYNAMIC.subscribesTo(false));
        assertFalse(SubscriptionMode.DYNAMIC.subscribesTo(true));
        assertTrue(SubscriptionMode.DYNAMIC.publishesOnRoomChannel("lobby"));
        assertFalse(SubscriptionMode.DYNAMIC.publishesOnRoomChannel(SOCKET_ID),
                "the publisher cannot know another node's socket ids: a 20-character room stays on the namespace's channel");
    }

    @Test
    void dynamicPrivateGivesEveryRoomAChannel() {
        assertTrue(SubscriptionMode.DYNAMIC_PRIVATE.subscribesTo(true));
        assertTrue(SubscriptionMode.DYNAMIC_PRIVATE.subscribesTo(false));
        assertTrue(SubscriptionMode.DYNAMIC_PRIVATE.publishesOnRoomChannel(SOCKET_ID));
    }

    @Test
    void namesAreTheNodeOptionsValues() {
        assertEquals(SubscriptionMode.DYNAMIC_PRIVATE, SubscriptionMode.of("dynamic-private"));
        assertEquals("static", SubscriptionMode.STATIC.wireName());
        assertThrows(IllegalArgumentException.class, () -> SubscriptionMode.of("DYNAMIC"));
    }
}
