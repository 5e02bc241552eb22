package io.socketfleet.operator.autoscaling;

import io.socketfleet.operator.api.AutoscalingSpec;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many nodes one fleet should run for the sessions it holds, with an HPA's stabilisation: each
 * call records the raw recommendation {@code ceil(sessions / targetSessionsPerNode)} (within
 * min..max); a scale-up goes to the lowest recommendation seen within the up window, a scale-down
 * to the highest within the down window, so a brief spike or dip moves nothing. No clock or I/O of
 * its own: the caller says when.
 */
public final class ReplicaRecommender {

    private record Recommendation(long atMillis, int replicas) {
    }

    private final Deque<Recommendation> history = new ArrayDeque<>();

    /**
     * @param spec     the fleet's autoscaling settings
     * @param current  the replicas the fleet is set to now
     * @param sessions the sessions all its nodes hold
     * @param nowMillis when the count was taken
     * @return the replicas to set (equal to {@code current} when nothing should change)
     */
    public int recommend(AutoscalingSpec spec, int current, long sessions, long nowMillis) {
        int raw = (int) Math.min(spec.getMaxReplicas(),
                Math.max(spec.getMinReplicas(), (sessions + spec.getTargetSessionsPerNode() - 1) / spec.getTargetSessionsPerNode()));
        if (history.isEmpty()) {
            // As an HPA does on first sight of a target: the replicas it runs count as a recent recommendation,
            // so a restarted operator does not scale down at once.
            history.addLast(new Recommendation(nowMillis, current));
        }
        int upTo = raw;
        int downTo = raw;
        for (Recommendation r : history) {
            if (r.atMillis() > nowMillis - 1000L * spec.getScaleUpStabilizationSeconds()) {
                upTo = Math.min(upTo, r.replicas());
            }
            if (r.atMillis() > nowMillis - 1000L * spec.getScaleDownStabilizationSeconds()) {
                downTo = Math.max(downTo, r.replicas());
            }
        }
        history.addLast(new Recommendation(nowMillis, raw));
        long longest = 1000L * Math.max(spec.getScaleUpStabilizationSeconds(), spec.getScaleDownStabilizationSeconds());
        while (history.size() > 1 && history.peekFirst().atMillis() <= nowMillis - longest) {
            history.removeFirst();
        }
        int bounded = Math.min(spec.getMaxReplicas(), Math.max(spec.getMinReplicas(), current));
        if (upTo > bounded) {
            return upTo;
        }
        if (downTo < bounded) {
            return downTo;
        }
        return bounded;
    }
}
