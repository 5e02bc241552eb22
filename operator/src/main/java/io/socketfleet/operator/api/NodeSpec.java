package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;

import java.util.EnumMap;
import java.util.Map;

/**
 * The socket-node pods. Apart from the image, pull policy and resources, each field is a
 * {@link NodeSetting} of the same name that every node of the fleet runs with; the table's bounds,
 * defaults and descriptions are the schema's (a test holds them equal).
 */
public class NodeSpec {

    private static final ObjectMapper FIELDS = new ObjectMapper();

    public static final String DEFAULT_IMAGE = "socketfleet/socket-node:0.1.0";

    @JsonPropertyDescription("socket-node container image.")
    @Pattern("^[^\\s]+$")
    @Default(DEFAULT_IMAGE)
    private String image = DEFAULT_IMAGE;

    @JsonPropertyDescription("Image pull policy: Always, IfNotPresent or Never (Never suits images built inside minikube).")
    @Default("IfNotPresent")
    private PullPolicy imagePullPolicy = PullPolicy.IfNotPresent;

    @JsonPropertyDescription("Port socket-node listens on (unprivileged: 1024-65535).")
    @Min(1024)
    @Max(65535)
    @Default("3000")
    private Integer port = 3000;

    @JsonPropertyDescription("Engine.IO ping interval in milliseconds (socket.io default 25000).")
    @Min(1000)
    @Max(600000)
    @Default("25000")
    private Integer pingIntervalMs = 25000;

    @JsonPropertyDescription("Milliseconds to wait for a pong before closing a session (socket.io default 20000).")
    @Min(1000)
    @Max(600000)
    @Default("20000")
    private Integer pingTimeoutMs = 20000;

    @JsonPropertyDescription("On termination, open sessions are closed spread over this many seconds so clients reconnect elsewhere gradually.")
    @Min(0)
    @Max(3600)
    @Default("10")
    private Integer drainSeconds = 10;

    @JsonPropertyDescription("Open sessions per node beyond which new ones are refused with 503.")
    @Min(1)
    @Max(10000000)
    @Default("100000")
    private Integer maxConnections = 100000;

    @JsonPropertyDescription("Sessions one client address may hold before joining a namespace; more get 429 (0: no cap). "
            + "Behind a proxy every peer is the proxy: use with TRUST_PROXY_HEADERS.")
    @Min(0)
    @Max(Integer.MAX_VALUE)
    @Default("0")
    private Integer maxHandshakesPerAddress = 0;

    @JsonPropertyDescription("With the streams adapter (ADAPTER, spec.redis.adapter): milliseconds a client may stay away and still recover "
            + "its socket id, rooms, data and missed broadcasts (socket.io's maxDisconnectionDuration); 0 turns "
            + "connection state recovery off.")
    @Min(0)
    @Max(86_400_000)
    @Default("120000")
    private Integer maxDisconnectionDurationMs = 120_000;

    @JsonPropertyDescription("Take the client address from X-Real-IP or the last X-Forwarded-For entry (set by the proxy in front); "
            + "only safe when clients cannot reach the node directly.")
    @Default("false")
    private Boolean trustProxyHeaders = false;

    @JsonPropertyDescription("Long-polling responses of at least this many bytes are gzip/deflate compressed for clients that accept it "
            + "(engine.io's httpCompression threshold); -1 turns HTTP compression off.")
    @Min(-1)
    @Max(Integer.MAX_VALUE)
    @Default("1024")
    private Integer httpCompressionThreshold = 1024;

    @JsonPropertyDescription("Negotiate permessage-deflate on websockets (off by default, as in engine.io): less bandwidth for more CPU "
            + "and memory per connection; messages under 1024 bytes go uncompressed.")
    @Default("false")
    private Boolean perMessageDeflate = false;

    @JsonPropertyDescription("With Redis: while a node holds more than its fair share of the fleet's sessions, it closes at most this many "
            + "transports per second so those clients reconnect to nodes with room (0: never rebalance).")
    @Min(0)
    @Max(100000)
    @Default("20")
    private Integer rebalanceSessionsPerSecond = 20;

