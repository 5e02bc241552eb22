package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Connection-aware autoscaling: the operator (or local mode) sums the sessions the nodes hold and
 * sets {@code spec.replicas} to hold about {@code targetSessionsPerNode} each, within
 * {@code minReplicas..maxReplicas}, as an HPA's stabilisation windows do: a scale-up follows the
 * lowest recommendation of the last {@code scaleUpStabilizationSeconds}, a scale-down the highest
 * of the last {@code scaleDownStabilizationSeconds}.
 */
@ValidationRule(value = "self.minReplicas <= self.maxReplicas", message = "autoscaling.minReplicas must not exceed maxReplicas")
public class AutoscalingSpec {

    @JsonPropertyDescription("Fewest socket-nodes autoscaling keeps.")
    @Min(1)
    @Max(1000)
    @Default("1")
    private Integer minReplicas = 1;

    @JsonPropertyDescription("Most socket-nodes autoscaling starts.")
    @Min(1)
    @Max(1000)
    @Default("10")
    private Integer maxReplicas = 10;

    @JsonPropertyDescription("Sessions each node should hold: replicas = ceil(fleet sessions / this), within min..max.")
    @Required
    @Min(1)
    private Integer targetSessionsPerNode;

    @JsonPropertyDescription("A scale-up follows the lowest recommendation of this many seconds (0: at once).")
    @Min(0)
    @Max(3600)
    @Default("0")
    private Integer scaleUpStabilizationSeconds = 0;

    @JsonPropertyDescription("A scale-down follows the highest recommendation of this many seconds, so a dip does not "
            + "drain nodes that the next minute needs again (an HPA's default is 300).")
    @Min(0)
    @Max(3600)
    @Default("300")
    private Integer scaleDownStabilizationSeconds = 300;

    public Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(Integer minReplicas) {
        this.minReplicas = minReplicas;
    }

    public Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    public Integer getTargetSessionsPerNode() {
        return targetSessionsPerNode;
    }

    public void setTargetSessionsPerNode(Integer targetSessionsPerNode) {
        this.targetSessionsPerNode = targetSessionsPerNode;
    }

    public Integer getScaleUpStabilizationSeconds() {
        return scaleUpStabilizationSeconds;
    }

    public void setScaleUpStabilizationSeconds(Integer scaleUpStabilizationSeconds) {
        this.scaleUpStabilizationSeconds = scaleUpStabilizationSeconds;
    }

    public Integer getScaleDownStabilizationSeconds() {
        return scaleDownStabilizationSeconds;
    }

    public void setScaleDownStabilizationSeconds(Integer scaleDownStabilizationSeconds) {
        this.scaleDownStabilizationSeconds = scaleDownStabilizationSeconds;
    }
}
