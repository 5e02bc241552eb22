package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.socketfleet.operator.api.SocketFleet;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The managed Redis pod, whichever controller runs it: non-root, password required (written into a
 * config file so it never shows in the process list), with the redis-server options given.
 */
final class RedisPod {

    /** Pub/sub only: nothing to keep. */
    static final List<String> EPHEMERAL_OPTIONS = List.of("--save", "''", "--appendonly", "no");
    /** Redis holds state: every write goes to the append-only file on the volume, fsync'd every second. */
    static final List<String> PERSISTENT_OPTIONS = List.of("--dir", "/data", "--appendonly", "yes",
            "--appendfsync", "everysec", "--save", "''");

    private RedisPod() {
    }

    /** The shell line the container runs: the config file holding the password (in {@code confDir}), then redis-server. */
    static String start(String confDir, List<String> options) {
        return "printf 'requirepass %s\\n' \"$REDIS_PASSWORD\" > " + confDir + "/redis.conf"
                + " && exec redis-server " + confDir + "/redis.conf --port " + RedisConnection.PORT + " "
                + String.join(" ", options) + " --protected-mode yes";
    }

    static PodSpec spec(SocketFleet fleet, String start, List<Volume> volumes, Map<String, String> mounts) {
        var password = RedisConnection.password(fleet);
        List<VolumeMount> volumeMounts = mounts.entrySet().stream()
                .map(m -> Hardening.scratchMount(m.getKey(), m.getValue())).collect(Collectors.toList());
        return new PodSpecBuilder()
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(Hardening.pod(999, 1000))
                .withVolumes(volumes)
                .addToContainers(new ContainerBuilder()
                    .withName("redis")
                    .withImage(fleet.getSpec().getRedis().getImage())
                    .withCommand("sh", "-c", start)
                    .addNewEnv().withName("REDIS_PASSWORD").withValueFrom(password).endEnv()
                    .addNewEnv().withName("REDISCLI_AUTH").withValueFrom(password).endEnv()
                    .addNewPort().withName("redis").withContainerPort(RedisConnection.PORT).endPort()
                    .withNewReadinessProbe()
                        .withNewExec().withCommand("redis-cli", "ping").endExec()
                        .withPeriodSeconds(5)
                    .endReadinessProbe()
                    .withNewLivenessProbe()
                        .withNewTcpSocket().withPort(new IntOrString(RedisConnection.PORT)).endTcpSocket()
                        .withInitialDelaySeconds(10)
                        .withPeriodSeconds(10)
                    .endLivenessProbe()
                    .withSecurityContext(Hardening.container())
                    .withResources(Hardening.resources(fleet.getSpec().getRedis().getResources(), "50m", "64Mi", "256Mi"))
                    .withVolumeMounts(volumeMounts)
                    .build())
                .build();
    }
}
