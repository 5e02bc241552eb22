package io.socketfleet.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Coalesces bursts of nginx config changes (a rollout moves many endpoints within a second):
 * a change after a quiet spell is written at once; changes that follow a write closely are
 * held until the backends have been still for {@link #QUIET}, but never longer than
 * {@link #MAX_DELAY} after the first held one. Each write costs a ConfigMap update, an Event, a
 * pod stamp and an nginx reload, and every reload leaves old workers serving their websockets.
 */
final class ConfigDebounce {

    static final Duration QUIET = Duration.ofMillis(250);
    static final Duration MAX_DELAY = Duration.ofSeconds(1);

    /** Write the wanted config now, or keep the current one and look again after {@code retryAfter}. */
    record Decision(boolean write, Duration retryAfter) {
        static final Decision NOW = new Decision(true, Duration.ZERO);
    }

    /** What one fleet's config went through: the last write, and the change being held (if any). */
    record History(Instant lastWrite, String held, Instant firstHeld, Instant lastChange) {
    }

    private final Map<ResourceID, History> histories = new ConcurrentHashMap<>();

    /** Decides for one fleet and remembers the outcome. */
    Decision decide(ResourceID fleet, String current, String wanted, Instant now) {
        History before = histories.get(fleet);
        Step step = step(before, current, wanted, now);
        if (step.history() == null) {
            histories.remove(fleet);
        } else {
            histories.put(fleet, step.history());
        }
        return step.decision();
    }

    /** The decision and the history after it. */
    record Step(Decision decision, History history) {
    }

    /** The pure rule, apart from the bookkeeping. */
    static Step step(History before, String current, String wanted, Instant now) {
        Instant lastWrite = before == null ? null : before.lastWrite();
        if (current == null) {
            return new Step(Decision.NOW, new History(now, null, null, null)); // the first config of a fleet
        }
        if (wanted.equals(current)) {
            boolean recent = lastWrite != null && now.isBefore(lastWrite.plus(QUIET));
            return new Step(new Decision(false, Duration.ZERO), recent ? new History(lastWrite, null, null, null) : null);
        }
        boolean holding = before != null && before.held() != null;
        if (!holding && (lastWrite == null || !now.isBefore(lastWrite.plus(QUIET)))) {
            return new Step(Decision.NOW, new History(now, null, null, null)); // after a quiet spell: no delay
        }
        Instant firstHeld = holding ? before.firstHeld() : now;
        Instant lastChange = holding && before.held().equals(wanted) ? before.lastChange() : now;
        Instant due = min(lastChange.plus(QUIET), firstHeld.plus(MAX_DELAY));
        if (!now.isBefore(due)) {
            return new Step(Decision.NOW, new History(now, null, null, null));
        }
        return new Step(new Decision(false, Duration.between(now, due)), new History(lastWrite, wanted, firstHeld, lastChange));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
