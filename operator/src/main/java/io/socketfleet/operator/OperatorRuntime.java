package io.socketfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.socketfleet.operator.reconciler.SocketFleetReconciler;

/**
 * Builds the operator the same way for production and for tests, so the tests exercise the
 * code path that runs. Server-side apply stays off: the patch strategy is plain updates.
 */
public final class OperatorRuntime {

    public static final String LEASE_NAME = "socketfleet-operator";

    private OperatorRuntime() {
    }

    /**
     * @param leaseNamespace namespace of the leader-election Lease, or null to run without leader election
     */
    public static Operator create(KubernetesClient client, String leaseNamespace) {
        Operator operator = new Operator(overrider -> {
            overrider.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false);
            if (leaseNamespace != null) {
                overrider.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, leaseNamespace));
            }
        });
        operator.register(new SocketFleetReconciler());
        return operator;
    }
}
