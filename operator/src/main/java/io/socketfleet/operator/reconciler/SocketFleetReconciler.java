package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.socketfleet.operator.api.BackendStatus;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.api.SocketFleetStatus;
import io.socketfleet.operator.dependent.FleetLabels;
import io.socketfleet.operator.dependent.FleetNames;
import io.socketfleet.operator.dependent.ManagedRedisCondition;
import io.socketfleet.operator.dependent.NginxConfigMapDependent;
import io.socketfleet.operator.dependent.NginxDeploymentDependent;
import io.socketfleet.operator.dependent.NginxServiceDependent;
import io.socketfleet.operator.dependent.NodeDeploymentDependent;
import io.socketfleet.operator.dependent.NodeEndpoints;
import io.socketfleet.operator.dependent.NodeServiceDependent;
import io.socketfleet.operator.dependent.RedisDeploymentDependent;
import io.socketfleet.operator.dependent.RedisNetworkPolicyDependent;
import io.socketfleet.operator.dependent.RedisSecretDependent;
import io.socketfleet.operator.dependent.RedisServiceDependent;
import io.socketfleet.operator.nginx.NginxConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reconciles a SocketFleet: validates it, then (only if valid) runs the workflow of its
 * children, records backend changes and reports status. An invalid spec touches nothing:
 * the running fleet keeps going and the problem is reported in the Degraded condition.
 */
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "redis-secret", type = RedisSecretDependent.class, reconcilePrecondition = ManagedRedisCondition.class),
    @Dependent(name = "redis-deployment", type = RedisDeploymentDependent.class, dependsOn = "redis-secret",
            reconcilePrecondition = ManagedRedisCondition.class),
    @Dependent(name = "redis-service", type = RedisServiceDependent.class, reconcilePrecondition = ManagedRedisCondition.class),
    @Dependent(name = "redis-network-policy", type = RedisNetworkPolicyDependent.class,
            reconcilePrecondition = ManagedRedisCondition.class),
    @Dependent(name = "node-service", type = NodeServiceDependent.class),
    @Dependent(name = "node-deployment", type = NodeDeploymentDependent.class),
    @Dependent(name = "nginx-config", type = NginxConfigMapDependent.class),
    @Dependent(name = "nginx-deployment", type = NginxDeploymentDependent.class, dependsOn = "nginx-config"),
    @Dependent(name = "nginx-service", type = NginxServiceDependent.class),
})
@ControllerConfiguration(name = "socketfleet",
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class SocketFleetReconciler implements Reconciler<SocketFleet> {

    private static final Logger log = LoggerFactory.getLogger(SocketFleetReconciler.class);

    @Override
    public List<EventSource<?, SocketFleet>> prepareEventSources(EventSourceContext<SocketFleet> context) {
        // The endpoint controller keeps the node Service's EndpointSlices current; each change
        // of a slice reconciles the fleet it belongs to.
        var slices = InformerEventSourceConfiguration.from(EndpointSlice.class, SocketFleet.class)
                .withName("node-endpoint-slices")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(slice -> {
                    var labels = slice.getMetadata().getLabels();
                    String fleet = FleetNames.fleetOfNodesService(labels == null ? null : labels.get(NodeEndpoints.SERVICE_NAME_LABEL));
                    return fleet == null ? Set.of() : Set.of(new ResourceID(fleet, slice.getMetadata().getNamespace()));
                })
                .build();
        return List.of(new InformerEventSource<>(slices, context));
    }

    @Override
    public UpdateControl<SocketFleet> reconcile(SocketFleet fleet, Context<SocketFleet> context) {
        List<String> problems = FleetValidator.validate(fleet);
        if (!problems.isEmpty()) {
            log.info("SocketFleet {}/{} is invalid, leaving its children as they are: {}",
                    fleet.getMetadata().getNamespace(), fleet.getMetadata().getName(), problems);
            writeStatus(context, fleet, invalidStatus(fleet, String.join("; ", problems)));
            return UpdateControl.noUpdate();
        }
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow()
                .throwAggregateExceptionIfErrorsPresent();

        List<BackendStatus> backends = NodeEndpoints.all(fleet, context);
        String configHash = NginxConfig.hash(NginxConfigMapDependent.render(fleet, context));
        SocketFleetStatus previous = fleet.getStatus() == null ? new SocketFleetStatus() : fleet.getStatus();
        String change = BackendChanges.describe(previous.getBackends(), backends);
        if (change != null) {
            log.info("SocketFleet {}/{}: {}", fleet.getMetadata().getNamespace(), fleet.getMetadata().getName(), change);
            BackendChanges.record(context.getClient(), fleet, change);
        }
        if (!configHash.equals(previous.getConfigHash())) {
            NginxPodStamper.stamp(context.getClient(), fleet, configHash);
        }
        writeStatus(context, fleet, status(fleet, context, backends, configHash));
        return UpdateControl.noUpdate();
    }

    private SocketFleetStatus status(SocketFleet fleet, Context<SocketFleet> context, List<BackendStatus> backends,
                                     String configHash) {
        int desired = fleet.getSpec().getReplicas();
        Optional<Deployment> nodes = deployment(context, FleetNames.nodes(fleet));
        Optional<Deployment> nginx = deployment(context, FleetNames.nginx(fleet));
        int replicas = nodes.map(d -> d.getStatus() == null ? null : d.getStatus().getReplicas()).orElse(0);
        int ready = nodes.map(SocketFleetReconciler::readyReplicas).orElse(0);
        int nginxReady = nginx.map(SocketFleetReconciler::readyReplicas).orElse(0);
        int inUpstream = (int) backends.stream().filter(BackendStatus::getReady).count();

        SocketFleetStatus status = new SocketFleetStatus();
        status.setObservedGeneration(fleet.getMetadata().getGeneration());
        status.setReplicas(replicas);
        status.setReadyReplicas(ready);
        status.setSelector(FleetLabels.selectorString(fleet, FleetLabels.Component.NODE));
        status.setBackends(backends);
        status.setBackendCount(inUpstream);
        status.setConfigHash(configHash);

        boolean allReady = ready == desired && inUpstream == desired && nginxReady > 0;
        String summary = ready + "/" + desired + " nodes ready, " + inUpstream + " in the nginx upstream, "
                + nginxReady + " nginx pod(s) ready";
        status.setConditions(new FleetConditions(fleet.getStatus() == null ? null : fleet.getStatus().getConditions(),
                fleet.getMetadata().getGeneration())
                .set(FleetConditions.READY, allReady, allReady ? "AllNodesReady" : "NodesNotReady", summary)
                .set(FleetConditions.PROGRESSING, !allReady, allReady ? "Stable" : (replicas != desired ? "Scaling" : "WaitingForNodes"),
                        summary)
                .set(FleetConditions.DEGRADED, false, "AsExpected", "the spec is valid and every child was reconciled")
                .build());
        return status;
    }

    private SocketFleetStatus invalidStatus(SocketFleet fleet, String message) {
        SocketFleetStatus status = fleet.getStatus() == null ? new SocketFleetStatus() : fleet.getStatus();
        status.setObservedGeneration(fleet.getMetadata().getGeneration());
        status.setConditions(new FleetConditions(status.getConditions(), fleet.getMetadata().getGeneration())
                .keep(FleetConditions.READY, false, "InvalidSpec", "nothing was created: the spec is invalid")
                .set(FleetConditions.PROGRESSING, false, "InvalidSpec", "waiting for a valid spec")
                .set(FleetConditions.DEGRADED, true, "InvalidSpec", message)
                .build());
        return status;
    }

    @Override
    public ErrorStatusUpdateControl<SocketFleet> updateErrorStatus(SocketFleet fleet, Context<SocketFleet> context,
                                                                  Exception e) {
        SocketFleetStatus status = fleet.getStatus() == null ? new SocketFleetStatus() : fleet.getStatus();
        status.setConditions(new FleetConditions(status.getConditions(), fleet.getMetadata().getGeneration())
                .keep(FleetConditions.READY, false, "ReconcileError", "reconciling failed")
                .keep(FleetConditions.PROGRESSING, true, "ReconcileError", "retrying")
                .set(FleetConditions.DEGRADED, true, "ReconcileError", String.valueOf(e.getMessage()))
                .build());
        writeStatus(context, fleet, status);
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    private static int readyReplicas(Deployment deployment) {
        return deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null
                ? 0 : deployment.getStatus().getReadyReplicas();
    }

    private static Optional<Deployment> deployment(Context<SocketFleet> context, String name) {
        return context.getSecondaryResourcesAsStream(Deployment.class)
                .filter(d -> name.equals(d.getMetadata().getName()))
                .findFirst();
    }

    /**
     * Replaces the whole status with one JSON Patch operation ({@code add /status} replaces an
     * existing member). Nothing is patched by list index against a cached copy that may be
     * older than the server's, and nothing outside the status is sent.
     */
    private static void writeStatus(Context<SocketFleet> context, SocketFleet fleet, SocketFleetStatus status) {
        var client = context.getClient();
        String patch = client.getKubernetesSerialization().asJson(
                List.of(Map.of("op", "add", "path", "/status", "value", status)));
        client.resources(SocketFleet.class).inNamespace(fleet.getMetadata().getNamespace())
                .withName(fleet.getMetadata().getName())
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON), patch);
    }

}
