package io.socketfleet.operator.validation;

import io.socketfleet.operator.api.ConfigMapKeyRef;
import io.socketfleet.operator.api.ExternalRedis;
import io.socketfleet.operator.api.FleetNameRules;
import io.socketfleet.operator.api.RedisSentinel;
import io.socketfleet.operator.api.RedisTls;
import io.socketfleet.operator.api.SecretKeyRef;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.testing.Fleets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each invalid value is reported with the field it concerns. */
class FleetValidatorTest {

    private static List<String> problems(Consumer<SocketFleet> change) {
        SocketFleet fleet = Fleets.fleet("chat", "default", 3);
        change.accept(fleet);
        return FleetValidator.validate(fleet);
    }

    private static void rejected(String field, Consumer<SocketFleet> change) {
        List<String> problems = problems(change);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(field)), field + " not named in " + problems);
    }

    @Test
    void defaultsAreValid() {
        assertEquals(List.of(), problems(f -> { }));
    }

    @Test
    void aManagedRedisRunsOneOrThreeToSevenPodsAndAnExternalOneIsNotReplicatedByUs() {
        for (int replicas : new int[] {1, 3, 5, 7}) {
            assertEquals(List.of(), problems(f -> f.getSpec().getRedis().setReplicas(replicas)), "replicas " + replicas);
        }
        for (Integer replicas : new Integer[] {0, 2, 8, null}) {
            rejected("spec.redis.replicas must be 1 or 3", f -> f.getSpec().getRedis().setReplicas(replicas));
        }
        rejected("spec.redis.replicas is for the operator-managed Redis", f -> {
            f.getSpec().getRedis().setReplicas(3);
            f.getSpec().getRedis().setExternal(external("redis://redis.data.svc:6379", "s"));
        });
    }

    @Test
    void namesTheFieldOfEachProblem() {
        rejected("spec.replicas", f -> f.getSpec().setReplicas(-1));
        rejected("spec.replicas", f -> f.getSpec().setReplicas(null));
        rejected("spec.node.port", f -> f.getSpec().getNode().setPort(80));
        rejected("spec.node.pingIntervalMs", f -> f.getSpec().getNode().setPingIntervalMs(10));
        rejected("spec.node.drainSeconds", f -> f.getSpec().getNode().setDrainSeconds(-5));
        rejected("spec.node.image", f -> f.getSpec().getNode().setImage("two words"));
        rejected("spec.nginx.hashKey", f -> f.getSpec().getNginx().setHashKey("$a; include /etc/passwd"));
        rejected("spec.nginx.hashKey", f -> f.getSpec().getNginx().setHashKey("literal"));
        rejected("spec.nginx.serverWeight", f -> f.getSpec().getNginx().setServerWeight(0));
        rejected("spec.nginx.replicas", f -> f.getSpec().getNginx().setReplicas(0));
        rejected("spec.nginx.proxyReadTimeoutSeconds", f -> f.getSpec().getNginx().setProxyReadTimeoutSeconds(45));
        rejected("spec.redis.external.url", f -> f.getSpec().getRedis().setExternal(external("http://x", "s")));
        rejected("spec.redis.external.url", f -> f.getSpec().getRedis().setExternal(external("redis://:pw@x:6379", "s")));
        rejected("spec.redis.external.passwordSecret", f -> f.getSpec().getRedis().setExternal(external("redis://x:6379", null)));
        rejected("spec.redis.pubsub", f -> f.getSpec().getRedis().setPubsub(null));
        rejected("spec.redis.subscriptionMode", f -> f.getSpec().getRedis().setSubscriptionMode(null));
        rejected("spec.node", f -> f.getSpec().setNode(null));
        rejected("spec.node.rebalanceTolerancePercent", f -> f.getSpec().getNode().setRebalanceTolerancePercent(101));
        rejected("spec.autoscaling.targetSessionsPerNode", f -> f.getSpec().setAutoscaling(new io.socketfleet.operator.api.AutoscalingSpec()));
        rejected("spec.autoscaling.minReplicas", f -> {
            var autoscaling = new io.socketfleet.operator.api.AutoscalingSpec();
            autoscaling.setTargetSessionsPerNode(500);
            autoscaling.setMinReplicas(6);
            autoscaling.setMaxReplicas(4);
            f.getSpec().setAutoscaling(autoscaling);
        });
    }

    @Test
    void anExternalRedisIsReachedOneWayWithEveryPartWellFormed() {
        assertEquals(List.of(), problems(f -> f.getSpec().getRedis().setExternal(sentinel("mymaster", "s-0.redis:26379", "10.0.0.7:26379"))));
        ExternalRedis tls = external("rediss://redis.data.svc:6380", "s");
        tls.setUsername("fleet");
        tls.setTls(new RedisTls());
        tls.getTls().setCaSecret(ref("redis-ca"));
        tls.getTls().setClientCertSecret("fleet-client");
        assertEquals(List.of(), problems(f -> f.getSpec().getRedis().setExternal(tls)));

        rejected("spec.redis.external needs exactly one of url and sentinel", f -> {
            ExternalRedis both = sentinel("mymaster", "s-0:26379");
            both.setUrl("redis://x:6379");
            f.getSpec().getRedis().setExternal(both);
        });
        rejected("spec.redis.external needs exactly one of url and sentinel", f -> f.getSpec().getRedis().setExternal(external(null, "s")));
        rejected("spec.redis.external: a Redis Cluster is not reached through Sentinel", f -> {
            ExternalRedis clustered = sentinel("mymaster", "s-0:26379");
            clustered.setCluster(true);
            f.getSpec().getRedis().setExternal(clustered);
        });
        rejected("spec.redis.external.sentinel.masterName", f -> f.getSpec().getRedis().setExternal(sentinel("my master", "s-0:26379")));
        rejected("spec.redis.external.sentinel.addresses needs", f -> f.getSpec().getRedis().setExternal(sentinel("m")));
        for (String bad : List.of("s-0", "s-0:port", "s 0:26379", "s-0:26379,s-1:26379", "s-0:99999")) {
            rejected("spec.redis.external.sentinel.addresses: each", f -> f.getSpec().getRedis().setExternal(sentinel("m", bad)));
        }
        rejected("spec.redis.external.username", f -> {
            ExternalRedis spaced = external("redis://x:6379", "s");
            spaced.setUsername("two words");
            f.getSpec().getRedis().setExternal(spaced);
        });
        rejected("spec.redis.external.tls: give the CA bundle in caSecret or caConfigMap, not both", f -> {
            ExternalRedis twoCas = external("rediss://x:6380", "s");
            twoCas.setTls(new RedisTls());
            twoCas.getTls().setCaSecret(ref("ca"));
            twoCas.getTls().setCaConfigMap(new ConfigMapKeyRef());
            f.getSpec().getRedis().setExternal(twoCas);
        });
    }

    @Test
    void theAdminUiNeedsItsHashFromASecretAndNamesOriginsExactly() {
        rejected("spec.adminUi.passwordSecret.name is required", f -> f.getSpec().getAdminUi().setEnabled(true));
        assertEquals(List.of(), problems(f -> {
            f.getSpec().getAdminUi().setEnabled(true);
            var hash = new io.socketfleet.operator.api.SecretKeyRef();
            hash.setName("admin-ui");
            f.getSpec().getAdminUi().setPasswordSecret(hash);
            f.getSpec().getAdminUi().setAllowedOrigins(List.of("https://admin.socket.io", "http://localhost:8080"));
        }));
        for (String bad : List.of("*", "admin.socket.io", "https://admin.socket.io/", "https://a.example,https://b.example",
                "ftp://admin.socket.io", "https://user@admin.socket.io")) {
            rejected("spec.adminUi.allowedOrigins: each must be an origin", f -> f.getSpec().getAdminUi().setAllowedOrigins(List.of(bad)));
        }
        rejected("spec.adminUi.username must be one word", f -> f.getSpec().getAdminUi().setUsername("the admin"));
    }

    private static ExternalRedis sentinel(String master, String... addresses) {
        ExternalRedis external = external(null, "s");
        external.setSentinel(new RedisSentinel());
        external.getSentinel().setMasterName(master);
        external.getSentinel().setAddresses(List.of(addresses));
        return external;
    }

    private static SecretKeyRef ref(String name) {
        SecretKeyRef ref = new SecretKeyRef();
        ref.setName(name);
        return ref;
    }

    @ParameterizedTest(name = "name \"{0}\"")
    @ValueSource(strings = {"chat.v2", "1chat", "Chat", "chat_v2", "-chat", "chat-", "", "x;}location/etc{", "chat\nserver",
            "chat'", "chat\"", "ch at", "caf\u00e9", "a23456789012345678901234567890123456789012345678901234"})
    void refusesAnyNameThatCouldNotNameEveryChild(String name) {
        List<String> problems = FleetValidator.validate(Fleets.fleet(name, "default", 3));
        assertEquals(1, problems.size(), "only the name is reported: " + problems);
        assertTrue(problems.get(0).startsWith("metadata.name"), problems.get(0));
        assertFalse(problems.get(0).contains("\n"), "the refusal prints the name on one line");
    }

    @ParameterizedTest(name = "namespace \"{0}\"")
    @ValueSource(strings = {"Default", "team.a", "team_a", "-a", "x;}", "a234567890123456789012345678901234567890123456789012345678901234"})
    void refusesAnyNamespaceThatIsNotADnsLabel(String namespace) {
        List<String> problems = FleetValidator.validate(Fleets.fleet("chat", namespace, 3));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("metadata.namespace"), problems.get(0));
    }

    @Test
    void missingNameOrNamespaceIsRefused() {
        assertEquals(List.of("metadata.name is required"), FleetValidator.validate(Fleets.fleet(null, "default", 3)));
        assertTrue(FleetValidator.validate(Fleets.fleet("chat", null, 3)).get(0).startsWith("metadata.namespace"));
    }

    @Test
    void acceptsDnsLabelsUpToTheLengthThatLeavesRoomForEverySuffix() {
        String longest = "c" + "0123456789".repeat(5) + "z";
        assertEquals(FleetNameRules.MAX_NAME_LENGTH, longest.length());
        for (String name : List.of("chat", "c", "chat-v2", "a1", longest)) {
            assertEquals(List.of(), FleetValidator.validate(Fleets.fleet(name, "1team-a", 3)), name);
        }
    }

    @Test
    void proxyTimeoutJustAboveThePingWindowIsAccepted() {
        assertEquals(List.of(), problems(f -> f.getSpec().getNginx().setProxyReadTimeoutSeconds(46)));
    }

    private static ExternalRedis external(String url, String secret) {
        ExternalRedis external = new ExternalRedis();
        external.setUrl(url);
        if (secret != null) {
            SecretKeyRef ref = new SecretKeyRef();
            ref.setName(secret);
            external.setPasswordSecret(ref);
        }
        return external;
    }
}
