package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
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
 * The managed Redis when it holds the fleet's state (streams, sessions to recover) or is
 * replicated: a StatefulSet whose pods each keep their append-only file on a PersistentVolumeClaim,
 * so a restarted or moved Redis pod comes back with every write acknowledged more than a second
 * before it went down. One pod, or with {@code spec.redis.replicas} of 3 or more a master, its
 * replicas and a Sentinel in every pod ({@link ReplicatedRedis}).
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
        PodSpec pod = pod(fleet);
        return new StatefulSetBuilder()
                .withMetadata(FleetObjects.metadata(fleet, FleetNames.redisStatefulSet(fleet), FleetLabels.Component.REDIS))
                .withNewSpec()
                    .withReplicas(fleet.getSpec().getRedis().getReplicas())
                    // Immutable once created, so the headless Service in both modes: replicas 1 -> 3 is an update.
                    .withServiceName(FleetNames.redisHeadlessService(fleet))
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

    /** The pod template's spec: one Redis, or a Redis and a Sentinel when replicated. */
    static PodSpec pod(SocketFleet fleet) {
        PodSpec single = RedisPod.spec(fleet, START, List.of(Hardening.scratchVolume("conf")),
                Map.of(DATA_VOLUME, "/data", "conf", ReplicatedRedis.CONF_DIR));
        return fleet.getSpec().getRedis().isReplicated() ? ReplicatedRedis.spec(fleet, single) : single;
    }

    private static Map<String, String> nullIfEmpty(Map<String, String> annotations) {
        return annotations.isEmpty() ? null : annotations;
    }
}
