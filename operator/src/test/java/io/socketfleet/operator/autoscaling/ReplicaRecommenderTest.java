package io.socketfleet.operator.autoscaling;

import io.socketfleet.operator.api.AutoscalingSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplicaRecommenderTest {

    private static AutoscalingSpec spec(int min, int max, int target, int upSeconds, int downSeconds) {
        AutoscalingSpec spec = new AutoscalingSpec();
        spec.setMinReplicas(min);
        spec.setMaxReplicas(max);
        spec.setTargetSessionsPerNode(target);
        spec.setScaleUpStabilizationSeconds(upSeconds);
        spec.setScaleDownStabilizationSeconds(downSeconds);
        return spec;
    }

    @Test
    void replicasHoldTheTargetPerNodeRoundedUpWithinMinAndMax() {
        AutoscalingSpec spec = spec(2, 6, 500, 0, 0);
        assertEquals(2, new ReplicaRecommender().recommend(spec, 3, 0, 0), "never below min");
        assertEquals(3, new ReplicaRecommender().recommend(spec, 3, 1001, 0));
        assertEquals(4, new ReplicaRecommender().recommend(spec, 3, 2000, 0));
        assertEquals(6, new ReplicaRecommender().recommend(spec, 3, 90_000, 0), "never above max");
        assertEquals(6, new ReplicaRecommender().recommend(spec, 9, 90_000, 0), "a fleet set above max comes back to it");
    }

    @Test
    void aScaleDownWaitsOutItsWindowAndFollowsTheHighestRecommendationInIt() {
        AutoscalingSpec spec = spec(1, 10, 100, 0, 60);
        ReplicaRecommender recommender = new ReplicaRecommender();
        assertEquals(5, recommender.recommend(spec, 5, 500, 0));
        assertEquals(5, recommender.recommend(spec, 5, 100, 10_000), "a dip: 5 was recommended within the minute");
        assertEquals(5, recommender.recommend(spec, 5, 300, 30_000));
        assertEquals(3, recommender.recommend(spec, 5, 100, 61_000), "the 5 left the window; 3 (at 30 s) is the highest now");
        assertEquals(1, recommender.recommend(spec, 3, 100, 91_000));
    }

    @Test
    void aScaleUpIsImmediateWithoutAWindowAndFollowsTheLowestWithOne() {
        AutoscalingSpec now = spec(1, 10, 100, 0, 300);
        assertEquals(8, new ReplicaRecommender().recommend(now, 2, 800, 0));

        AutoscalingSpec patient = spec(1, 10, 100, 30, 300);
        ReplicaRecommender recommender = new ReplicaRecommender();
        assertEquals(2, recommender.recommend(patient, 2, 200, 0));
        assertEquals(2, recommender.recommend(patient, 2, 800, 10_000), "a spike within the window of a lower one");
        assertEquals(6, recommender.recommend(patient, 2, 600, 31_000), "the lowest of the last 30 s: 6");
    }
}
