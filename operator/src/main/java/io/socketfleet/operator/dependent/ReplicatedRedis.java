package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.socketfleet.operator.api.SocketFleet;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The managed Redis when {@code spec.redis.replicas} is 3 or more, as the Bitnami chart's
 * Sentinel mode runs it: one StatefulSet whose every pod holds a Redis and a Sentinel beside it.
 * Pod 0 starts as the master and the others as its replicas; from then on the Sentinels decide
 * (quorum: a majority of them), and a pod that (re)starts asks them who the master is before it
 * configures itself, so a restarted old master comes back as a replica of the promoted one. Every
 * address is a pod's stable DNS name under the headless Service (Sentinel's {@code resolve-hostnames}
 * and {@code announce-hostnames}), so pods that come back with a new IP are still recognised.
 *
 * <p>Both start scripts take everything that differs between pods and places from the environment
 * ({@code POD_NAME} from the downward API, the peers' names, ports, the address to bind), so the
 * same scripts run as processes on one machine in {@code ReplicatedRedisIT}.
 */
final class ReplicatedRedis {

    static final int SENTINEL_PORT = 26379;
    /** The name the Sentinels monitor the master by, and the nodes ask for. */
    static final String MASTER_NAME = "socketfleet";
    /** How long the master must be unreachable before the Sentinels agree it is down. */
    static final int DOWN_AFTER_MILLIS = 5_000;
    static final int FAILOVER_TIMEOUT_MILLIS = 30_000;
    /** Where both containers write their configuration (an emptyDir: it holds the password, so never the volume). */
    static final String CONF_DIR = "/conf";
    /** Everywhere in a pod; the test binds each "pod" to its own loopback address instead. */
    static final String BIND_ALL = "* -::*";

    /**
     * Sets {@code self} (this pod's name among REDIS_NODES, by POD_NAME's ordinal) and {@code master}:
     * what the first Sentinel that answers names, or the first pod when none answers (a new set).
     */
    private static final String FIND_MASTER = String.join("\n",
            "ordinal=${POD_NAME##*-}",
            "i=0",
            "self=''",
            "first=''",
            "for host in $REDIS_NODES; do",
            "  if [ -z \"$first\" ]; then first=$host; fi",
            "  if [ \"$i\" = \"$ordinal\" ]; then self=$host; fi",
            "  i=$((i + 1))",
            "done",
            "if [ -z \"$self\" ]; then echo \"pod $POD_NAME has no place in REDIS_NODES\" >&2; exit 1; fi",
            "master=''",
            "for host in $REDIS_NODES; do",
            "  answer=$(timeout 3 redis-cli --no-auth-warning --raw -h \"$host\" -p \"$SENTINEL_PORT\" "
                    + "SENTINEL get-master-addr-by-name \"$SENTINEL_MASTER\" 2>/dev/null | head -n 1)",
            "  case \"$answer\" in",
            "    ''|*' '*) ;;",
            "    *) master=$answer; break ;;",
            "  esac",
            "done",
            "if [ -z \"$master\" ]; then master=$first; fi",
            "echo \"$POD_NAME is $self; the master is $master\"");

    /** The Redis container: master or replica of the master found, append-only file on the volume. */
    static final String REDIS_START = String.join("\n",
            FIND_MASTER,
            "{",
            "  printf 'port %s\\nbind %s\\nprotected-mode yes\\n' \"$REDIS_PORT\" \"$REDIS_BIND\"",
            "  printf 'requirepass %s\\nmasterauth %s\\n' \"$REDIS_PASSWORD\" \"$REDIS_PASSWORD\"",
            "  printf 'replica-announce-ip %s\\nreplica-announce-port %s\\n' \"$self\" \"$REDIS_PORT\"",
            "  printf 'dir /data\\nappendonly yes\\nappendfsync everysec\\nsave \"\"\\n'",
            "  if [ \"$master\" != \"$self\" ]; then printf 'replicaof %s %s\\n' \"$master\" \"$REDIS_PORT\"; fi",
            "} > " + CONF_DIR + "/redis.conf || exit 1",
            "exec redis-server " + CONF_DIR + "/redis.conf");

    /** The Sentinel container: monitors the master found, password-protected itself, known to the others by name. */
    static final String SENTINEL_START = String.join("\n",
            FIND_MASTER,
            "{",
            "  printf 'port %s\\nbind %s\\ndir " + CONF_DIR + "\\n' \"$SENTINEL_PORT\" \"$REDIS_BIND\"",
            // The Sentinels require the password of their clients and give it to each other.
            "  printf 'requirepass %s\\nsentinel sentinel-pass %s\\n' \"$REDIS_PASSWORD\" \"$REDIS_PASSWORD\"",
            "  printf 'sentinel resolve-hostnames yes\\nsentinel announce-hostnames yes\\n'",
            "  printf 'sentinel announce-ip %s\\nsentinel announce-port %s\\n' \"$self\" \"$SENTINEL_PORT\"",
            "  printf 'sentinel monitor %s %s %s %s\\n' \"$SENTINEL_MASTER\" \"$master\" \"$REDIS_PORT\" \"$SENTINEL_QUORUM\"",
            "  printf 'sentinel auth-pass %s %s\\n' \"$SENTINEL_MASTER\" \"$REDIS_PASSWORD\"",
            "  printf 'sentinel down-after-milliseconds %s " + DOWN_AFTER_MILLIS + "\\n' \"$SENTINEL_MASTER\"",
            "  printf 'sentinel failover-timeout %s " + FAILOVER_TIMEOUT_MILLIS + "\\n' \"$SENTINEL_MASTER\"",
            "  printf 'sentinel parallel-syncs %s 1\\n' \"$SENTINEL_MASTER\"",
            "} > " + CONF_DIR + "/sentinel.conf || exit 1",
            "exec redis-server " + CONF_DIR + "/sentinel.conf --sentinel");

    private ReplicatedRedis() {
    }

    /** Each pod's stable DNS name under the headless Service, in ordinal order. */
    static List<String> hosts(SocketFleet fleet) {
        String set = FleetNames.redisStatefulSet(fleet);
        String domain = FleetNames.redisHeadlessService(fleet) + "." + fleet.getMetadata().getNamespace() + ".svc";
        return IntStream.range(0, fleet.getSpec().getRedis().getReplicas()).mapToObj(i -> set + "-" + i + "." + domain).toList();
    }

    /** {@code host:port} of each Sentinel, for the nodes. */
    static List<String> sentinelAddresses(SocketFleet fleet) {
        return hosts(fleet).stream().map(host -> host + ":" + SENTINEL_PORT).toList();
    }

    /** A majority of the Sentinels must agree the master is down and elect one of them to fail over. */
    static int quorum(SocketFleet fleet) {
        return fleet.getSpec().getRedis().getReplicas() / 2 + 1;
    }

    /** The environment both start scripts read. */
    static List<EnvVar> env(SocketFleet fleet) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
        env.add(value("REDIS_NODES", String.join(" ", hosts(fleet))));
        env.add(value("REDIS_PORT", Integer.toString(RedisConnection.PORT)));
        env.add(value("REDIS_BIND", BIND_ALL));
        env.add(value("SENTINEL_PORT", Integer.toString(SENTINEL_PORT)));
        env.add(value("SENTINEL_MASTER", MASTER_NAME));
        env.add(value("SENTINEL_QUORUM", Integer.toString(quorum(fleet))));
        return env;
    }

    /**
     * The replicated pod: the single Redis pod's hardening, password and volumes, running
     * {@link #REDIS_START}, with a Sentinel container beside it; spread over the cluster's nodes
     * where it can be, so one lost node takes one Redis and one Sentinel.
     */
    static PodSpec spec(SocketFleet fleet, PodSpec single) {
        Container redis = new ContainerBuilder(single.getContainers().get(0))
                .withCommand("sh", "-c", REDIS_START)
                .addAllToEnv(env(fleet))
                .build();
        Container sentinel = new ContainerBuilder(redis)
                .withName("sentinel")
                .withCommand("sh", "-c", SENTINEL_START)
                .withPorts(List.of())
                .addNewPort().withName("sentinel").withContainerPort(SENTINEL_PORT).endPort()
                .withNewReadinessProbe()
                    .withNewExec().withCommand("redis-cli", "-p", Integer.toString(SENTINEL_PORT), "ping").endExec()
                    .withPeriodSeconds(5)
                .endReadinessProbe()
                .withNewLivenessProbe()
                    .withNewTcpSocket().withPort(new IntOrString(SENTINEL_PORT)).endTcpSocket()
                    .withInitialDelaySeconds(10)
                    .withPeriodSeconds(10)
                .endLivenessProbe()
                .withResources(Hardening.resources(null, "10m", "16Mi", "64Mi"))
                .withVolumeMounts(redis.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(CONF_DIR)).toList())
                .build();
        return new PodSpecBuilder(single)
                .withContainers(redis, sentinel)
                .withNewAffinity().withNewPodAntiAffinity()
                    .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                        .withWeight(100)
                        .withNewPodAffinityTerm()
                            .withTopologyKey("kubernetes.io/hostname")
                            .withNewLabelSelector().withMatchLabels(FleetLabels.selector(fleet, FleetLabels.Component.REDIS))
                            .endLabelSelector()
                        .endPodAffinityTerm()
                    .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().endAffinity()
                .build();
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
