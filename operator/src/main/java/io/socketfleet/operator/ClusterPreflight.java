package io.socketfleet.operator;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.socketfleet.operator.api.SocketFleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * What a first {@code run} most often lacks, checked before the operator starts: a cluster,
 * the SocketFleet CRD, and the permissions of deploy/rbac. Each problem is one line saying
 * what to do, instead of a framework stack trace minutes later.
 */
final class ClusterPreflight {

    static final String NO_CLUSTER = "no Kubernetes cluster found (no kubeconfig, not in a pod) — to try socketfleet "
            + "without one, run ./run-local.sh";

    /** The ClusterRole and leader-election Role of deploy/rbac, packaged into the jar. */
    private static final String CLUSTER_ROLE = "/rbac/cluster-role.yaml";
    private static final String LEADER_ELECTION_ROLE = "/rbac/leader-election-role.yaml";

    private final KubernetesClient client;
    private final String server;
    private final String identity;
    private final boolean inCluster;

    private ClusterPreflight(KubernetesClient client, String server, String identity, boolean inCluster) {
        this.client = client;
        this.server = server;
        this.identity = identity;
        this.inCluster = inCluster;
    }

    /**
     * @param leaseNamespace namespace of the leader-election Lease, or null without leader election
     * @return the first problem found, as one line, or empty when the operator can start
     */
    static Optional<String> problem(Config config, Map<String, String> env, String leaseNamespace) {
        boolean inCluster = env.containsKey("KUBERNETES_SERVICE_HOST");
        if (!inCluster && !env.containsKey("KUBERNETES_MASTER") && System.getProperty("kubernetes.master") == null
                && Config.getKubeconfigFilenames().stream().noneMatch(f -> Files.isRegularFile(Path.of(f)))) {
            return Optional.of(NO_CLUSTER);
        }
        // Fail fast: the operator's own client retries for minutes, which is right later but not here.
        Config once = new ConfigBuilder(config).withRequestRetryBackoffLimit(0).withConnectionTimeout(5_000)
                .withRequestTimeout(10_000).build();
        String identity = inCluster ? "the operator's service account"
                : "the kubeconfig user '" + (config.getCurrentContext() == null ? "?" : config.getCurrentContext().getContext().getUser()) + "'";
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(once).build()) {
            ClusterPreflight preflight = new ClusterPreflight(client, config.getMasterUrl(), identity, inCluster);
            Set<String> watched = OperatorRuntime.watchedNamespaces(env.get(OperatorRuntime.WATCH_NAMESPACES));
            return preflight.reachable().or(preflight::crdInstalled).or(() -> preflight.permitted(leaseNamespace, watched));
        }
    }

    private Optional<String> reachable() {
        try {
            client.getKubernetesVersion();
            return Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 401) {
                return Optional.of("the Kubernetes API server at " + server + " rejected the credentials (401 Unauthorized) — "
                        + "renew them in the kubeconfig ('kubectl get nodes' must work)");
            }
            if (e.getCode() > 0) {
                return Optional.empty(); // it answered: the checks below say what is wrong, if anything
            }
            return Optional.of("cannot reach the Kubernetes API server at " + server + " (" + describe(e) + ") — is the cluster "
                    + "running? 'kubectl cluster-info' shows which one the kubeconfig names; without a cluster, run ./run-local.sh");
        }
    }

    private Optional<String> crdInstalled() {
        String crd = HasMetadata.getFullResourceName(SocketFleet.class);
        String missing = "the SocketFleet CRD (" + crd + ") is not installed — run 'kubectl apply -f crds/" + crd
                + "-v1.yml' (or 'kubectl apply -k deploy/', which installs the operator too)";
        try {
            APIResourceList served = client.getApiResources(HasMetadata.getApiVersion(SocketFleet.class));
            boolean found = served != null && served.getResources().stream()
                    .anyMatch(r -> r.getName().equals(HasMetadata.getPlural(SocketFleet.class)));
            return found ? Optional.empty() : Optional.of(missing);
        } catch (KubernetesClientException e) {
            return e.getCode() == 404 ? Optional.of(missing)
                    : Optional.of("cannot tell whether the SocketFleet CRD is installed: " + describe(e));
        }
    }

    /**
     * Asks the API server's authorizer, rule by rule, whether this identity holds deploy/rbac's
     * grants: cluster-wide, or in each watched namespace (the namespace-scoped install grants
     * the same rules there by Roles).
     */
    private Optional<String> permitted(String leaseNamespace, Set<String> watched) {
        List<String> denied = new ArrayList<>();
        for (PolicyRule rule : load(CLUSTER_ROLE, ClusterRole.class).getRules()) {
            if (watched.isEmpty()) {
                denied.addAll(denied(rule, null));
            }
            for (String namespace : watched) {
                denied.addAll(denied(rule, namespace));
            }
        }
        if (leaseNamespace != null) {
            for (PolicyRule rule : load(LEADER_ELECTION_ROLE, Role.class).getRules()) {
                denied.addAll(denied(rule, leaseNamespace));
            }
        }
        if (denied.isEmpty()) {
            return Optional.empty();
        }
        String more = denied.size() == 1 ? "" : " (and " + (denied.size() - 1) + " more of the rules it needs)";
        String fix = inCluster ? "apply deploy/rbac: 'kubectl apply -k deploy/'"
                : "run it as a user holding the rules of deploy/rbac/, or in the cluster with 'kubectl apply -k deploy/'";
        return Optional.of("forbidden: " + identity + " may not " + denied.get(0) + more + " — " + fix);
    }

    private List<String> denied(PolicyRule rule, String namespace) {
        List<String> denied = new ArrayList<>();
        for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
                for (String verb : rule.getVerbs()) {
                    if (!allowed(verb, group, resource, namespace)) {
                        denied.add(verb + " " + resource + (group.isEmpty() ? "" : "." + group)
                                + (namespace == null ? " cluster-wide" : " in namespace " + namespace));
                    }
                }
            }
        }
        return denied;
    }

    private boolean allowed(String verb, String group, String resource, String namespace) {
        String[] resourceAndSub = resource.split("/", 2);
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
                .withVerb(verb).withGroup(group).withResource(resourceAndSub[0])
                .withSubresource(resourceAndSub.length > 1 ? resourceAndSub[1] : null).withNamespace(namespace)
                .endResourceAttributes().endSpec().build();
        SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
        return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }

    private <T> T load(String resource, Class<T> type) {
        try (InputStream in = ClusterPreflight.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar (packaged from deploy/rbac)");
            }
            return client.getKubernetesSerialization().unmarshal(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reason a request failed, in a few words (the JDK leaves most connection errors without a message). */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
            if (cause instanceof HttpTimeoutException || cause instanceof java.net.SocketTimeoutException) {
                return "timed out";
            }
            if (cause instanceof SSLException) {
                return "TLS: " + cause.getMessage();
            }
        }
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
