package io.socketfleet.operator.validation;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.operator.api.AdminUiSpec;
import io.socketfleet.operator.api.AutoscalingSpec;
import io.socketfleet.operator.api.ExternalRedis;
import io.socketfleet.operator.api.FleetNameRules;
import io.socketfleet.operator.api.NginxSpec;
import io.socketfleet.operator.api.NodeSpec;
import io.socketfleet.operator.api.RedisSentinel;
import io.socketfleet.operator.api.RedisSpec;
import io.socketfleet.operator.api.RedisTls;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.api.SocketFleetSpec;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Checks a fleet before anything is created or changed: the operator, {@code render} and local mode
 * all ask it, so it depends on nothing but the API classes. It repeats the schema's rules (an API
 * server may not enforce them, local mode has no API server; the node settings' bounds come from the
 * contract's table, as the schema's do) and adds what a schema cannot say.
 * Each problem names its field. A bad name or namespace is reported alone: nothing is rendered
 * or created for it.
 */
public final class FleetValidator {

    private FleetValidator() {
    }

    public static List<String> validate(SocketFleet fleet) {
        List<String> problems = new ArrayList<>();
        // Names first: every child is named after the fleet, and names reach nginx.conf.
        ObjectMeta metadata = fleet.getMetadata() == null ? new ObjectMeta() : fleet.getMetadata();
        Stream.of(FleetNameRules.nameProblem(metadata.getName()), FleetNameRules.namespaceProblem(metadata.getNamespace()))
                .filter(Objects::nonNull).forEach(problems::add);
        if (!problems.isEmpty()) {
            return problems;
        }
        SocketFleetSpec spec = fleet.getSpec();
        if (spec == null) {
            problems.add("spec is required");
            return problems;
        }
        range(problems, "spec.replicas", spec.getReplicas(), 0, 1000);
        NodeSpec node = spec.getNode();
        NginxSpec nginx = spec.getNginx();
        if (node == null || nginx == null || spec.getRedis() == null) {
            problems.add("spec.node, spec.nginx and spec.redis may be omitted but not null");
            return problems;
        }
        image(problems, "spec.node.image", node.getImage());
        Map<NodeSetting, String> settings = node.settingValues();
        for (NodeSetting setting : NodeSetting.fleetSettings()) {
            String problem = setting.problem(settings.get(setting));
            if (problem != null) {
                problems.add("spec.node." + setting.fieldName() + " " + problem);
            }
        }
        if (node.getImagePullPolicy() == null) {
            problems.add("spec.node.imagePullPolicy must be Always, IfNotPresent or Never");
        }

        image(problems, "spec.nginx.image", nginx.getImage());
        range(problems, "spec.nginx.replicas", nginx.getReplicas(), 1, 20);
        range(problems, "spec.nginx.port", nginx.getPort(), 1024, 65535);
        if (nginx.getPort() != null && (nginx.getPort() == NginxSpec.STATUS_PORT || nginx.getPort() == NginxSpec.EXPORTER_PORT)) {
            problems.add("spec.nginx.port must not be " + NginxSpec.STATUS_PORT + " (nginx's stub_status) or "
                    + NginxSpec.EXPORTER_PORT + " (the metrics exporter), got " + nginx.getPort());
        }
        image(problems, "spec.nginx.exporterImage", nginx.getExporterImage());
        range(problems, "spec.nginx.serverWeight", nginx.getServerWeight(), 1, 100);
        range(problems, "spec.nginx.proxyReadTimeoutSeconds", nginx.getProxyReadTimeoutSeconds(), 1, 86400);
        range(problems, "spec.nginx.proxyConnectTimeoutSeconds", nginx.getProxyConnectTimeoutSeconds(), 1, 75);
        if (nginx.getServiceType() == null) {
            problems.add("spec.nginx.serviceType must be ClusterIP, NodePort or LoadBalancer");
        }
        if (nginx.getHashKey() == null || !nginx.getHashKey().matches(NginxSpec.HASH_KEY_PATTERN)) {
            problems.add("spec.nginx.hashKey must be one or more nginx variables such as $http_sec_websocket_key, got '"
                    + nginx.getHashKey() + "'");
        }
        if (problems.isEmpty() && nginx.getProxyReadTimeoutSeconds() * 1000L <= (long) node.getPingIntervalMs() + node.getPingTimeoutMs()) {
            problems.add("spec.nginx.proxyReadTimeoutSeconds (" + nginx.getProxyReadTimeoutSeconds()
                    + ") must exceed (spec.node.pingIntervalMs + spec.node.pingTimeoutMs) / 1000 = "
                    + (node.getPingIntervalMs() + node.getPingTimeoutMs()) / 1000.0
                    + ", or nginx cuts idle websockets before the heartbeat keeps them alive");
        }

        if (spec.getRedis().getPubsub() == null) {
            problems.add("spec.redis.pubsub must be classic or sharded");
        }
        if (spec.getRedis().getSubscriptionMode() == null) {
            problems.add("spec.redis.subscriptionMode must be dynamic, static or dynamic-private");
        }
        if (spec.getRedis().getAdapter() == null) {
            problems.add("spec.redis.adapter must be pubsub or streams");
        }
        redisReplicas(problems, spec.getRedis());
        Integer maxLen = spec.getRedis().getStreamMaxLen();
        String maxLenProblem = NodeSetting.STREAM_MAX_LEN.problem(maxLen == null ? null : maxLen.toString());
        if (maxLenProblem != null) {
            problems.add("spec.redis.streamMaxLen " + maxLenProblem);
        }
        if (spec.getAutoscaling() != null) {
            autoscaling(problems, spec.getAutoscaling());
        }
        if (spec.getAdminUi() == null) {
            problems.add("spec.adminUi may be omitted but not null");
        } else {
            adminUi(problems, spec.getAdminUi());
        }

        ExternalRedis external = spec.getRedis().getExternal();
        if (external == null) {
            image(problems, "spec.redis.image", spec.getRedis().getImage());
        } else {
            externalRedis(problems, external);
        }
        return problems;
    }

