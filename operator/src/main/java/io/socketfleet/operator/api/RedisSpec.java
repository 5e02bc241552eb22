package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Redis for cross-node broadcast. */
@ValidationRule(value = "!has(self.external) || has(self.external.passwordSecret)",
        message = "redis.external.passwordSecret is required: Redis must be password-protected")
@ValidationRule(value = "!has(self.replicas) || self.replicas == 1 || self.replicas >= 3",
        message = "redis.replicas must be 1 (one Redis) or at least 3 (a master, replicas and as many Sentinels: "
                + "a majority must outlive the loss of one)")
@ValidationRule(value = "!has(self.external) || !has(self.replicas) || self.replicas == 1",
        message = "redis.replicas is for the operator-managed Redis; an external Redis is replicated by whoever runs it")
public class RedisSpec {

    /** The most Redis pods (and Sentinels) a replicated managed Redis runs. */
    public static final int MAX_REPLICAS = 7;

    public static final String DEFAULT_IMAGE = "redis:7.4-alpine";

    @JsonPropertyDescription("Image of the operator-managed Redis (ignored with 'external').")
    @Pattern("^[^\\s]+$")
    @Default(DEFAULT_IMAGE)
    private String image = DEFAULT_IMAGE;

    /** How the nodes use Redis pub/sub; the names are the values the CRD takes. */
    public enum PubSub { classic, sharded }

    @JsonPropertyDescription("How nodes carry broadcasts and cluster operations over Redis: 'classic' pub/sub "
            + "(PUBLISH/PSUBSCRIBE, as @socket.io/redis-adapter's createAdapter) or 'sharded' pub/sub (Redis 7 "
            + "SPUBLISH/SSUBSCRIBE, as its createShardedAdapter in the default 'dynamic' subscription mode; on a Redis "
            + "Cluster each channel lives on the shard owning its slot). An external Redis must be 7.0 or later for 'sharded'.")
    @Default("classic")
    private PubSub pubsub = PubSub.classic;

    /** createShardedAdapter's subscriptionMode; the CRD takes Node's names, dash included. */
    public enum SubscriptionMode {
        @JsonProperty("dynamic") DYNAMIC("dynamic"),
        @JsonProperty("static") STATIC("static"),
        @JsonProperty("dynamic-private") DYNAMIC_PRIVATE("dynamic-private");

        private final String wireName;

        SubscriptionMode(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    @JsonPropertyDescription("With 'pubsub: sharded', which channels the nodes subscribe, as createShardedAdapter's "
            + "subscriptionMode: 'dynamic' (a public room gets its own channel, subscribed only by the servers holding it), "
            + "'static' (the namespace's channel only) or 'dynamic-private' (socket ids' rooms too). Every server on the "
            + "same Redis, Node peers included, must run the same mode. Ignored with 'classic'.")
    @Default("dynamic")
    private SubscriptionMode subscriptionMode = SubscriptionMode.DYNAMIC;

    /** Which socket.io adapter the nodes run on Redis (the node setting ADAPTER); the names are the values the CRD takes. */
    public enum Adapter { pubsub, streams }

    @JsonPropertyDescription("The nodes' adapter: 'pubsub' (broadcasts by Redis pub/sub, gone once delivered, as "
            + "@socket.io/redis-adapter; no connection state recovery; the managed Redis is a light Deployment that keeps "
            + "nothing) or 'streams' (broadcasts kept in a bounded Redis stream in @socket.io/redis-streams-adapter's "
            + "format, and sessions, so clients whose node drained, died or was cut off recover their socket id, rooms, "
            + "data and missed broadcasts on any node within spec.node.maxDisconnectionDurationMs; the managed Redis is a "
            + "StatefulSet with append-only persistence on a PersistentVolumeClaim).")
    @Default("pubsub")
    private Adapter adapter = Adapter.pubsub;

    @JsonPropertyDescription("The managed Redis's volume when it holds state (adapter 'streams').")
    private RedisPersistence persistence = new RedisPersistence();

    @JsonPropertyDescription("With the streams adapter: about how many broadcasts the stream keeps (XADD MAXLEN ~); "
            + "a client that missed more than that gets a fresh session.")
    @Min(1)
    @Max(1_000_000_000)
    @Default("10000")
    private Integer streamMaxLen = 10_000;

    @JsonPropertyDescription("Pods of the operator-managed Redis: 1 (one Redis; a Deployment for 'pubsub', a StatefulSet "
            + "on a volume for 'streams'), or 3 or more: a replicated Redis, one master and replicas following it, each pod "
            + "with a Sentinel beside it that promotes a replica when the master is gone; append-only files on "
            + "PersistentVolumeClaims whatever the adapter, and the nodes reach the master through the Sentinels. "
            + "2 is refused: two Sentinels cannot outvote the loss of one.")
    @Min(1)
    @Max(MAX_REPLICAS)
    @Default("1")
    private Integer replicas = 1;

    @JsonPropertyDescription("Use this Redis instead of an operator-managed one.")
    private ExternalRedis external;

    @JsonPropertyDescription("CPU and memory for the managed Redis (default: requests 50m / 64Mi, limit 256Mi).")
    private ResourceRequirements resources;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public PubSub getPubsub() {
        return pubsub;
    }

    public void setPubsub(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    public SubscriptionMode getSubscriptionMode() {
        return subscriptionMode;
    }

    public void setSubscriptionMode(SubscriptionMode subscriptionMode) {
        this.subscriptionMode = subscriptionMode;
    }

    public Adapter getAdapter() {
        return adapter;
    }

    public void setAdapter(Adapter adapter) {
        this.adapter = adapter;
    }

    public RedisPersistence getPersistence() {
        return persistence;
    }

    public void setPersistence(RedisPersistence persistence) {
        this.persistence = persistence;
    }

    public Integer getStreamMaxLen() {
        return streamMaxLen;
    }

    public void setStreamMaxLen(Integer streamMaxLen) {
        this.streamMaxLen = streamMaxLen;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public ExternalRedis getExternal() {
        return external;
    }

    public void setExternal(ExternalRedis external) {
        this.external = external;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    /** Whether the operator runs Redis for this fleet (no external one named). */
    @JsonIgnore
    public boolean isManaged() {
        return external == null;
    }

    /** Whether the operator runs Redis for this fleet as a master with replicas and Sentinels. */
    @JsonIgnore
    public boolean isReplicated() {
        return isManaged() && replicas != null && replicas > 1;
    }

    /**
     * Whether the operator runs Redis for this fleet as a StatefulSet on volumes: it must keep what it
     * holds, or it is replicated (a replica that restarts empty would resync everything from the master).
     */
    @JsonIgnore
    public boolean isManagedWithState() {
        return isManaged() && (adapter == Adapter.streams || isReplicated());
    }
}
