package io.socketfleet.node.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FairShareTest {

    private static NodeLoad ready(int sessions) {
        return new NodeLoad(sessions, false);
    }

    @Test
    void aNodeAddedToThreeFullOnesMakesEachOfThemShedTheirPartOfItsShare() {
        Map<String, NodeLoad> fleet = Map.of("a", ready(1000), "b", ready(1000), "c", ready(1000), "d", ready(0));
        FairShare share = FairShare.of("a", 1000, fleet, 5);
        assertEquals(750, share.share());
        assertEquals(800, share.allowed(), "750 + the slack of 50, more than 750 × 1.05");
        assertEquals(200, share.excess());
        Map<String, NodeLoad> big = Map.of("a", ready(10_000), "b", ready(10_000), "c", ready(10_000), "d", ready(0));
        assertEquals(7875, FairShare.of("a", 10_000, big, 5).allowed(), "7,500 × 1.05");
        assertFalse(FairShare.of("d", 0, fleet, 5).over(), "the new node sheds nothing");
    }

    @Test
    void withinTheToleranceNothingMoves() {
        Map<String, NodeLoad> fleet = Map.of("a", ready(3900), "b", ready(3700), "c", ready(3650), "d", ready(3750));
        assertFalse(FairShare.of("a", 3900, fleet, 5).over());
        assertTrue(FairShare.of("a", 3900, fleet, 0).over(), "with no tolerance, anything above the mean and the slack moves");
    }

    @Test
    void theNodesOwnCountIsTakenLiveNotFromTheBoard() {
        Map<String, NodeLoad> fleet = Map.of("a", ready(0), "b", ready(100));
        assertEquals(100, FairShare.of("a", 100, fleet, 0).share(), "(100 + 100) / 2");
    }

    @Test
    void drainingNodesCountTowardsTheSessionsButTakeNoShare() {
        Map<String, NodeLoad> fleet = Map.of("a", ready(300), "b", ready(300), "old", new NodeLoad(300, true));
        FairShare share = FairShare.of("a", 300, fleet, 5);
        assertEquals(450, share.share(), "900 sessions over the 2 nodes that take new ones");
        assertFalse(share.over());
        assertTrue(FairShare.of("a", 600, Map.of("b", ready(0), "old", new NodeLoad(300, true)), 5).over(),
                "450 each is the share, so 600 is too many");
    }

    @Test
    void aDrainingNodeNeverRebalances() {
        Map<String, NodeLoad> fleet = Map.of("a", new NodeLoad(900, true), "b", ready(0), "c", ready(0));
        assertFalse(FairShare.of("a", 900, fleet, 5).over());
    }

    @Test
    void aNodeAloneOrUnknownToTheBoardHasNoShareToKeepTo() {
        assertFalse(FairShare.of("a", 500, Map.of(), 5).over());
        assertFalse(FairShare.of("a", 500, Map.of("a", ready(500)), 5).over());
        assertFalse(FairShare.of("a", 500, Map.of("a", ready(500), "b", new NodeLoad(0, true)), 5).over());
    }

    @Test
    void aSmallFleetsChanceImbalanceIsLeftAlone() {
        // 300 sessions over 3 nodes, 100 each on average: up to 150 stays, 151 sheds one.
        assertFalse(FairShare.of("a", 150, Map.of("b", ready(75), "c", ready(75)), 5).over());
        assertEquals(1, FairShare.of("a", 151, Map.of("b", ready(75), "c", ready(74)), 5).excess());
    }

    @Test
    void aNodeAboveItsShareRefusesHandshakesOnlyWhileAnotherWithRoomTakesThem() {
        // The new node gained 10 in its last second; two busy ones lost 5 each.
        NodeLoad newNodeGrowing = new NodeLoad(40, false, 10);
        FairShare hot = FairShare.of("a", 1000, Map.of("b", new NodeLoad(1000, false, -5), "c", new NodeLoad(1000, false, -5),
                "d", newNodeGrowing), 5);
        assertEquals(813, hot.allowed(), "3,050 / 4 + 50: the new node's gain counts, the busy nodes' losses are still on their way");
        assertTrue(hot.refuses(1000));
        assertTrue(hot.refuses(813), "one more would be one to shed");
        assertFalse(hot.refuses(812), "below its limit it takes new sessions again");

        assertFalse(FairShare.of("a", 1000, Map.of("b", ready(1000), "c", ready(1000), "d", ready(0)), 5).refuses(1000),
                "a new node that takes nothing yet (not in nginx's upstream) may be unreachable: the client would be left nowhere");
        assertFalse(FairShare.of("a", 1000, Map.of("b", new NodeLoad(1000, false, 5), "c", ready(1000), "d", ready(0)), 5)
                .refuses(1000), "a node growing but above the limit itself has no room");
        assertFalse(FairShare.of("a", 1000, Map.of("b", ready(1000), "c", ready(1000), "d", new NodeLoad(40, true, 0)), 5)
                .refuses(1000), "a draining node takes none");
        assertFalse(FairShare.of("a", 1000, Map.of("a", new NodeLoad(1000, false, 9), "b", ready(1000), "c", ready(1000),
                "d", ready(0)), 5).refuses(1000), "its own entry is no room elsewhere");
        assertFalse(FairShare.of("a", 700, Map.of("b", ready(1000), "c", ready(1000), "d", newNodeGrowing), 5).refuses(900),
                "a node within its limit when it looked does not start refusing before it looks again");
        assertFalse(FairShare.NONE.refuses(1_000_000), "without a share, nothing is refused");
    }

    @Test
    void clientsAwayBetweenTwoNodesStillCount() {
        // 300 of 3,000 shed and not back yet: counted nowhere, the share would be 675 and 800 too many.
        Map<String, NodeLoad> fleet = Map.of("b", ready(800), "c", ready(800), "d", ready(300));
        assertTrue(FairShare.of("a", 800, fleet, 5).over());
        FairShare share = FairShare.of("a", 800, fleet, 5, 3000);
        assertEquals(750, share.share(), "the fleet held 3,000 a moment ago");
        assertFalse(share.over());
        assertEquals(2700, FairShare.total("a", 800, fleet));
    }

    @Test
    void whileClientsPourInEveryNodeSeesItselfAheadButNoneShedsOrRefuses() {
        // 300 new sessions a second on each node: each reads the others as they were up to a second ago.
        Map<String, NodeLoad> fleet = Map.of("b", new NodeLoad(1000, false, 300), "c", new NodeLoad(1000, false, 300));
        FairShare a = FairShare.of("a", 1300, fleet, 5);
        assertFalse(a.over(), "the others hold about as many by now: shedding would only move clients that were fine");
        assertFalse(a.refuses(1300), "and refusing here would leave a client nowhere");
        assertFalse(a.refuses(1600), "nor once its own count grows past the limit before it looks again: so do the others'");
    }

    @Test
    void loadsRoundTripThroughTheirStoredTextAndJunkIsIgnored() {
        assertEquals(new NodeLoad(12, false), NodeLoad.decode(new NodeLoad(12, false).encode()));
        assertEquals(new NodeLoad(7, true), NodeLoad.decode(new NodeLoad(7, true).encode()));
        assertEquals(new NodeLoad(9, false, 4), NodeLoad.decode(new NodeLoad(9, false, 4).encode()));
        assertEquals(new NodeLoad(9, false, -4), NodeLoad.decode(new NodeLoad(9, false, -4).encode()));
        assertEquals("9 +4", new NodeLoad(9, false, 4).encode());
        assertEquals("9 draining -4", new NodeLoad(9, true, -4).encode());
        assertEquals("9", new NodeLoad(9, false, 0).encode(), "as nodes wrote it before they published their trend");
        assertEquals(new NodeLoad(9, false, 0), NodeLoad.decode("9 someday-a-flag"), "flags it does not know are ignored");
        assertEquals(null, NodeLoad.decode(null));
        assertEquals(null, NodeLoad.decode("many"));
        assertEquals(null, NodeLoad.decode("-3"));
    }
}