    private static void autoscaling(List<String> problems, AutoscalingSpec autoscaling) {
        range(problems, "spec.autoscaling.minReplicas", autoscaling.getMinReplicas(), 1, 1000);
        range(problems, "spec.autoscaling.maxReplicas", autoscaling.getMaxReplicas(), 1, 1000);
        range(problems, "spec.autoscaling.targetSessionsPerNode", autoscaling.getTargetSessionsPerNode(), 1, Integer.MAX_VALUE);
        range(problems, "spec.autoscaling.scaleUpStabilizationSeconds", autoscaling.getScaleUpStabilizationSeconds(), 0, 3600);
        range(problems, "spec.autoscaling.scaleDownStabilizationSeconds", autoscaling.getScaleDownStabilizationSeconds(), 0, 3600);
        if (autoscaling.getMinReplicas() != null && autoscaling.getMaxReplicas() != null
                && autoscaling.getMinReplicas() > autoscaling.getMaxReplicas()) {
            problems.add("spec.autoscaling.minReplicas (" + autoscaling.getMinReplicas() + ") must not exceed maxReplicas ("
                    + autoscaling.getMaxReplicas() + ")");
        }
    }

    private static void adminUi(List<String> problems, AdminUiSpec adminUi) {
        if (adminUi.getUsername() == null || !adminUi.getUsername().matches("\\S+")) {
            problems.add("spec.adminUi.username must be one word, got '" + adminUi.getUsername() + "'");
        }
        if (adminUi.isEnabled() && (adminUi.getPasswordSecret() == null || adminUi.getPasswordSecret().getName() == null
                || adminUi.getPasswordSecret().getName().isBlank())) {
            problems.add("spec.adminUi.passwordSecret.name is required when the admin UI is enabled: "
                    + "a Secret key holding the password's bcrypt hash");
        }
        List<String> origins = adminUi.getAllowedOrigins() == null ? List.of() : adminUi.getAllowedOrigins();
        for (String origin : origins) {
            if (!isOrigin(origin)) {
                problems.add("spec.adminUi.allowedOrigins: each must be an origin such as " + AdminUiSpec.HOSTED_UI_ORIGIN
                        + " (scheme, host and port only), got '" + origin + "'");
            }
        }
    }

