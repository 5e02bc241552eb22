package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.socketfleet.operator.api.BackendStatus;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.nginx.Backend;
import io.socketfleet.operator.nginx.UpstreamChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Records a Kubernetes Event on the fleet when its set of ready backends changes. */
public final class BackendChanges {

    static final String REASON = "BackendsChanged";
    private static final Logger log = LoggerFactory.getLogger(BackendChanges.class);

    private BackendChanges() {
    }

    /** The change as one line, or null when the ready sets are equal. */
    public static String describe(List<BackendStatus> before, List<BackendStatus> after) {
        String change = UpstreamChange.describe(ready(before), ready(after));
        return change == null ? null : change + "; nginx config rewritten";
    }

    static void record(KubernetesClient client, SocketFleet fleet, String message) {
        Instant now = Instant.now();
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata()
                    .withName(fleet.getMetadata().getName() + "." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano()))
                    .withNamespace(fleet.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(fleet.getApiVersion())
                        .withKind(fleet.getKind())
                        .withName(fleet.getMetadata().getName())
                        .withNamespace(fleet.getMetadata().getNamespace())
                        .withUid(fleet.getMetadata().getUid())
                        .build())
                .withReason(REASON)
                .withMessage(message)
                .withType("Normal")
                .withFirstTimestamp(timestamp)
                .withLastTimestamp(timestamp)
                .withCount(1)
                .withNewSource().withComponent("socketfleet-operator").endSource()
                .build();
        try {
            client.v1().events().inNamespace(fleet.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // An event is information only; never fail a reconcile over it.
            log.warn("could not record event on {}: {}", fleet.getMetadata().getName(), e.getMessage());
        }
    }

    private static List<Backend> ready(List<BackendStatus> backends) {
        return backends == null ? List.of() : backends.stream()
                .filter(b -> Boolean.TRUE.equals(b.getReady()))
                .map(b -> Backend.parse(b.getName(), b.getAddress()))
                .toList();
    }
}
