package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.testing.Fleets;
import io.socketfleet.operator.testing.MockCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Security-relevant children are put back exactly, whoever widened them (the test plays
 * kubectl edit/patch under its own field manager against the apply-aware mock API server),
 * and a new Redis password rolls every pod that uses it.
 */
class ExactChildrenTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PatchContext KUBECTL_MERGE = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
            .withFieldManager("kubectl-patch").build();
    private static final PatchContext KUBECTL_JSON = new PatchContext.Builder().withPatchType(PatchType.JSON)
            .withFieldManager("kubectl-patch").build();
    private static MockCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = new MockCluster();
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static void create(String namespace) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        client.resource(Fleets.fleet("chat", namespace, 2)).create();
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(namespace).withName("chat-nginx").get() != null
                && client.network().v1().networkPolicies().inNamespace(namespace).withName("chat-redis").get() != null
                && client.apps().deployments().inNamespace(namespace).withName("chat-redis").get() != null);
    }

    @Test
    void anExtraPeerInTheRedisNetworkPolicyIsRemoved() {
        create("policy");
        client.network().v1().networkPolicies().inNamespace("policy").withName("chat-redis").patch(KUBECTL_JSON,
                "[{\"op\":\"add\",\"path\":\"/spec/ingress/0/from/-\",\"value\":{\"namespaceSelector\":{}}}]");
        await().atMost(WAIT).until(() -> peers("policy") == 1);
        NetworkPolicy policy = client.network().v1().networkPolicies().inNamespace("policy").withName("chat-redis").get();
        assertEquals(Map.of("socketfleet.io/fleet", "chat", "app.kubernetes.io/component", "socket-node"),
                policy.getSpec().getIngress().get(0).getFrom().get(0).getPodSelector().getMatchLabels());
    }

    private static int peers(String namespace) {
        return client.network().v1().networkPolicies().inNamespace(namespace).withName("chat-redis").get()
                .getSpec().getIngress().get(0).getFrom().size();
    }

    @Test
    void anExtraSelectorKeyOrExternalIpOnTheNginxServiceIsRemoved() {
        create("service");
        await().atMost(WAIT).until(() -> client.services().inNamespace("service").withName("chat-nginx").get() != null);
        client.services().inNamespace("service").withName("chat-nginx").patch(KUBECTL_MERGE,
                "{\"spec\":{\"selector\":{\"team\":\"other\"},\"externalIPs\":[\"203.0.113.7\"]}}");
        await().atMost(WAIT).until(() -> {
            var spec = client.services().inNamespace("service").withName("chat-nginx").get().getSpec();
            return spec.getSelector().size() == 2 && (spec.getExternalIPs() == null || spec.getExternalIPs().isEmpty());
        });
        assertEquals(Map.of("socketfleet.io/fleet", "chat", "app.kubernetes.io/component", "nginx"),
                client.services().inNamespace("service").withName("chat-nginx").get().getSpec().getSelector());
    }

    @Test
    void aSidecarAddedToNginxIsRemovedButARestartStampStays() {
        create("sidecar");
        client.apps().deployments().inNamespace("sidecar").withName("chat-nginx").patch(KUBECTL_JSON,
                "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/-\",\"value\":{\"name\":\"sniffer\",\"image\":\"busybox\"}},"
                        + "{\"op\":\"add\",\"path\":\"/spec/template/metadata/annotations\","
                        + "\"value\":{\"kubectl.kubernetes.io/restartedAt\":\"2026-11-26T15:00:00Z\"}}]");
        await().atMost(WAIT).until(() -> containers("sidecar").equals(List.of("nginx", "metrics-exporter")));
        assertEquals("2026-11-26T15:00:00Z", client.apps().deployments().inNamespace("sidecar").withName("chat-nginx").get()
                .getSpec().getTemplate().getMetadata().getAnnotations().get("kubectl.kubernetes.io/restartedAt"));
    }

    private static List<String> containers(String namespace) {
        return client.apps().deployments().inNamespace(namespace).withName("chat-nginx").get().getSpec().getTemplate()
                .getSpec().getContainers().stream().map(c -> c.getName()).toList();
    }

    @Test
    void anExtraKeyInTheRedisSecretIsRemoved() {
        create("secret");
        client.secrets().inNamespace("secret").withName("chat-redis-auth").patch(KUBECTL_MERGE, "{\"data\":{\"other\":\"eA==\"}}");
        await().atMost(WAIT).until(() -> client.secrets().inNamespace("secret").withName("chat-redis-auth").get()
                .getData().keySet().equals(java.util.Set.of("password")));
    }

    @Test
    void aRecreatedSecretRollsRedisAndTheNodesOntoTheNewPassword() {
        create("rotate");
        String first = awaitStampedOnBoth("rotate", passwordHash("rotate"));

        client.secrets().inNamespace("rotate").withName("chat-redis-auth").delete();
        await().atMost(WAIT).until(() -> {
            Secret secret = client.secrets().inNamespace("rotate").withName("chat-redis-auth").get();
            return secret != null && !hash(secret).equals(first);
        });
        String second = awaitStampedOnBoth("rotate", passwordHash("rotate"));
        assertNotEquals(first, second, "a new password, so the pods that use it roll");
    }

    private static String passwordHash(String namespace) {
        await().atMost(WAIT).until(() -> client.secrets().inNamespace(namespace).withName("chat-redis-auth").get() != null);
        return hash(client.secrets().inNamespace(namespace).withName("chat-redis-auth").get());
    }

    private static String hash(Secret secret) {
        return NginxConfig.hash(secret.getData().get("password")).substring(0, 16);
    }

    private static String awaitStampedOnBoth(String namespace, String hash) {
        await().atMost(WAIT).until(() -> hash.equals(stamp(namespace, "chat-redis")) && hash.equals(stamp(namespace, "chat-node")));
        return hash;
    }

    private static String stamp(String namespace, String deployment) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
        var annotations = d == null ? null : d.getSpec().getTemplate().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get("socketfleet.io/redis-secret-hash");
    }
}