    @JsonPropertyDescription("How far above its fair share (fleet sessions / ready nodes) a node may go before it rebalances, in percent.")
    @Min(0)
    @Max(100)
    @Default("5")
    private Integer rebalanceTolerancePercent = 5;

    @JsonPropertyDescription("CPU and memory for each socket-node container (default: requests 100m / 256Mi, limit 512Mi).")
    private ResourceRequirements resources;

    public enum PullPolicy { Always, IfNotPresent, Never }

    /** This spec's node settings as text, unchecked (a field left null is absent): what the validator checks. */
    public Map<NodeSetting, String> settingValues() {
        // The fields as the API server sees them, so a setting is found by its JSON name.
        Map<String, Object> fields = FIELDS.convertValue(this, new TypeReference<Map<String, Object>>() { });
        Map<NodeSetting, String> values = new EnumMap<>(NodeSetting.class);
        for (NodeSetting setting : NodeSetting.fleetSettings()) {
            Object value = fields.get(setting.fieldName());
            if (value != null) {
                values.put(setting, value.toString());
            }
        }
        return values;
    }

    /** The settings every node of the fleet runs with; for a spec that passed the validator. */
    public NodeSettings settings() {
        return new NodeSettings(settingValues());
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public PullPolicy getImagePullPolicy() {
        return imagePullPolicy;
    }

    public void setImagePullPolicy(PullPolicy imagePullPolicy) {
        this.imagePullPolicy = imagePullPolicy;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Integer getPingIntervalMs() {
        return pingIntervalMs;
    }

    public void setPingIntervalMs(Integer pingIntervalMs) {
        this.pingIntervalMs = pingIntervalMs;
    }

    public Integer getPingTimeoutMs() {
        return pingTimeoutMs;
    }

    public void setPingTimeoutMs(Integer pingTimeoutMs) {
        this.pingTimeoutMs = pingTimeoutMs;
    }

    public Integer getDrainSeconds() {
        return drainSeconds;
    }

    public void setDrainSeconds(Integer drainSeconds) {
        this.drainSeconds = drainSeconds;
    }

    public Integer getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    public Integer getMaxHandshakesPerAddress() {
        return maxHandshakesPerAddress;
    }

    public void setMaxHandshakesPerAddress(Integer maxHandshakesPerAddress) {
        this.maxHandshakesPerAddress = maxHandshakesPerAddress;
    }

    public Integer getMaxDisconnectionDurationMs() {
        return maxDisconnectionDurationMs;
    }

    public void setMaxDisconnectionDurationMs(Integer maxDisconnectionDurationMs) {
        this.maxDisconnectionDurationMs = maxDisconnectionDurationMs;
    }

    public Boolean getTrustProxyHeaders() {
        return trustProxyHeaders;
    }

    public void setTrustProxyHeaders(Boolean trustProxyHeaders) {
        this.trustProxyHeaders = trustProxyHeaders;
    }

    public Integer getHttpCompressionThreshold() {
        return httpCompressionThreshold;
    }

    public void setHttpCompressionThreshold(Integer httpCompressionThreshold) {
        this.httpCompressionThreshold = httpCompressionThreshold;
    }

    public Boolean getPerMessageDeflate() {
        return perMessageDeflate;
    }

    public void setPerMessageDeflate(Boolean perMessageDeflate) {
        this.perMessageDeflate = perMessageDeflate;
    }

    public Integer getRebalanceSessionsPerSecond() {
        return rebalanceSessionsPerSecond;
    }

    public void setRebalanceSessionsPerSecond(Integer rebalanceSessionsPerSecond) {
        this.rebalanceSessionsPerSecond = rebalanceSessionsPerSecond;
    }

    public Integer getRebalanceTolerancePercent() {
        return rebalanceTolerancePercent;
    }

    public void setRebalanceTolerancePercent(Integer rebalanceTolerancePercent) {
        this.rebalanceTolerancePercent = rebalanceTolerancePercent;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }
}
