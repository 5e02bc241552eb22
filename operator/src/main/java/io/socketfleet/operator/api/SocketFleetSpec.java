package io.socketfleet.operator.api;

import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;

/** What the user asks for; every field has a default, so {@code spec: {}} is a valid fleet. */
@ValidationRule(value = "self.nginx.proxyReadTimeoutSeconds * 1000 > self.node.pingIntervalMs + self.node.pingTimeoutMs",
        message = "nginx.proxyReadTimeoutSeconds must exceed (node.pingIntervalMs + node.pingTimeoutMs) / 1000, "
                + "or nginx cuts idle websockets before the heartbeat can keep them alive")
public class SocketFleetSpec {

    @JsonPropertyDescription("Number of socket-node pods. Scalable with 'kubectl scale socketfleet/NAME --replicas=N' and by an HPA.")
    @SpecReplicas
    @Min(0)
    @Max(1000)
    @Default("3")
    private Integer replicas = 3;

    @JsonPropertyDescription("The socket-node pods: image, port, heartbeat and draining.")
    @Default("{}")
    private NodeSpec node = new NodeSpec();

    @JsonPropertyDescription("The nginx load balancer in front of the nodes.")
    @Default("{}")
    private NginxSpec nginx = new NginxSpec();

    @JsonPropertyDescription("Redis carrying broadcasts between nodes: operator-managed unless 'external' is set.")
    @Default("{}")
    private RedisSpec redis = new RedisSpec();

    @JsonPropertyDescription("Connection-aware autoscaling: when set, the operator sets 'replicas' from the sessions the "
            + "nodes hold (through the scale subresource, as an HPA would). Leave it out to scale by hand or with an HPA.")
    private AutoscalingSpec autoscaling;

    @JsonPropertyDescription("The socket.io admin UI (@socket.io/admin-ui) for the whole fleet: off unless enabled.")
    @Default("{}")
    private AdminUiSpec adminUi = new AdminUiSpec();

    /**
     * The settings every node of the fleet runs with: {@code spec.node}'s, and how it uses Redis
     * ({@code spec.redis.pubsub} and, when sharded, {@code subscriptionMode}; {@code adapter} and
     * {@code streamMaxLen}; each left out at the nodes' default, so existing fleets' pods stay as they
     * were). For a spec that passed the validator; the pods' environment and local mode's flags both
     * come from here.
     */
    public NodeSettings nodeSettings() {
        NodeSettings settings = node.settings();
        if (redis.getPubsub() == RedisSpec.PubSub.sharded) {
            settings = settings.with(NodeSetting.REDIS_PUBSUB, RedisSpec.PubSub.sharded.name());
            if (redis.getSubscriptionMode() != RedisSpec.SubscriptionMode.DYNAMIC) {
                settings = settings.with(NodeSetting.REDIS_SUBSCRIPTION_MODE, redis.getSubscriptionMode().wireName());
            }
        }
        if (redis.getAdapter() == RedisSpec.Adapter.streams) {
            settings = settings.with(NodeSetting.ADAPTER, RedisSpec.Adapter.streams.name())
                    .with(NodeSetting.STREAM_MAX_LEN, String.valueOf(redis.getStreamMaxLen()));
        }
        return settings;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public NodeSpec getNode() {
        return node;
    }

    public void setNode(NodeSpec node) {
        this.node = node;
    }

    public NginxSpec getNginx() {
        return nginx;
    }

    public void setNginx(NginxSpec nginx) {
        this.nginx = nginx;
    }

    public AutoscalingSpec getAutoscaling() {
        return autoscaling;
    }

    public void setAutoscaling(AutoscalingSpec autoscaling) {
        this.autoscaling = autoscaling;
    }

    public AdminUiSpec getAdminUi() {
        return adminUi;
    }

    public void setAdminUi(AdminUiSpec adminUi) {
        this.adminUi = adminUi;
    }

    public RedisSpec getRedis() {
        return redis;
    }

    public void setRedis(RedisSpec redis) {
        this.redis = redis;
    }
}
