package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.testing.EndpointSliceController;
import io.socketfleet.operator.testing.Fleets;
import io.socketfleet.operator.testing.MockCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator against fabric8's CRUD mock API server; the test plays the built-in controllers. */
class SocketFleetReconcilerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
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

    private static SocketFleet create(String namespace, int replicas) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        return client.resource(Fleets.fleet("chat", namespace, replicas)).create();
    }

    private static <T extends HasMetadata> T awaitChild(Class<T> type, String namespace, String name) {
        await().atMost(WAIT).until(() -> client.resources(type).inNamespace(namespace).withName(name).get() != null);
        return client.resources(type).inNamespace(namespace).withName(name).get();
    }

    private static SocketFleet fleet(String namespace) {
        return client.resources(SocketFleet.class).inNamespace(namespace).withName("chat").get();
    }

    /**
     * Changes the spec as kubectl edit does, with a patch: the operator writes the status
     * concurrently, so a read-then-PUT would race it for the resourceVersion.
     */
    private static void editFleet(String namespace, java.util.function.Consumer<SocketFleet> change) {
        client.resources(SocketFleet.class).inNamespace(namespace).withName("chat").edit(fleet -> {
            change.accept(fleet);
            return fleet;
        });
    }

    private static String config(String namespace) {
        ConfigMap map = client.configMaps().inNamespace(namespace).withName("chat-nginx").get();
        return map == null ? "" : map.getData().get("nginx.conf");
    }

    /** Plays the EndpointSlice controller: one slice listing these IPs, ready or not. */
    private static void endpoints(String namespace, Map<String, Boolean> readiness) {
        List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> endpoints = new ArrayList<>();
        readiness.forEach((ip, ready) -> endpoints.add(endpoint(ip, ready, ready, false)));
        slice(namespace, endpoints);
    }

    /** An endpoint with the conditions the EndpointSlice controller sets (ready = serving and not terminating). */
    private static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(String ip, boolean ready, boolean serving,
                                                                                  boolean terminating) {
        return new EndpointBuilder().withAddresses(ip)
                .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
                .withNewTargetRef().withKind("Pod").withName("chat-node-" + ip.substring(ip.lastIndexOf('.') + 1)).endTargetRef()
                .build();
    }

    private static void slice(String namespace, List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> endpoints) {
        EndpointSlice slice = new EndpointSliceBuilder()
                .withNewMetadata().withName("chat-nodes-x7k2p").withNamespace(namespace)
                    .withLabels(EndpointSliceController.labels(client, namespace, "chat-nodes")).endMetadata()
                .withAddressType("IPv4")
                .withEndpoints(endpoints)
                .addNewPort().withName("http").withPort(3000).withProtocol("TCP").endPort()
                .build();
        // One request, as the controller's own update is: applied under the controller's field manager.
        client.resource(slice).fieldManager("endpointslice-controller").forceConflicts().serverSideApply();
    }

    /** Plays the Deployment controller's status reporting. */
    private static void deploymentStatus(String namespace, String name, int replicas, int ready) {
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
        deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas).withReadyReplicas(ready).withAvailableReplicas(ready).withUpdatedReplicas(replicas).build());
        client.resource(deployment).updateStatus();
    }

    private static Map<String, Boolean> ready(int count) {
        Map<String, Boolean> map = new java.util.TreeMap<>();
        IntStream.rangeClosed(1, count).forEach(i -> map.put("10.244.0." + (10 + i), true));
        return map;
    }

    private static long serverLines(String config) {
        return config.lines().filter(l -> l.strip().startsWith("server 10.")).count();
    }

    @Test
    void createsEveryChildOwnedLabelledAndHardened() {
        SocketFleet fleet = create("create", 3);
        String uid = fleet(fleet.getMetadata().getNamespace()).getMetadata().getUid();

        Deployment nodes = awaitChild(Deployment.class, "create", "chat-node");
        List<HasMetadata> children = List.of(nodes, awaitChild(Deployment.class, "create", "chat-nginx"),
                awaitChild(Deployment.class, "create", "chat-redis"), awaitChild(Service.class, "create", "chat-nodes"),
                awaitChild(Service.class, "create", "chat-nginx"), awaitChild(Service.class, "create", "chat-redis"),
                awaitChild(Secret.class, "create", "chat-redis-auth"), awaitChild(ConfigMap.class, "create", "chat-nginx"),
                awaitChild(NetworkPolicy.class, "create", "chat-redis"));
        for (HasMetadata child : children) {
            OwnerReference owner = child.getMetadata().getOwnerReferences().get(0);
            assertEquals("SocketFleet", owner.getKind(), child.getMetadata().getName());
            assertEquals(uid, owner.getUid());
            assertEquals("chat", child.getMetadata().getLabels().get("socketfleet.io/fleet"));
            assertEquals("socketfleet-operator", child.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        }

        assertEquals(3, nodes.getSpec().getReplicas());
        assertEquals(25L, nodes.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds(), "drain 10 s + margin");
        Container node = nodes.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("/servingz", node.getReadinessProbe().getHttpGet().getPath(), "a draining node stays serving");
        assertEquals("/healthz", node.getLivenessProbe().getHttpGet().getPath());
        assertTrue(node.getReadinessProbe().getFailureThreshold() >= 2 && node.getReadinessProbe().getTimeoutSeconds() >= 2,
                "one slow answer does not make the node unready");
        assertEquals("metadata.name", env(node, "NODE_NAME").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("status.podIP", env(node, "POD_IP").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("$(POD_IP):3000", env(node, "ADVERTISE_ADDRESS").getValue());
        assertEquals("redis://chat-redis.create.svc:6379", env(node, "REDIS_URL").getValue());
        assertEquals("chat-redis-auth", env(node, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName());
        assertTrue(node.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(node.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), node.getSecurityContext().getCapabilities().getDrop());
        assertTrue(nodes.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot());

        Service headless = client.services().inNamespace("create").withName("chat-nodes").get();
        assertEquals("None", headless.getSpec().getClusterIP());

        Deployment nginx = client.apps().deployments().inNamespace("create").withName("chat-nginx").get();
        var mount = nginx.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getName().equals("config")).findFirst().orElseThrow();
        assertNull(mount.getSubPath(), "mounted as a directory, so updates reach the pod");
        assertEquals(20L, nginx.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds(),
                "the 10 s drain period + margin: a stopping nginx quits gracefully, then stops at the drain deadline");
        assertEquals("NodePort", client.services().inNamespace("create").withName("chat-nginx").get().getSpec().getType());
        Container exporter = nginx.getSpec().getTemplate().getSpec().getContainers().get(1);
        assertEquals("nginx/nginx-prometheus-exporter:1.4.2", exporter.getImage(), "a pinned tag");
        assertEquals(List.of("--nginx.scrape-uri=http://127.0.0.1:8081/stub_status", "--web.listen-address=:9113"), exporter.getArgs());
        assertEquals("metrics", exporter.getPorts().get(0).getName());
        assertTrue(exporter.getSecurityContext().getRunAsNonRoot() && exporter.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals("64Mi", exporter.getResources().getLimits().get("memory").toString());
        assertNull(exporter.getReadinessProbe(), "the exporter never takes nginx out of its Service");
        assertTrue(client.configMaps().inNamespace("create").withName("chat-nginx").get().getData().get("nginx.conf")
                .contains("listen 127.0.0.1:8081;"), "stub_status on loopback, where the exporter reads it");

        Secret secret = client.secrets().inNamespace("create").withName("chat-redis-auth").get();
        assertTrue(secret.getData().get("password").length() >= 40, "a generated password");
        assertTrue(config("create").contains("return 503"), "no ready node yet: a valid config answering 503");

        await().atMost(WAIT).until(() -> fleet("create").getStatus() != null
                && "socketfleet.io/fleet=chat,app.kubernetes.io/component=socket-node".equals(fleet("create").getStatus().getSelector()));
    }

    @Test
    void aTerminatingNodeThatStillServesKeepsItsSessionsButTakesNoNewConnections() {
        create("drain", 2);
        awaitChild(ConfigMap.class, "drain", "chat-nginx");
        endpoints("drain", ready(2));
        await().atMost(WAIT).until(() -> serverLines(config("drain")) == 2);

        slice("drain", List.of(endpoint("10.244.0.11", true, true, false), endpoint("10.244.0.12", false, true, true)));
        await().atMost(WAIT).until(() -> serverLines(config("drain")) == 1);
        String draining = config("drain");
        assertTrue(draining.contains("\"~^0af4000c0bb8\\.\" 10.244.0.12:3000;  # chat-node-12, draining"), draining);
        assertFalse(draining.contains("server 10.244.0.12:3000"), draining);
        await().atMost(WAIT).until(() -> fleet("drain").getStatus().getBackends().stream()
                .anyMatch(b -> b.getAddress().equals("10.244.0.12:3000") && !b.getReady() && b.getServing()));

        slice("drain", List.of(endpoint("10.244.0.11", true, true, false), endpoint("10.244.0.12", false, false, true)));
        await().atMost(WAIT).until(() -> !config("drain").contains("10.244.0.12"));
    }

    @Test
    void configFollowsReadyEndpointsRecordsEventsAndWritesNothingWhenNothingChanged() throws Exception {
        create("follow", 3);
        awaitChild(ConfigMap.class, "follow", "chat-nginx");
        String passwordBefore = client.secrets().inNamespace("follow").withName("chat-redis-auth").get().getData().get("password");

        endpoints("follow", Map.of("10.244.0.11", true, "10.244.0.12", true, "10.244.0.13", false));
        await().atMost(WAIT).until(() -> serverLines(config("follow")) == 2);
        String config = config("follow");
        assertTrue(config.contains("server 10.244.0.11:3000") && config.contains("server 10.244.0.12:3000"));
        assertFalse(config.contains("10.244.0.13"), "unready endpoint left out");
        assertTrue(config.contains("\"~^0af4000b0bb8\\.\" 10.244.0.11:3000;"), "route-token map entry");

        long started = System.nanoTime();
        endpoints("follow", Map.of("10.244.0.11", true, "10.244.0.12", true, "10.244.0.13", true));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> serverLines(config("follow")) == 3);
        System.out.printf("EndpointSlice change -> ConfigMap rewritten in %d ms%n", (System.nanoTime() - started) / 1_000_000);

        await().atMost(WAIT).until(() -> client.v1().events().inNamespace("follow").list().getItems().stream()
                .anyMatch(e -> "BackendsChanged".equals(e.getReason()) && e.getMessage().contains("2 -> 3")
                        && e.getMessage().contains("10.244.0.13:3000")));
        Event event = client.v1().events().inNamespace("follow").list().getItems().get(0);
        assertEquals("SocketFleet", event.getInvolvedObject().getKind());
        await().atMost(WAIT).until(() -> fleet("follow").getStatus().getBackendCount() == 3);

        // Nothing new: status reports and slice relabels reconcile, but must not rewrite the ConfigMap.
        String version = client.configMaps().inNamespace("follow").withName("chat-nginx").get().getMetadata().getResourceVersion();
        deploymentStatus("follow", "chat-node", 3, 3);
        EndpointSlice slice = client.resources(EndpointSlice.class).inNamespace("follow").withName("chat-nodes-x7k2p").get();
        slice.getMetadata().getLabels().put("touched", "yes");
        client.resource(slice).update();
        await().atMost(WAIT).until(() -> Objects.equals(fleet("follow").getStatus().getReadyReplicas(), 3));
        Thread.sleep(1000);
        assertEquals(version, client.configMaps().inNamespace("follow").withName("chat-nginx").get().getMetadata().getResourceVersion());
        assertEquals(passwordBefore, client.secrets().inNamespace("follow").withName("chat-redis-auth").get().getData().get("password"),
                "the Redis password is generated once");
        assertEquals(2, client.v1().events().inNamespace("follow").list().getItems().stream()
                .filter(e -> "BackendsChanged".equals(e.getReason())).count(),
                "one Event per real backend change (none -> 2 -> 3), none for the reconciles that changed nothing");
    }

    @Test
    void scalingThreeToFiveToTwoRewritesTheConfigAndStatusFollows() {
        create("scale", 3);
        awaitChild(Deployment.class, "scale", "chat-nginx");
        deploymentStatus("scale", "chat-nginx", 1, 1);
        endpoints("scale", ready(3));
        deploymentStatus("scale", "chat-node", 3, 3);
        await().atMost(WAIT).until(() -> serverLines(config("scale")) == 3);
        awaitCondition("scale", "Ready", "True");

        for (int replicas : new int[] {5, 2}) {
            editFleet("scale", fleet -> fleet.getSpec().setReplicas(replicas));
            await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace("scale").withName("chat-node").get()
                    .getSpec().getReplicas() == replicas);
            awaitCondition("scale", "Ready", "False");
            assertEquals("True", condition("scale", "Progressing"));

            endpoints("scale", ready(replicas));
            deploymentStatus("scale", "chat-node", replicas, replicas);
            await().atMost(WAIT).until(() -> serverLines(config("scale")) == replicas);
            awaitCondition("scale", "Ready", "True");
            SocketFleet status = fleet("scale");
            assertEquals(replicas, status.getStatus().getReadyReplicas());
            assertEquals(replicas, status.getStatus().getBackendCount());
            assertEquals(replicas, status.getStatus().getBackends().size());
            assertEquals(status.getMetadata().getGeneration(), status.getStatus().getObservedGeneration());
            assertEquals("False", condition("scale", "Progressing"));
        }
    }

    @Test
    void aScaleChangesOnlyReplicasAndKeepsWhatOthersSetOnThePodTemplate() {
        create("restart", 2);
        awaitChild(Deployment.class, "restart", "chat-node");
        await().atMost(WAIT).until(() -> fleet("restart").getStatus() != null);
        // kubectl rollout restart: a strategic-merge patch under its own field manager
        client.apps().deployments().inNamespace("restart").withName("chat-node")
                .patch(new PatchContext.Builder().withPatchType(PatchType.STRATEGIC_MERGE).withFieldManager("kubectl-rollout").build(),
                        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
                                + "{\"kubectl.kubernetes.io/restartedAt\":\"2026-11-26T15:00:00Z\"}}}}}");
        Deployment before = client.apps().deployments().inNamespace("restart").withName("chat-node").get();

        client.resources(SocketFleet.class).inNamespace("restart").withName("chat").scale(4);
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace("restart").withName("chat-node").get()
                .getSpec().getReplicas() == 4);

        Deployment after = client.apps().deployments().inNamespace("restart").withName("chat-node").get();
        assertEquals("2026-11-26T15:00:00Z",
                after.getSpec().getTemplate().getMetadata().getAnnotations().get("kubectl.kubernetes.io/restartedAt"),
                "another manager's annotation survives the operator's apply");
        assertEquals(before.getSpec().getTemplate(), after.getSpec().getTemplate(), "the pod template is untouched: no rollout");
        before.getSpec().setReplicas(4);
        assertEquals(before.getSpec(), after.getSpec(), "nothing but replicas changed");
        assertTrue(after.getMetadata().getManagedFields().stream()
                .anyMatch(f -> f.getManager().equals("socketfleet") && f.getOperation().equals("Apply")),
                "the operator writes by server-side apply");
    }

    @Test
    void aBurstOfBackendChangesIsCoalescedIntoAFewConfigWrites() throws Exception {
        create("burst", 30);
        awaitChild(Deployment.class, "burst", "chat-nginx");
        client.pods().inNamespace("burst").resource(new PodBuilder().withNewMetadata().withName("chat-nginx-abc")
                .addToLabels("socketfleet.io/fleet", "chat").addToLabels("app.kubernetes.io/component", "nginx").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx").endContainer().endSpec().build()).create();
        endpoints("burst", ready(1));
        await().atMost(WAIT).until(() -> serverLines(config("burst")) == 1);
        Thread.sleep(1000); // quiet before the burst
        long writes = operatorRequests("PUT", "/namespaces/burst/configmaps/chat-nginx");
        long events = backendEvents("burst");
        long stamps = operatorRequests("PATCH", "/namespaces/burst/pods/chat-nginx-abc");

        long started = System.nanoTime();
        for (int ready = 2; ready <= 31; ready++) { // 30 EndpointSlice updates, 50 ms apart
            long next = started + (ready - 1) * 50_000_000L;
            endpoints("burst", ready(ready));
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        }
        long burstMillis = (System.nanoTime() - started) / 1_000_000;
        await().atMost(WAIT).until(() -> serverLines(config("burst")) == 31);
        await().atMost(WAIT).until(() -> fleet("burst").getStatus().getBackendCount() == 31);
        Thread.sleep(1000);

        writes = operatorRequests("PUT", "/namespaces/burst/configmaps/chat-nginx") - writes;
        events = backendEvents("burst") - events;
        stamps = operatorRequests("PATCH", "/namespaces/burst/pods/chat-nginx-abc") - stamps;
        System.out.printf("30 EndpointSlice updates 50 ms apart (%d ms in all) -> %d ConfigMap writes, %d BackendsChanged Events,"
                + " %d pod stamps%n", burstMillis, writes, events, stamps);
        // Two writes are at least the quiet period apart unless a quiet spell came between, so a
        // slow machine that stretches the burst gets proportionally more writes, never 30.
        long bound = burstMillis / ConfigDebounce.QUIET.toMillis() + 2;
        assertTrue(writes >= 1 && writes < 30 && writes <= bound,
                writes + " writes for a burst of " + burstMillis + " ms (at most " + bound + ")");
        assertEquals(writes, events, "one Event per written config");
        assertEquals(writes, stamps, "one stamp per written config");
    }

    private static long operatorRequests(String method, String pathPart) {
        return cluster.dispatcher().requests().stream()
                .filter(r -> "socketfleet-operator".equals(r.userAgent()) && r.method().equals(method) && r.path().contains(pathPart))
                .count();
    }

    private static long backendEvents(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> "BackendsChanged".equals(e.getReason())).count();
    }

    @Test
    void scaleSubresourceChangesReplicas() {
        create("subresource", 2);
        awaitChild(Deployment.class, "subresource", "chat-node");
        client.resources(SocketFleet.class).inNamespace("subresource").withName("chat").scale(4);
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace("subresource").withName("chat-node").get()
                .getSpec().getReplicas() == 4);
    }

    @Test
    void anInvalidFleetIsDegradedAndNothingIsCreated() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("invalid").endMetadata().build()).create();
        SocketFleet bad = Fleets.fleet("chat", "invalid", 3);
        bad.getSpec().getNginx().setHashKey("$x; include /etc/passwd");
        client.resource(bad).create();

        awaitCondition("invalid", "Degraded", "True");
        String message = fleet("invalid").getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Degraded")).findFirst().orElseThrow().getMessage();
        assertTrue(message.contains("spec.nginx.hashKey"), message);
        assertNull(client.apps().deployments().inNamespace("invalid").withName("chat-node").get(), "nothing half-made");
        assertNull(client.configMaps().inNamespace("invalid").withName("chat-nginx").get());
    }

    @Test
    void anInvalidEditLeavesTheRunningFleetAlone() {
        create("bad-edit", 3);
        awaitChild(Deployment.class, "bad-edit", "chat-node");
        editFleet("bad-edit", fleet -> {
            fleet.getSpec().setReplicas(7);
            fleet.getSpec().getNginx().setProxyReadTimeoutSeconds(30); // below ping interval + timeout (45 s)
        });

        awaitCondition("bad-edit", "Degraded", "True");
        assertTrue(fleet("bad-edit").getStatus().getConditions().stream()
                .anyMatch(c -> c.getMessage().contains("spec.nginx.proxyReadTimeoutSeconds")));
        assertEquals(3, client.apps().deployments().inNamespace("bad-edit").withName("chat-node").get().getSpec().getReplicas());
    }

    @Test
    void shardedPubSubReachesTheNodesEnvironment() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("sharded").endMetadata().build()).create();
        SocketFleet fleet = Fleets.fleet("chat", "sharded", 2);
        fleet.getSpec().getRedis().setPubsub(io.socketfleet.operator.api.RedisSpec.PubSub.sharded);
        client.resource(fleet).create();

        Container node = awaitChild(Deployment.class, "sharded", "chat-node").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("sharded", env(node, "REDIS_PUBSUB").getValue());
        assertTrue(node.getEnv().stream().noneMatch(e -> e.getName().equals("REDIS_SUBSCRIPTION_MODE")),
                "the nodes' default subscription mode is createShardedAdapter's ('dynamic')");
    }

    @Test
    void externalRedisReplacesTheManagedOne() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("external").endMetadata().build()).create();
        SocketFleet fleet = Fleets.fleet("chat", "external", 2);
        var external = new io.socketfleet.operator.api.ExternalRedis();
        external.setUrl("redis://shared-redis.data.svc:6379");
        var secret = new io.socketfleet.operator.api.SecretKeyRef();
        secret.setName("shared-redis");
        external.setPasswordSecret(secret);
        fleet.getSpec().getRedis().setExternal(external);
        client.resource(fleet).create();

        Deployment nodes = awaitChild(Deployment.class, "external", "chat-node");
        Container node = nodes.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("redis://shared-redis.data.svc:6379", env(node, "REDIS_URL").getValue());
        assertEquals("shared-redis", env(node, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName());
        assertNull(client.apps().deployments().inNamespace("external").withName("chat-redis").get());
        assertNull(client.secrets().inNamespace("external").withName("chat-redis-auth").get());
    }

    @Test
    void aFleetWhoseRedisHoldsStateGetsAStatefulSetOnAVolumeAndBackTheLightDeploymentWithout() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("stateful").endMetadata().build()).create();
        SocketFleet fleet = Fleets.fleet("chat", "stateful", 2);
        fleet.getSpec().getRedis().setAdapter(io.socketfleet.operator.api.RedisSpec.Adapter.streams);
        fleet.getSpec().getRedis().getPersistence().setSize("5Gi");
        fleet.getSpec().getRedis().getPersistence().setStorageClass("fast-ssd");
        client.resource(fleet).create();

        var redis = awaitChild(io.fabric8.kubernetes.api.model.apps.StatefulSet.class, "stateful", "chat-redis");
        assertNull(client.apps().deployments().inNamespace("stateful").withName("chat-redis").get(), "no light Deployment too");
        var claim = redis.getSpec().getVolumeClaimTemplates().get(0);
        assertEquals("data", claim.getMetadata().getName());
        assertEquals("5Gi", claim.getSpec().getResources().getRequests().get("storage").toString());
        assertEquals("fast-ssd", claim.getSpec().getStorageClassName());
        assertEquals(List.of("ReadWriteOnce"), claim.getSpec().getAccessModes());
        assertEquals("chat-redis-headless", redis.getSpec().getServiceName(), "the pods' DNS names come from the headless Service");
        assertTrue(awaitChild(Service.class, "stateful", "chat-redis-headless").getSpec().getClusterIP().equals("None"));
        assertEquals(1, redis.getSpec().getReplicas());
        var pod = redis.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        String start = container.getCommand().get(2);
        assertTrue(start.contains("--appendonly yes --appendfsync everysec") && start.contains("--dir /data"), start);
        assertTrue(start.startsWith("printf 'requirepass %s\\n' \"$REDIS_PASSWORD\" > /conf/redis.conf"), "the password stays off the volume: " + start);
        assertEquals("/data", container.getVolumeMounts().stream().filter(m -> m.getName().equals("data")).findFirst().orElseThrow().getMountPath());
        assertEquals(Long.valueOf(999), pod.getSecurityContext().getRunAsUser(), "non-root as before");
        assertNotNull(redis.getSpec().getTemplate().getMetadata().getAnnotations().get("socketfleet.io/redis-secret-hash"));
        assertEquals("chat-redis-auth", env(container, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName());
        assertNotNull(client.network().v1().networkPolicies().inNamespace("stateful").withName("chat-redis").get(),
                "only the fleet's nodes reach it, as before");
        Container node = awaitChild(Deployment.class, "stateful", "chat-node").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("redis://chat-redis.stateful.svc:6379", env(node, "REDIS_URL").getValue());

        // Back to pub/sub only: the light Deployment returns, the StatefulSet goes (its claim stays, as claims do).
        editFleet("stateful", f -> f.getSpec().getRedis().setAdapter(io.socketfleet.operator.api.RedisSpec.Adapter.pubsub));
        awaitChild(Deployment.class, "stateful", "chat-redis");
        await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace("stateful").withName("chat-redis").get() == null);
        await().atMost(WAIT).until(() -> client.services().inNamespace("stateful").withName("chat-redis-headless").get() == null);
    }

    @Test
    void aReplicatedRedisIsAStatefulSetOfRedisAndSentinelPodsThatTheNodesReachThroughTheSentinels() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("replicated").endMetadata().build()).create();
        SocketFleet fleet = Fleets.fleet("chat", "replicated", 2);
        fleet.getSpec().getRedis().setReplicas(3);
        client.resource(fleet).create();

        var redis = awaitChild(io.fabric8.kubernetes.api.model.apps.StatefulSet.class, "replicated", "chat-redis");
        assertNull(client.apps().deployments().inNamespace("replicated").withName("chat-redis").get(),
                "pub/sub adapter, yet replicated: the StatefulSet, not the light Deployment");
        assertEquals(3, redis.getSpec().getReplicas());
        assertEquals("chat-redis-headless", redis.getSpec().getServiceName());
        assertEquals("data", redis.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName(), "a volume per pod");
        var pod = redis.getSpec().getTemplate().getSpec();
        assertEquals(List.of("redis", "sentinel"), pod.getContainers().stream().map(Container::getName).toList());
        String hosts = "chat-redis-0.chat-redis-headless.replicated.svc chat-redis-1.chat-redis-headless.replicated.svc "
                + "chat-redis-2.chat-redis-headless.replicated.svc";
        for (Container container : pod.getContainers()) {
            assertEquals(hosts, env(container, "REDIS_NODES").getValue(), container.getName());
            assertEquals("metadata.name", env(container, "POD_NAME").getValueFrom().getFieldRef().getFieldPath());
            assertEquals("2", env(container, "SENTINEL_QUORUM").getValue(), "a majority of three");
            assertEquals("chat-redis-auth", env(container, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName(),
                    "one password for Redis, replication and the Sentinels");
            assertEquals(Long.valueOf(999), pod.getSecurityContext().getRunAsUser());
            assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/conf")), container.getName());
        }
        Container server = pod.getContainers().get(0);
        assertTrue(server.getCommand().get(2).contains("appendonly yes"), "AOF on the volume");
        assertTrue(server.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/data")));
        assertTrue(pod.getContainers().get(1).getCommand().get(2).endsWith("--sentinel"));
        assertEquals(26379, pod.getContainers().get(1).getPorts().get(0).getContainerPort());
        assertEquals("kubernetes.io/hostname", pod.getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution().get(0).getPodAffinityTerm().getTopologyKey());

        Service headless = awaitChild(Service.class, "replicated", "chat-redis-headless");
        assertEquals("None", headless.getSpec().getClusterIP());
        assertTrue(headless.getSpec().getPublishNotReadyAddresses(), "a starting pod is found by name");
        assertEquals(List.of(6379, 26379), headless.getSpec().getPorts().stream().map(p -> p.getPort()).toList());
        assertEquals(List.of(26379), awaitChild(Service.class, "replicated", "chat-redis").getSpec().getPorts().stream()
                .map(p -> p.getPort()).toList(), "behind one address only the Sentinels: a replica is read-only");

        var policy = awaitChild(NetworkPolicy.class, "replicated", "chat-redis").getSpec();
        assertEquals(List.of("socket-node", "redis"), policy.getIngress().get(0).getFrom().stream()
                .map(f -> f.getPodSelector().getMatchLabels().get("app.kubernetes.io/component")).toList());
        assertEquals("chat", policy.getIngress().get(0).getFrom().get(1).getPodSelector().getMatchLabels().get("socketfleet.io/fleet"));
        assertEquals(List.of(6379, 26379), policy.getIngress().get(0).getPorts().stream().map(p -> p.getPort().getIntVal()).toList());

        Container node = awaitChild(Deployment.class, "replicated", "chat-node").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertNull(env(node, "REDIS_URL"), "the master is wherever the Sentinels say");
        assertEquals("socketfleet", env(node, "REDIS_SENTINEL_MASTER").getValue());
        assertEquals("chat-redis-0.chat-redis-headless.replicated.svc:26379,chat-redis-1.chat-redis-headless.replicated.svc:26379,"
                + "chat-redis-2.chat-redis-headless.replicated.svc:26379", env(node, "REDIS_SENTINEL_ADDRESSES").getValue());
        assertEquals("chat-redis-auth", env(node, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName());
        assertEquals("chat-redis-auth", env(node, "REDIS_SENTINEL_PASSWORD").getValueFrom().getSecretKeyRef().getName());

        // Two would be a pair of Sentinels that cannot outvote the loss of one: refused, the running set left alone.
        editFleet("replicated", f -> f.getSpec().getRedis().setReplicas(2));
        awaitCondition("replicated", "Degraded", "True");
        assertTrue(fleet("replicated").getStatus().getConditions().stream()
                .anyMatch(c -> c.getMessage().contains("spec.redis.replicas must be 1 or 3")));
        assertEquals(3, client.apps().statefulSets().inNamespace("replicated").withName("chat-redis").get().getSpec().getReplicas());
    }

    @Test
    void anExternalRedisBehindSentinelWithTlsAndAnAclUserReachesTheNodePods() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("sentinel").endMetadata().build()).create();
        SocketFleet fleet = Fleets.fleet("chat", "sentinel", 2);
        var external = new io.socketfleet.operator.api.ExternalRedis();
        external.setUsername("fleet");
        var password = new io.socketfleet.operator.api.SecretKeyRef();
        password.setName("redis-fleet-user");
        external.setPasswordSecret(password);
        external.setSentinel(new io.socketfleet.operator.api.RedisSentinel());
        external.getSentinel().setMasterName("mymaster");
        external.getSentinel().setAddresses(List.of("redis-sentinel-0.data.svc:26379", "redis-sentinel-1.data.svc:26379"));
        var sentinelPassword = new io.socketfleet.operator.api.SecretKeyRef();
        sentinelPassword.setName("sentinel-auth");
        sentinelPassword.setKey("sentinel-password");
        external.getSentinel().setPasswordSecret(sentinelPassword);
        external.setTls(new io.socketfleet.operator.api.RedisTls());
        var ca = new io.socketfleet.operator.api.ConfigMapKeyRef();
        ca.setName("redis-ca-bundle");
        external.getTls().setCaConfigMap(ca);
        external.getTls().setClientCertSecret("fleet-client-cert");
        fleet.getSpec().getRedis().setExternal(external);
        client.resource(fleet).create();

        var pod = awaitChild(Deployment.class, "sentinel", "chat-node").getSpec().getTemplate().getSpec();
        Container node = pod.getContainers().get(0);
        assertNull(env(node, "REDIS_URL"), "Sentinel says where the master is");
        assertEquals("mymaster", env(node, "REDIS_SENTINEL_MASTER").getValue());
        assertEquals("redis-sentinel-0.data.svc:26379,redis-sentinel-1.data.svc:26379", env(node, "REDIS_SENTINEL_ADDRESSES").getValue());
        assertEquals("sentinel-password", env(node, "REDIS_SENTINEL_PASSWORD").getValueFrom().getSecretKeyRef().getKey());
        assertEquals("fleet", env(node, "REDIS_USERNAME").getValue());
        assertEquals("redis-fleet-user", env(node, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName());
        assertEquals("true", env(node, "REDIS_TLS").getValue());
        assertEquals("/etc/socketfleet/redis/ca/ca.crt", env(node, "REDIS_TLS_CA_FILE").getValue());
        assertEquals("/etc/socketfleet/redis/client/tls.crt", env(node, "REDIS_TLS_CERT_FILE").getValue());
        assertEquals("/etc/socketfleet/redis/client/tls.key", env(node, "REDIS_TLS_KEY_FILE").getValue());
        assertNull(env(node, "REDIS_TLS_VERIFY_HOSTNAME"), "verified, the node's default");

        var caVolume = pod.getVolumes().stream().filter(v -> v.getName().equals("redis-ca")).findFirst().orElseThrow();
        assertEquals("redis-ca-bundle", caVolume.getConfigMap().getName());
        assertEquals("ca.crt", caVolume.getConfigMap().getItems().get(0).getPath());
        var cert = pod.getVolumes().stream().filter(v -> v.getName().equals("redis-client-cert")).findFirst().orElseThrow();
        assertEquals("fleet-client-cert", cert.getSecret().getSecretName());
        assertEquals(0440, cert.getSecret().getDefaultMode());
        assertTrue(node.getVolumeMounts().stream().allMatch(m -> !m.getName().startsWith("redis-") || m.getReadOnly()),
                "TLS files are mounted read-only");
        assertEquals(List.of("/etc/socketfleet/redis/ca", "/etc/socketfleet/redis/client"), node.getVolumeMounts().stream()
                .filter(m -> m.getName().startsWith("redis-")).map(m -> m.getMountPath()).toList());
        assertNull(client.apps().deployments().inNamespace("sentinel").withName("chat-redis").get());
    }

    @Test
    void theAdminUiIsSwitchedOnFromTheFleetWithItsHashFromASecret() {
        create("admin", 2);
        Container before = awaitChild(Deployment.class, "admin", "chat-node").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertNull(env(before, "ADMIN_UI"), "off unless asked for");
        assertNull(env(before, "CORS_ORIGINS"), "no cross-origin access without the UI");

        editFleet("admin", f -> {
            var hash = new io.socketfleet.operator.api.SecretKeyRef();
            hash.setName("admin-ui-auth");
            hash.setKey("bcrypt");
            f.getSpec().getAdminUi().setEnabled(true);
            f.getSpec().getAdminUi().setUsername("ops");
            f.getSpec().getAdminUi().setPasswordSecret(hash);
            f.getSpec().getAdminUi().setReadonly(true);
        });
        await().atMost(WAIT).until(() -> env(nodeContainer("admin"), "ADMIN_UI") != null);
        Container node = nodeContainer("admin");
        assertEquals("true", env(node, "ADMIN_UI").getValue());
        assertEquals("ops", env(node, "ADMIN_UI_USERNAME").getValue());
        EnvVar hash = env(node, "ADMIN_UI_PASSWORD_HASH");
        assertNull(hash.getValue(), "the hash never sits in the Deployment");
        assertEquals("admin-ui-auth", hash.getValueFrom().getSecretKeyRef().getName());
        assertEquals("bcrypt", hash.getValueFrom().getSecretKeyRef().getKey());
        assertEquals("true", env(node, "ADMIN_UI_READONLY").getValue());
        assertEquals("https://admin.socket.io", env(node, "CORS_ORIGINS").getValue(), "the hosted UI's origin by default");
        assertNull(env(node, "ADMIN_UI_MODE"), "admin-ui's default mode, development");
        assertNull(client.secrets().inNamespace("admin").withName("admin-ui-auth").get(), "the operator reads no such Secret");

        editFleet("admin", f -> {
            f.getSpec().getAdminUi().setReadonly(false);
            f.getSpec().getAdminUi().setAllowedOrigins(List.of("https://ops.example.com", "http://localhost:8080"));
            f.getSpec().getAdminUi().setMode(io.socketfleet.operator.api.AdminUiSpec.Mode.production);
        });
        await().atMost(WAIT).until(() -> env(nodeContainer("admin"), "ADMIN_UI_READONLY") == null);
        assertEquals("production", env(nodeContainer("admin"), "ADMIN_UI_MODE").getValue());
        assertEquals("https://ops.example.com,http://localhost:8080", env(nodeContainer("admin"), "CORS_ORIGINS").getValue());

        editFleet("admin", f -> f.getSpec().getAdminUi().setEnabled(false));
        await().atMost(WAIT).until(() -> env(nodeContainer("admin"), "ADMIN_UI") == null);
        assertNull(env(nodeContainer("admin"), "ADMIN_UI_PASSWORD_HASH"));
        assertNull(env(nodeContainer("admin"), "CORS_ORIGINS"));
    }

    private Container nodeContainer(String namespace) {
        return client.apps().deployments().inNamespace(namespace).withName("chat-node").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void configChangesAreStampedOnRunningNginxPods() {
        create("stamp", 1);
        awaitChild(Deployment.class, "stamp", "chat-nginx");
        client.pods().inNamespace("stamp").resource(new PodBuilder().withNewMetadata().withName("chat-nginx-abc")
                .addToLabels("socketfleet.io/fleet", "chat").addToLabels("app.kubernetes.io/component", "nginx").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx").endContainer().endSpec().build()).create();
        endpoints("stamp", ready(1));
        await().atMost(WAIT).until(() -> serverLines(config("stamp")) == 1);
        await().atMost(WAIT).until(() -> {
            String hash = fleet("stamp").getStatus().getConfigHash();
            var annotations = client.pods().inNamespace("stamp").withName("chat-nginx-abc").get().getMetadata().getAnnotations();
            return hash != null && annotations != null && hash.equals(annotations.get("socketfleet.io/config-hash"));
        });
    }

    @Test
    void deletingTheFleetStopsReconcilingIt() throws Exception {
        create("delete", 2);
        awaitChild(Deployment.class, "delete", "chat-node");
        client.resources(SocketFleet.class).inNamespace("delete").withName("chat").delete();
        await().atMost(WAIT).until(() -> fleet("delete") == null);
        // The cluster's garbage collector removes the children through their ownerReferences;
        // the operator must simply not bring the fleet back or fail on its slices.
        endpoints("delete", ready(2));
        Thread.sleep(1000);
        assertNull(fleet("delete"));
        assertNotNull(client.apps().deployments().inNamespace("delete").withName("chat-node").get().getMetadata()
                .getOwnerReferences().get(0).getUid());
    }

    /** The fleet as the API server has it, for failure messages. */
    private static String describe(String namespace) {
        SocketFleet fleet = fleet(namespace);
        return fleet == null ? "no fleet" : client.getKubernetesSerialization().asYaml(fleet);
    }

    private static void awaitCondition(String namespace, String type, String status) {
        try {
            await().atMost(WAIT).until(() -> condition(namespace, type).equals(status));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(type + " never became " + status + ":\n" + describe(namespace), e);
        }
    }

    private static String condition(String namespace, String type) {
        SocketFleet fleet = fleet(namespace);
        if (fleet == null || fleet.getStatus() == null) {
            return "";
        }
        return fleet.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
                .map(c -> c.getStatus()).findFirst().orElse("");
    }

    /** The container's variable of that name, or null. */
    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElse(null);
    }
}