    /** What a browser sends as Origin: scheme://host[:port], nothing after; '*' would drop the credentials the UI needs. */
    private static boolean isOrigin(String origin) {
        if (origin == null || origin.contains(",")) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawPath().isEmpty() && uri.getRawQuery() == null
                    && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The CRD's CEL rules on spec.redis.replicas, for local mode and an API server that skipped them. */
    private static void redisReplicas(List<String> problems, RedisSpec redis) {
        Integer replicas = redis.getReplicas();
        if (replicas == null || replicas < 1 || replicas == 2 || replicas > RedisSpec.MAX_REPLICAS) {
            problems.add("spec.redis.replicas must be 1 or 3 to " + RedisSpec.MAX_REPLICAS
                    + " (2 Sentinels cannot outvote the loss of one), got " + replicas);
        } else if (replicas > 1 && !redis.isManaged()) {
            problems.add("spec.redis.replicas is for the operator-managed Redis; leave it at 1 with spec.redis.external");
        }
    }

    private static void externalRedis(List<String> problems, ExternalRedis external) {
        String field = "spec.redis.external";
        if ((external.getUrl() == null) == (external.getSentinel() == null)) {
            problems.add(field + " needs exactly one of url and sentinel");
        }
        if (external.getUrl() != null) {
            redisUrl(problems, external.getUrl());
        }
        if (external.getPasswordSecret() == null || external.getPasswordSecret().getName() == null
                || external.getPasswordSecret().getName().isBlank()) {
            problems.add(field + ".passwordSecret.name is required: Redis must be password-protected");
        }
        if (external.getUsername() != null && !external.getUsername().matches("[^\\s]+")) {
            problems.add(field + ".username must be one word, got '" + external.getUsername() + "'");
        }
        RedisTls tls = external.getTls();
        if (tls != null && tls.getCaSecret() != null && tls.getCaConfigMap() != null) {
            problems.add(field + ".tls: give the CA bundle in caSecret or caConfigMap, not both");
        }
        RedisSentinel sentinel = external.getSentinel();
        if (sentinel != null) {
            if (external.isCluster()) {
                problems.add(field + ": a Redis Cluster is not reached through Sentinel");
            }
            if (sentinel.getMasterName() == null || !sentinel.getMasterName().matches("[^\\s,]+")) {
                problems.add(field + ".sentinel.masterName is required, one word, got '" + sentinel.getMasterName() + "'");
            }
            List<String> addresses = sentinel.getAddresses() == null ? List.of() : sentinel.getAddresses();
            if (addresses.isEmpty()) {
                problems.add(field + ".sentinel.addresses needs at least one host:port");
            }
            for (String address : addresses) {
                if (address == null || !address.matches("[^\\s,:]+:[0-9]{1,5}")
                        || Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)) > 65535) {
                    problems.add(field + ".sentinel.addresses: each must be host:port, got '" + address + "'");
                }
            }
        }
    }

    private static void redisUrl(List<String> problems, String url) {
        try {
            URI uri = new URI(url);
            if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.add("spec.redis.external.url must look like redis://HOST:PORT, got '" + url + "'");
            } else if (uri.getUserInfo() != null) {
                problems.add("spec.redis.external.url must not carry credentials; put the password in spec.redis.external.passwordSecret");
            }
        } catch (URISyntaxException e) {
            problems.add("spec.redis.external.url is not a URL: " + e.getMessage());
        }
    }

    private static void range(List<String> problems, String field, Integer value, int min, int max) {
        if (value == null) {
            problems.add(field + " is required");
        } else if (value < min || value > max) {
            problems.add(field + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void image(List<String> problems, String field, String image) {
        if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
            problems.add(field + " must be an image reference without spaces, got '" + image + "'");
        }
    }
}
