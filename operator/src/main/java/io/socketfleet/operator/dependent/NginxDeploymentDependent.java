package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.operator.api.NginxSpec;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.nginx.NginxRuntime;

/**
 * nginx pods running the fleet's ConfigMap. The ConfigMap is mounted as a directory (a subPath
 * mount would never see updates); a loop beside nginx reloads it in place when the file
 * changes and passes {@code nginx -t}, so open websockets survive a backend change. Beside
 * nginx, nginx-prometheus-exporter reads nginx's stub_status on loopback and serves it as
 * Prometheus metrics on the port named {@code metrics}.
 */
public class NginxDeploymentDependent extends FleetDependent<Deployment> {

    static final String CONFIG_DIR = "/etc/socketfleet/nginx";
    static final String EXPORTER_CONTAINER = "metrics-exporter";
    /** The pod port the PodMonitor in deploy/monitoring scrapes. */
    public static final String METRICS_PORT = "metrics";

    /** Present when the pod's kernel has IPv6; without it nginx cannot bind {@code [::]}. */
    static final String IPV6_PROBE = "/proc/net/if_inet6";

    /**
     * Runs nginx and reloads it whenever the mounted config changes and is valid. nginx reads a
     * copy in /tmp: in a pod without IPv6 (a kernel booted with ipv6.disable=1) the copy leaves
     * out the {@code listen [::]} line, which would keep nginx from starting.
     */
    static final String RUN_AND_RELOAD = String.join("\n",
            "set -u",
            "src=" + CONFIG_DIR + "/" + NginxConfigMapDependent.CONFIG_KEY,
            "conf=${TMPDIR:-/tmp}/nginx.conf",
            "copy() { if [ -e " + IPV6_PROBE + " ]; then cat \"$src\"; else sed '/^ *listen \\[::\\]/d' \"$src\"; fi > \"$conf.next\"; }",
            "copy && nginx -t -q -c \"$conf.next\" && mv \"$conf.next\" \"$conf\" || exit 1",
            "nginx -c \"$conf\" -g 'daemon off;' &",
            "pid=$!",
            // Stopping: quit gracefully, so requests in flight finish and websockets close as the node
            // drain does, then stop at the drain deadline (not worker_shutdown_timeout, which is for reloads).
            "trap 'kill -QUIT $pid; (sleep \"$DRAIN_SECONDS\"; kill -TERM $pid 2>/dev/null) & wait $pid; exit 0' TERM INT",
            "last=$(md5sum \"$src\")",
            "while kill -0 $pid 2>/dev/null; do",
            "  sleep 1 & wait $!",
            "  now=$(md5sum \"$src\")",
            "  [ \"$now\" = \"$last\" ] && continue",
            "  last=$now",
            "  if copy && nginx -t -q -c \"$conf.next\"; then",
            "    mv \"$conf.next\" \"$conf\"",
            "    nginx -s reload -c \"$conf\" && echo 'socketfleet: nginx.conf changed, reloaded in place'",
            "  else",
            "    echo 'socketfleet: new nginx.conf rejected by nginx -t, still running the previous one' >&2",
            "  fi",
            "done",
            "wait $pid");

    public NginxDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.nginxDeployment(fleet);
    }

    @Override
    String exactSection() {
        return "/spec/template/spec";
    }

    @Override
    protected Deployment desired(SocketFleet fleet, Context<SocketFleet> context) {
        NginxSpec nginx = fleet.getSpec().getNginx();
        PodSpec pod = new PodSpecBuilder()
                .withAutomountServiceAccountToken(false)
                // A stopping nginx quits gracefully for the drain period, then stops (see RUN_AND_RELOAD).
                .withTerminationGracePeriodSeconds((long) drainSeconds(fleet) + 10)
                .withSecurityContext(Hardening.pod(101, 101))
                .addToVolumes(new VolumeBuilder().withName("config")
                        .withNewConfigMap().withName(FleetNames.nginxConfigMap(fleet)).endConfigMap().build())
                .addToVolumes(Hardening.scratchVolume("tmp"))
                .addToContainers(new ContainerBuilder()
                    .withName("nginx")
                    .withImage(nginx.getImage())
                    .withCommand("sh", "-c", RUN_AND_RELOAD)
                    .addNewEnv().withName("DRAIN_SECONDS").withValue(Integer.toString(drainSeconds(fleet))).endEnv()
                    .addNewPort().withName("http").withContainerPort(nginx.getPort()).endPort()
                    .withNewReadinessProbe()
                        .withNewHttpGet().withPath("/nginx-healthz").withPort(new IntOrString("http")).endHttpGet()
                        .withPeriodSeconds(5)
                    .endReadinessProbe()
                    .withNewLivenessProbe()
                        .withNewHttpGet().withPath("/nginx-healthz").withPort(new IntOrString("http")).endHttpGet()
                        .withInitialDelaySeconds(5)
                        .withPeriodSeconds(10)
                    .endLivenessProbe()
                    .withSecurityContext(Hardening.container())
                    .withResources(Hardening.resources(nginx.getResources(), "50m", "64Mi", "256Mi"))
                    .addToVolumeMounts(new VolumeMountBuilder().withName("config").withMountPath(CONFIG_DIR)
                            .withReadOnly(true).build())
                    .addToVolumeMounts(Hardening.scratchMount("tmp", "/tmp"))
                    .build())
                .addToContainers(exporter(nginx))
                .build();
        return FleetObjects.deployment(fleet, FleetNames.nginxDeployment(fleet), FleetLabels.Component.NGINX, nginx.getReplicas(), pod)
                .build();
    }

    /**
     * nginx-prometheus-exporter reading stub_status over the pod's loopback. Its flags are given
     * with two dashes, which both its 0.x (Go flag) and 1.x (kingpin) command lines accept.
     */
    private static Container exporter(NginxSpec nginx) {
        String port = Integer.toString(NginxSpec.EXPORTER_PORT);
        return new ContainerBuilder()
                .withName(EXPORTER_CONTAINER)
                .withImage(nginx.getExporterImage())
                .withArgs("--nginx.scrape-uri=http://" + NginxRuntime.POD_STATUS_LISTEN + NginxRuntime.STATUS_PATH,
                        "--web.listen-address=:" + port)
                .addNewPort().withName(METRICS_PORT).withContainerPort(NginxSpec.EXPORTER_PORT).endPort()
                // No readiness probe: an exporter in trouble must never take nginx out of its Service.
                .withSecurityContext(Hardening.container())
                .withResources(Hardening.resources(null, "10m", "16Mi", "64Mi"))
                .build();
    }

    /** How long a stopping nginx pod lets its connections finish: the fleet's drain period. */
    private static int drainSeconds(SocketFleet fleet) {
        Integer drain = fleet.getSpec().getNode().getDrainSeconds();
        return drain == null ? 0 : drain;
    }
}
