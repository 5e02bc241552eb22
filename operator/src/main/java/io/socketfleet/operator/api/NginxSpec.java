package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The nginx load balancer. */
public class NginxSpec {

    public static final String DEFAULT_IMAGE = "nginxinc/nginx-unprivileged:1.27-alpine";
    public static final String DEFAULT_HASH_KEY = "$http_sec_websocket_key";
    /**
     * nginx-prometheus-exporter, pinned: it turns nginx's stub_status into Prometheus metrics
     * (nginx_connections_*, nginx_http_requests_total, nginx_up); its image runs as a non-root user.
     */
    public static final String DEFAULT_EXPORTER_IMAGE = "nginx/nginx-prometheus-exporter:1.4.2";
    /** Loopback port of nginx's stub_status inside the pod (never the public listener). */
    public static final int STATUS_PORT = 8081;
    /** The exporter's own port (its default), named "metrics" on the pod for the PodMonitor. */
    public static final int EXPORTER_PORT = 9113;
    /** nginx variables only: a key can never smuggle other configuration in. */
    public static final String HASH_KEY_PATTERN = "^(\\$[A-Za-z_][A-Za-z0-9_]*)+$";

    @JsonPropertyDescription("nginx container image; it must run as non-root and listen on 'port'.")
    @Pattern("^[^\\s]+$")
    @Default(DEFAULT_IMAGE)
    private String image = DEFAULT_IMAGE;

    @JsonPropertyDescription("Image of the metrics exporter beside nginx (nginx-prometheus-exporter, run as non-root), "
            + "serving nginx's connection and request counters on the pod's port 'metrics' (9113).")
    @Pattern("^[^\\s]+$")
    @Default(DEFAULT_EXPORTER_IMAGE)
    private String exporterImage = DEFAULT_EXPORTER_IMAGE;

    @JsonPropertyDescription("Number of nginx pods.")
    @Min(1)
    @Max(20)
    @Default("1")
    private Integer replicas = 1;

    @JsonPropertyDescription("How the nginx Service is exposed: ClusterIP, NodePort (default, suits minikube) or LoadBalancer.")
    @Default("NodePort")
    private ServiceType serviceType = ServiceType.NodePort;

    @JsonPropertyDescription("Port nginx listens on inside its pod and exposes on its Service. Not 8081 (nginx's "
            + "stub_status on loopback) or 9113 (the metrics exporter beside nginx).")
    @ValidationRule(value = "self != 8081 && self != 9113",
            message = "nginx.port must not be 8081 (stub_status) or 9113 (the metrics exporter)")
    @Min(1024)
    @Max(65535)
    @Default("8080")
    private Integer port = 8080;

    @JsonPropertyDescription("nginx variables hashed to pick a node for a new connection (consistent hashing). "
            + "The default, the websocket key, is random per connection and spreads clients evenly.")
    @Pattern(HASH_KEY_PATTERN)
    @Default(DEFAULT_HASH_KEY)
    private String hashKey = DEFAULT_HASH_KEY;

    @JsonPropertyDescription("Weight of every server in the upstream. Equal weights keep shares equal; above 1 they put more "
            + "points on the hash ring (160 per unit), smoothing the spread (measured: max/mean 1.11 instead of 1.17 over 10 nodes).")
    @Min(1)
    @Max(100)
    @Default("10")
    private Integer serverWeight = 10;

    @JsonPropertyDescription("Seconds an idle proxied connection may stay open; must exceed the node ping interval plus ping timeout.")
    @Min(1)
    @Max(86400)
    @Default("3600")
    private Integer proxyReadTimeoutSeconds = 3600;

    @JsonPropertyDescription("Seconds to wait when connecting to a node before trying another.")
    @Min(1)
    @Max(75)
    @Default("5")
    private Integer proxyConnectTimeoutSeconds = 5;

    @JsonPropertyDescription("Seconds the nginx workers of an older config keep the websockets they hold after a reload "
            + "(the backends changed), before closing them so those clients reconnect. Longer keeps clients of surviving "
            + "nodes connected across scaling and failures; shorter frees the old workers' memory sooner (a few MiB per "
            + "worker per reload).")
    @Min(1)
    @Max(86400)
    @Default("900")
    private Integer workerShutdownTimeoutSeconds = 900;

    @JsonPropertyDescription("CPU and memory for each nginx container (default: requests 50m / 64Mi, limit 256Mi).")
    private ResourceRequirements resources;

    public enum ServiceType { ClusterIP, NodePort, LoadBalancer }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getExporterImage() {
        return exporterImage;
    }

    public void setExporterImage(String exporterImage) {
        this.exporterImage = exporterImage;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public ServiceType getServiceType() {
        return serviceType;
    }

    public void setServiceType(ServiceType serviceType) {
        this.serviceType = serviceType;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getHashKey() {
        return hashKey;
    }

    public void setHashKey(String hashKey) {
        this.hashKey = hashKey;
    }

    public Integer getServerWeight() {
        return serverWeight;
    }

    public void setServerWeight(Integer serverWeight) {
        this.serverWeight = serverWeight;
    }

    public Integer getProxyReadTimeoutSeconds() {
        return proxyReadTimeoutSeconds;
    }

    public void setProxyReadTimeoutSeconds(Integer proxyReadTimeoutSeconds) {
        this.proxyReadTimeoutSeconds = proxyReadTimeoutSeconds;
    }

    public Integer getProxyConnectTimeoutSeconds() {
        return proxyConnectTimeoutSeconds;
    }

    public void setProxyConnectTimeoutSeconds(Integer proxyConnectTimeoutSeconds) {
        this.proxyConnectTimeoutSeconds = proxyConnectTimeoutSeconds;
    }

    public Integer getWorkerShutdownTimeoutSeconds() {
        return workerShutdownTimeoutSeconds;
    }

    public void setWorkerShutdownTimeoutSeconds(Integer workerShutdownTimeoutSeconds) {
        this.workerShutdownTimeoutSeconds = workerShutdownTimeoutSeconds;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }
}
