package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.operator.api.NodeSpec;
import io.socketfleet.operator.api.SocketFleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The socket-node pods. */
public class NodeDeploymentDependent extends FleetDependent<Deployment> {

    /** Seconds past the drain period before the kubelet kills a terminating node. */
    static final int TERMINATION_MARGIN_SECONDS = 15;

    public NodeDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.nodeDeployment(fleet);
    }

    @Override
    String exactSection() {
        return "/spec/template/spec";
    }

    @Override
    protected Deployment desired(SocketFleet fleet, Context<SocketFleet> context) {
        NodeSpec node = fleet.getSpec().getNode();
        PodSpec pod = new PodSpecBuilder()
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds((long) node.getDrainSeconds() + TERMINATION_MARGIN_SECONDS)
                .withSecurityContext(Hardening.pod(10001, 10001))
                .addToVolumes(Hardening.scratchVolume("tmp"))
                .addAllToVolumes(RedisConnection.volumes(fleet))
                .addToContainers(new ContainerBuilder()
                    .withName("socket-node")
                    .withImage(node.getImage())
                    .withImagePullPolicy(node.getImagePullPolicy().name())
                    .withEnv(env(fleet))
                    .addNewPort().withName("http").withContainerPort(node.getPort()).endPort()
                    // /servingz stays 200 while the node drains: the EndpointSlice keeps it "serving" (terminating,
                    // not ready), so its sessions keep reaching it through nginx's sid map until it closes them.
                    .withNewReadinessProbe()
                        .withNewHttpGet().withPath("/servingz").withPort(new IntOrString("http")).endHttpGet()
                        // One slow answer (a GC pause) must not take the node out of nginx: each flap
                        // rewrites the config and reloads nginx. Three misses in a row do (about 6 s).
                        .withPeriodSeconds(2)
                        .withTimeoutSeconds(2)
                        .withFailureThreshold(3)
                    .endReadinessProbe()
                    .withNewLivenessProbe()
                        .withNewHttpGet().withPath("/healthz").withPort(new IntOrString("http")).endHttpGet()
                        .withInitialDelaySeconds(20)
                        .withPeriodSeconds(10)
                    .endLivenessProbe()
                    .withSecurityContext(Hardening.container())
                    .withResources(Hardening.resources(node.getResources(), "100m", "256Mi", "512Mi"))
                    .addToVolumeMounts(Hardening.scratchMount("tmp", "/tmp"))
                    .addAllToVolumeMounts(RedisConnection.mounts(fleet))
                    .build())
                .build();
        return FleetObjects.deployment(fleet, FleetNames.nodeDeployment(fleet), FleetLabels.Component.NODE, fleet.getSpec().getReplicas(),
                        passwordHash(fleet, context), pod)
                .editSpec()
                    // Never below the desired count while rolling: a new node is ready before an old one drains.
                    .withNewStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate().withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate()
                    .endStrategy()
                .endSpec()
                .build();
    }

    /** The node's settings as environment variables, named by the contract's table. */
    private static List<EnvVar> env(SocketFleet fleet) {
        NodeSpec node = fleet.getSpec().getNode();
        List<EnvVar> env = new ArrayList<>();
        env.add(fieldRef(NodeSetting.NODE_NAME.envName(), "metadata.name"));
        env.add(fieldRef("POD_IP", "status.podIP"));
        // The route token every session id starts with: nginx routes polling by it. $(POD_IP) needs POD_IP above.
        env.add(value(NodeSetting.ADVERTISE_ADDRESS.envName(), "$(POD_IP):" + node.getPort()));
        env.addAll(RedisConnection.env(fleet));
        env.addAll(AdminUiEnvironment.env(fleet));
        fleet.getSpec().nodeSettings().environment().forEach((name, value) -> env.add(value(name, value)));
        return env;
    }

    private static EnvVar value(String name, Object value) {
        return new EnvVarBuilder().withName(name).withValue(String.valueOf(value)).build();
    }

    private static EnvVar fieldRef(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path).endFieldRef()
                .endValueFrom().build();
    }

    /** Which Redis password the pods start with: a new one rolls them. */
    private static Map<String, String> passwordHash(SocketFleet fleet, Context<SocketFleet> context) {
        return RedisPassword.hash(fleet, context).map(h -> Map.of(RedisPassword.HASH_ANNOTATION, h)).orElse(Map.of());
    }
}
