package io.socketfleet.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The nodes are asked once per period per fleet, whatever the number of reconciles in between. */
class SessionsScheduleTest {

    private static final Instant T0 = Instant.parse("2026-11-26T18:00:00Z");
    private static final ResourceID CHAT = new ResourceID("chat", "ns");
    private static final ResourceID GAME = new ResourceID("game", "ns");

    @Test
    void dueOncePerPeriodForEachFleet() {
        SessionsSchedule schedule = new SessionsSchedule();
        assertTrue(schedule.due(CHAT, T0));
        assertFalse(schedule.due(CHAT, T0.plusSeconds(1)));
        assertTrue(schedule.due(GAME, T0.plusSeconds(1)), "each fleet has its own clock");
        assertEquals(Duration.ofSeconds(20), schedule.untilDue(CHAT, T0.plusSeconds(10)));
        assertFalse(schedule.due(CHAT, T0.plus(SessionsSchedule.PERIOD).minusMillis(1)));
        assertTrue(schedule.due(CHAT, T0.plus(SessionsSchedule.PERIOD)));
        assertEquals(Duration.ZERO, schedule.untilDue(GAME, T0.plusSeconds(120)));
    }
}
