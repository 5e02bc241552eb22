package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.socketfleet.operator.api.RedisPersistence;
import io.socketfleet.operator.api.SocketFleet;

import java.util.List;
import java.util.Map;

/**
 * The managed Redis when it holds the fleet's state (streams, sessions to recover): one pod of a
 * StatefulSet whose append-only file lives on a PersistentVolumeClaim, so a restarted or moved
 * Redis pod comes back with every write acknowledged more than a second before it went down.
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetLabels.MANAGED_SELECTOR))
public class RedisStatefulSetDependent extends FleetDependent<StatefulSet> {

    static final String DATA_VOLUME = "data";
    /** The password's config file stays off the persistent volume. */
    static final String START = RedisPod.start("/conf", RedisPod.PERSISTENT_OPTIONS);

    public RedisStatefulSetDependent() {
        super(StatefulSet.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.redisStatefulSet(fleet);
    }

    @Override
    String exactSection() {
        return "/spec/template/spec";
    }

    @Override
    protected StatefulSet desired(SocketFleet fleet, Context<SocketFleet> context) {
        RedisPersistence persistence = fleet.getSpec().getRedis().getPersistence();
        var pod = RedisPod.spec(fleet, START, List.of(Hardening.scratchVolume("conf")),
                Map.of(DATA_VOLUME, "/data", "conf", "/conf"));
        return new StatefulSetBuilder()
                .withMetadata(FleetObjects.metadata(fleet, FleetNames.redisStatefulSet(fleet), FleetLabels.Component.REDIS))
                .withNewSpec()
                    .withReplicas(1)
                    .withServiceName(FleetNames.redisService(fleet))
                    .withNewSelector().withMatchLabels(FleetLabels.selector(fleet, FleetLabels.Component.REDIS)).endSelector()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(FleetLabels.of(fleet, FleetLabels.Component.REDIS))
                            .withAnnotations(nullIfEmpty(RedisPassword.podAnnotations(fleet, context))).endMetadata()
                        .withSpec(pod)
                    .endTemplate()
                    .addToVolumeClaimTemplates(new PersistentVolumeClaimBuilder()
                        .withNewMetadata().withName(DATA_VOLUME)
                            .withLabels(FleetLabels.of(fleet, FleetLabels.Component.REDIS)).endMetadata()
                        .withNewSpec()
                            .withAccessModes("ReadWriteOnce")
                            .withStorageClassName(persistence.getStorageClass())
                            .withNewResources().addToRequests("storage", new Quantity(persistence.getSize())).endResources()
                        .endSpec()
                        .build())
                .endSpec()
                .build();
    }

    private static Map<String, String> nullIfEmpty(Map<String, String> annotations) {
        return annotations.isEmpty() ? null : annotations;
    }
}
