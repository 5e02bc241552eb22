package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.socketfleet.operator.api.BackendStatus;
import io.socketfleet.operator.api.SocketFleet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Records a Kubernetes Event on the fleet when its set of ready backends changes. */
public final class BackendChanges {

    static final String REASON = "BackendsChanged";
    private static final Logger log = LoggerFactory.getLogger(BackendChanges.class);

    private BackendChanges() {
    }

    /** The change as one line, or null when the ready sets are equal. */
    public static String describe(List<BackendStatus> before, List<BackendStatus> after) {
        Set<String> was = ready(before);
        Set<String> now = ready(after);
        if (was.equals(now)) {
            return null;
        }
        Set<String> added = new TreeSet<>(now);
        added.removeAll(was);
        Set<String> removed = new TreeSet<>(was);
        removed.removeAll(now);
        StringBuilder message = new StringBuilder("ready backends ").append(was.size()).append(" -> ").append(now.size());
        if (!added.isEmpty()) {
            message.append("; added ").append(String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            message.append("; removed ").append(String.join(", ", removed));
        }
        return message.append("; nginx config rewritten").toString();
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

    private static Set<String> ready(List<BackendStatus> backends) {
        return backends == null ? Set.of() : backends.stream()
                .filter(b -> Boolean.TRUE.equals(b.getReady()))
                .map(b -> b.getAddress() + " (" + b.getName() + ")")
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
