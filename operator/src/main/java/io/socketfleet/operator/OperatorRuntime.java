package io.socketfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.socketfleet.operator.metrics.OperatorMetrics;
import io.socketfleet.operator.reconciler.SocketFleetReconciler;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Builds the operator the same way for production and for tests, so the tests exercise the
 * code path that runs. Children and status are written by server-side apply, the framework's
 * default: fields other actors set (a rollout restart's annotation, an admission webhook's
 * additions) survive the operator's writes.
 */
public final class OperatorRuntime {

    public static final String LEASE_NAME = "socketfleet-operator";
    public static final String WATCH_NAMESPACES = "WATCH_NAMESPACES";

    private OperatorRuntime() {
    }

    /**
     * The production operator. It watches the namespaces listed (comma-separated) in the
     * environment variable {@value #WATCH_NAMESPACES}, or every namespace when it is unset or
     * empty (the namespace-scoped install, deploy/namespaced/, sets it).
     *
     * @param leaseNamespace namespace of the leader-election Lease, or null to run without leader election
     */
    public static Operator create(KubernetesClient client, String leaseNamespace, OperatorMetrics metrics) {
        return create(client, leaseNamespace, true, watchedNamespaces(System.getenv(WATCH_NAMESPACES)), metrics);
    }

    /**
     * @param exitOnLostLease end the process when leadership is lost (production: the pod
     *                        restarts and queues for the lease again); tests keep the JVM
     * @param namespaces      the namespaces to watch; empty for all
     * @param metrics         where the SDK and the reconciler report (scraped at /metrics)
     */
    public static Operator create(KubernetesClient client, String leaseNamespace, boolean exitOnLostLease,
                                  Set<String> namespaces, OperatorMetrics metrics) {
        Operator operator = new Operator(overrider -> {
            overrider.withKubernetesClient(client).withCloseClientOnStop(false).withMetrics(metrics.framework());
            if (leaseNamespace != null) {
                overrider.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, leaseNamespace,
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null, null, exitOnLostLease));
            }
        });
        operator.register(new SocketFleetReconciler(metrics.fleets()), controller -> {
            if (!namespaces.isEmpty()) {
                controller.settingNamespaces(namespaces);
            }
        });
        return operator;
    }

    /** "a, b" → {a, b}; null or blank → every namespace. */
    public static Set<String> watchedNamespaces(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(list.split(",")).map(String::strip).filter(n -> !n.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
