package io.socketfleet.operator.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.socketfleet.operator.api.ExternalRedis;
import io.socketfleet.operator.api.SecretKeyRef;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.testing.EndpointSliceController;
import io.socketfleet.operator.testing.Fleets;
import io.socketfleet.operator.testing.MockCluster;
import io.socketfleet.operator.testing.RecordingCrudDispatcher;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Least privilege, checked against behaviour: the operator runs a full fleet life cycle
 * against the mock API server, every request it makes is recorded, and the ClusterRole and
 * Role in deploy/ must grant exactly those (verb, group, resource) triples.
 */
class RbacIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A permission as RBAC spells it. */
    record Permission(String group, String resource, String verb) implements Comparable<Permission> {
        @Override
        public int compareTo(Permission o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
        }
    }

    @Test
    void deployGrantsExactlyWhatTheOperatorUses() throws Exception {
        Map<String, Set<Permission>> used;
        try (MockCluster cluster = new MockCluster("socketfleet-system")) {
            runLifecycle(cluster.client(), "demo");
            used = used(cluster.dispatcher().requests());
        }
        Set<Permission> usedAnywhere = new TreeSet<>();
        used.values().forEach(usedAnywhere::addAll);
        usedAnywhere.addAll(unexercised());
        Set<Permission> granted = new TreeSet<>();
        granted(DeployManifestsIT.kustomize()).values().forEach(granted::addAll);

        Set<Permission> missing = new TreeSet<>(usedAnywhere);
        missing.removeAll(granted);
        Set<Permission> unused = new TreeSet<>(granted);
        unused.removeAll(usedAnywhere);
        assertEquals(Set.of(), missing, "the operator needs these but deploy/ does not grant them");
        assertEquals(Set.of(), unused, "deploy/ grants these but the operator never uses them");
    }

    @Test
    void theNamespacedInstallGrantsExactlyWhatTheOperatorUsesWhereItUsesIt() throws Exception {
        Map<String, Set<Permission>> used;
        try (MockCluster cluster = new MockCluster("socketfleet-system", Set.of("demo"))) {
            runLifecycle(cluster.client(), "demo");
            used = used(cluster.dispatcher().requests());
        }
        used.computeIfAbsent("socketfleet-system", n -> new TreeSet<>()).add(LEASE_UPDATE);
        used.computeIfAbsent("demo", n -> new TreeSet<>()).add(FLEET_GET);

        List<HasMetadata> manifests = DeployManifestsIT.kustomize("deploy/namespaced");
        assertEquals(List.of(), manifests.stream().filter(m -> m instanceof ClusterRole || m instanceof ClusterRoleBinding)
                .map(HasMetadata::getKind).toList(), "no cluster-wide grant");
        assertEquals(granted(manifests), used,
                "per namespace (\"\" = cluster-wide): the Roles of deploy/namespaced against the operator's requests");
    }

    /**
     * Used in production but not reached by a short life cycle. JOSDK checks at startup that it
     * may create and update the Lease, whether or not the lock then updates it (fabric8's lock
     * patches). A status write that meets a newer version of the fleet (409) reads the fleet
     * again and retries (PrimaryUpdateAndCacheUtils).
     */
    private static final Permission LEASE_UPDATE = new Permission("coordination.k8s.io", "leases", "update");
    private static final Permission FLEET_GET = new Permission("socketfleet.io", "socketfleets", "get");

    private static Set<Permission> unexercised() {
        return Set.of(LEASE_UPDATE, FLEET_GET);
    }

    private static void runLifecycle(KubernetesClient client, String ns) {
        for (String namespace : List.of("socketfleet-system", ns)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        }
        client.resource(Fleets.fleet("chat", ns, 2)).create();
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("chat-redis").get() != null
                && client.apps().deployments().inNamespace(ns).withName("chat-nginx").get() != null);
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("chat-nginx-1")
                .addToLabels("socketfleet.io/fleet", "chat").addToLabels("app.kubernetes.io/component", "nginx").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx").endContainer().endSpec().build()).create();
        client.resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("chat-nodes-1").withNamespace(ns)
                    .withLabels(EndpointSliceController.labels(client, ns, "chat-nodes")).endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.0.0.1").withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewPort().withName("http").withPort(3000).endPort()
                .build()).create();
        await().atMost(WAIT).until(() -> client.configMaps().inNamespace(ns).withName("chat-nginx").get()
                .getData().get("nginx.conf").contains("server 10.0.0.1:3000"));
        await().atMost(WAIT).until(() -> client.pods().inNamespace(ns).withName("chat-nginx-1").get()
                .getMetadata().getAnnotations() != null);

        // Drift is corrected: a tampered Secret or NetworkPolicy is put back.
        // Edited as kubectl edit does (a patch): the operator writes these objects concurrently,
        // so a read-then-PUT would race it for the resourceVersion.
        client.secrets().inNamespace(ns).withName("chat-redis-auth").edit(tampered -> {
            tampered.setData(java.util.Map.of("other", "eA=="));
            return tampered;
        });
        await().atMost(WAIT).until(() -> client.secrets().inNamespace(ns).withName("chat-redis-auth").get()
                .getData().containsKey("password"));
        client.network().v1().networkPolicies().inNamespace(ns).withName("chat-redis").edit(policy -> {
            policy.getSpec().setIngress(List.of());
            return policy;
        });
        await().atMost(WAIT).until(() -> !client.network().v1().networkPolicies().inNamespace(ns).withName("chat-redis").get()
                .getSpec().getIngress().isEmpty());

        // Spec changes reach the Services too.
        client.resources(SocketFleet.class).inNamespace(ns).withName("chat").edit(changed -> {
            changed.getSpec().getNode().setPort(3100);
            changed.getSpec().getNginx().setServiceType(io.socketfleet.operator.api.NginxSpec.ServiceType.ClusterIP);
            return changed;
        });
        await().atMost(WAIT).until(() -> client.services().inNamespace(ns).withName("chat-nodes").get()
                .getSpec().getPorts().get(0).getPort() == 3100
                && "ClusterIP".equals(client.services().inNamespace(ns).withName("chat-nginx").get().getSpec().getType()));

        // Redis that holds state: the light Deployment gives way to a StatefulSet.
        client.resources(SocketFleet.class).inNamespace(ns).withName("chat").edit(fleet -> {
            fleet.getSpec().getRedis().setAdapter(io.socketfleet.operator.api.RedisSpec.Adapter.streams);
            return fleet;
        });
        await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace(ns).withName("chat-redis").get() != null
                && client.apps().deployments().inNamespace(ns).withName("chat-redis").get() == null);

        // Replicated with Sentinels: the same StatefulSet at three pods, the headless Service, a wider NetworkPolicy.
        client.resources(SocketFleet.class).inNamespace(ns).withName("chat").edit(fleet -> {
            fleet.getSpec().getRedis().setReplicas(3);
            return fleet;
        });
        await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace(ns).withName("chat-redis").get()
                .getSpec().getReplicas() == 3
                && client.services().inNamespace(ns).withName("chat-redis-headless").get() != null
                && client.network().v1().networkPolicies().inNamespace(ns).withName("chat-redis").get()
                        .getSpec().getIngress().get(0).getPorts().size() == 2);
        client.resources(SocketFleet.class).inNamespace(ns).withName("chat").edit(fleet -> {
            fleet.getSpec().getRedis().setReplicas(1);
            return fleet;
        });

        ExternalRedis external = new ExternalRedis();
        external.setUrl("redis://shared.data.svc:6379");
        SecretKeyRef secret = new SecretKeyRef();
        secret.setName("shared");
        external.setPasswordSecret(secret);
        client.resources(SocketFleet.class).inNamespace(ns).withName("chat").edit(fleet -> {
            fleet.getSpec().setReplicas(3);
            fleet.getSpec().getRedis().setExternal(external);
            return fleet;
        });
        await().atMost(WAIT).until(() -> client.apps().statefulSets().inNamespace(ns).withName("chat-redis").get() == null
                && client.apps().deployments().inNamespace(ns).withName("chat-node").get().getSpec().getReplicas() == 3);

        // spec.autoscaling: no node pod answers, so 0 sessions call for minReplicas, written through /scale;
        // the scale-down lists the node pods for their deletion costs first.
        io.socketfleet.operator.api.AutoscalingSpec autoscaling = new io.socketfleet.operator.api.AutoscalingSpec();
        autoscaling.setTargetSessionsPerNode(100);
        autoscaling.setScaleDownStabilizationSeconds(0);
        client.resources(SocketFleet.class).inNamespace(ns).withName("chat").edit(fleet -> {
            fleet.getSpec().setAutoscaling(autoscaling);
            return fleet;
        });
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("chat-node").get().getSpec().getReplicas() == 1);
        await().atMost(WAIT).until(() -> client.leases().inNamespace("socketfleet-system").list().getItems().size() == 1);
        // let the lease be renewed at least once (an update)
        await().atMost(WAIT).until(() -> {
            var lease = client.leases().inNamespace("socketfleet-system").list().getItems().get(0);
            return lease.getSpec().getRenewTime() != null && !lease.getSpec().getRenewTime().equals(lease.getSpec().getAcquireTime());
        });
    }

    /** The operator's requests as RBAC sees them, by namespace ("" for cluster-wide ones). */
    static Map<String, Set<Permission>> used(List<RecordingCrudDispatcher.Request> requests) {
        Map<String, Set<Permission>> used = new TreeMap<>();
        for (RecordingCrudDispatcher.Request request : requests) {
            if (!"socketfleet-operator".equals(request.userAgent())) {
                continue;
            }
            URI uri = URI.create(request.path());
            String[] parts = uri.getPath().substring(1).split("/");
            int i;
            String group;
            if (request.path().startsWith("/apis/authorization.k8s.io/")) {
                continue; // self reviews are allowed to every authenticated user by default
            }
            if (parts[0].equals("api") && parts.length >= 3) {
                group = "";
                i = 2;
            } else if (parts[0].equals("apis") && parts.length >= 4) {
                group = parts[1];
                i = 3;
            } else {
                continue; // discovery and other non-resource URLs
            }
            String namespace = "";
            if (parts.length > i + 1 && parts[i].equals("namespaces") && parts.length > i + 2) {
                namespace = parts[i + 1];
                i += 2; // namespaced resource
            }
            String resource = parts[i];
            String name = parts.length > i + 1 ? parts[i + 1] : null;
            String subresource = parts.length > i + 2 ? parts[i + 2] : null;
            String query = uri.getQuery() == null ? "" : uri.getQuery();
            String verb = switch (request.method()) {
                case "GET" -> name != null ? "get" : query.contains("watch=true") ? "watch" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> name != null ? "delete" : "deletecollection";
                default -> request.method().toLowerCase();
            };
            used.computeIfAbsent(namespace, n -> new TreeSet<>())
                    .add(new Permission(group, subresource == null ? resource : resource + "/" + subresource, verb));
        }
        return used;
    }

    /** What the manifests grant, by namespace ("" for a ClusterRole's cluster-wide grants). */
    static Map<String, Set<Permission>> granted(List<HasMetadata> manifests) {
        Map<String, Set<Permission>> granted = new TreeMap<>();
        for (HasMetadata manifest : manifests) {
            List<PolicyRule> rules = manifest instanceof ClusterRole role ? role.getRules()
                    : manifest instanceof Role role ? role.getRules() : List.of();
            String namespace = manifest instanceof Role ? manifest.getMetadata().getNamespace() : "";
            for (PolicyRule rule : rules) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            granted.computeIfAbsent(namespace, n -> new TreeSet<>()).add(new Permission(group, resource, verb));
                        }
                    }
                }
            }
        }
        return granted;
    }
}
