package io.socketfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.socketfleet.operator.reconciler.SocketFleetReconciler;

/**
 * Builds the operator the same way for production and for tests, so the tests exercise the
 * code path that runs. Children and status are written by server-side apply, the framework's
 * default: fields other actors set (a rollout restart's annotation, an admission webhook's
 * additions) survive the operator's writes.
 */
public final class OperatorRuntime {

    public static final String LEASE_NAME = "socketfleet-operator";

    private OperatorRuntime() {
    }

    /**
     * @param leaseNamespace namespace of the leader-election Lease, or null to run without leader election
     */
    public static Operator create(KubernetesClient client, String leaseNamespace) {
        return create(client, leaseNamespace, true);
    }

    /**
     * @param exitOnLostLease end the process when leadership is lost (production: the pod
     *                        restarts and queues for the lease again); tests keep the JVM
     */
    public static Operator create(KubernetesClient client, String leaseNamespace, boolean exitOnLostLease) {
        Operator operator = new Operator(overrider -> {
            overrider.withKubernetesClient(client).withCloseClientOnStop(false);
            if (leaseNamespace != null) {
                overrider.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, leaseNamespace,
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null, null, exitOnLostLease));
            }
        });
        operator.register(new SocketFleetReconciler());
        return operator;
    }
}
