package io.socketfleet.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When to ask a fleet's nodes for their sessions again: at most once per {@link #PERIOD}, not
 * on every reconcile, so a node that does not answer holds up the fleet's reconcile (by the
 * probe's timeout) at most that often — bursts of endpoint changes are not slowed by it.
 */
final class SessionsSchedule {

    /**
     * Often enough to follow a fleet's balance, seldom enough that a status write per period
     * per fleet costs the API server nothing noticeable.
     */
    static final Duration PERIOD = Duration.ofSeconds(30);
    private final Map<ResourceID, Instant> askedAt = new ConcurrentHashMap<>();

    /** True (and noted) when the fleet's nodes are due to be asked at {@code now}. */
    boolean due(ResourceID fleet, Instant now) {
        // Forget fleets not seen for long (deleted ones), so the map stays as small as the fleets.
        askedAt.values().removeIf(at -> at.plus(PERIOD.multipliedBy(10)).isBefore(now));
        Instant last = askedAt.get(fleet);
        if (last != null && last.plus(PERIOD).isAfter(now)) {
            return false;
        }
        askedAt.put(fleet, now);
        return true;
    }

    /** How long until the fleet is due again. */
    Duration untilDue(ResourceID fleet, Instant now) {
        Instant last = askedAt.get(fleet);
        Duration left = last == null ? Duration.ZERO : Duration.between(now, last.plus(PERIOD));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
