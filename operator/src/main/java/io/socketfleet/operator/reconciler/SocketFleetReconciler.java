package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
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
import io.socketfleet.operator.dependent.NodeDisruptionBudgetDependent;
import io.socketfleet.operator.dependent.NodeEndpoints;
import io.socketfleet.operator.dependent.NodeServiceDependent;
import io.socketfleet.operator.dependent.RedisDeploymentDependent;
import io.socketfleet.operator.dependent.RedisHeadlessServiceDependent;
import io.socketfleet.operator.dependent.RedisNetworkPolicyDependent;
import io.socketfleet.operator.dependent.RedisPassword;
import io.socketfleet.operator.dependent.RedisSecretDependent;
import io.socketfleet.operator.dependent.RedisServiceDependent;
import io.socketfleet.operator.dependent.RedisStatefulSetDependent;
import io.socketfleet.operator.dependent.StatefulRedisCondition;
import io.socketfleet.operator.dependent.StatelessRedisCondition;
import io.socketfleet.operator.metrics.FleetMetrics;
import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.validation.FleetValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
            reconcilePrecondition = StatelessRedisCondition.class, useEventSourceWithName = SocketFleetReconciler.DEPLOYMENTS),
    @Dependent(name = "redis-stateful-set", type = RedisStatefulSetDependent.class, dependsOn = "redis-secret",
            reconcilePrecondition = StatefulRedisCondition.class),
    @Dependent(name = "redis-service", type = RedisServiceDependent.class, reconcilePrecondition = ManagedRedisCondition.class,
            useEventSourceWithName = SocketFleetReconciler.SERVICES),
    @Dependent(name = "redis-headless-service", type = RedisHeadlessServiceDependent.class,
            reconcilePrecondition = StatefulRedisCondition.class, useEventSourceWithName = SocketFleetReconciler.SERVICES),
    @Dependent(name = "redis-network-policy", type = RedisNetworkPolicyDependent.class,
            reconcilePrecondition = ManagedRedisCondition.class),
    @Dependent(name = "node-service", type = NodeServiceDependent.class, useEventSourceWithName = SocketFleetReconciler.SERVICES),
    @Dependent(name = "node-deployment", type = NodeDeploymentDependent.class,
            useEventSourceWithName = SocketFleetReconciler.DEPLOYMENTS),
    @Dependent(name = "node-disruption-budget", type = NodeDisruptionBudgetDependent.class),
    @Dependent(name = "nginx-config", type = NginxConfigMapDependent.class),
    @Dependent(name = "nginx-deployment", type = NginxDeploymentDependent.class, dependsOn = "nginx-config",
            useEventSourceWithName = SocketFleetReconciler.DEPLOYMENTS),
    @Dependent(name = "nginx-service", type = NginxServiceDependent.class, useEventSourceWithName = SocketFleetReconciler.SERVICES),
})
@ControllerConfiguration(name = "socketfleet",
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class SocketFleetReconciler implements Reconciler<SocketFleet> {

    /** One informer each for the fleets' Deployments (nodes, nginx, Redis) and Services, shared by their dependents. */
    static final String DEPLOYMENTS = "deployments";
    static final String SERVICES = "services";
    private static final Logger log = LoggerFactory.getLogger(SocketFleetReconciler.class);
    /** How soon nginx pods that do not serve the current config yet are asked again. */
    static final Duration CONFIRM_AGAIN = Duration.ofSeconds(3);
    /** How often an autoscaled fleet's sessions are counted. */
    static final Duration AUTOSCALE_EVERY = Duration.ofSeconds(15);
    private final ConfigDebounce debounce = new ConfigDebounce();
    private final Autoscaling autoscaling = new Autoscaling();
    private final SessionsSchedule sessionsSchedule = new SessionsSchedule();
    private final NginxConfigProbe probe;
    private final NodeSessionsProbe sessionsProbe;
    private final FleetMetrics metrics;

    public SocketFleetReconciler(FleetMetrics metrics) {
        this(new HttpNginxConfigProbe(), new HttpNodeSessionsProbe(), metrics);
    }

    public SocketFleetReconciler(NginxConfigProbe probe, NodeSessionsProbe sessionsProbe, FleetMetrics metrics) {
        this.probe = probe;
        this.sessionsProbe = sessionsProbe;
        this.metrics = metrics;
    }

    @Override
    public List<EventSource<?, SocketFleet>> prepareEventSources(EventSourceContext<SocketFleet> context) {
        // The endpoint controller keeps the node Service's EndpointSlices current (and copies the
        // Service's labels onto them); each change of a slice reconciles the fleet it belongs to.
        var slices = InformerEventSourceConfiguration.from(EndpointSlice.class, SocketFleet.class)
                .withName("node-endpoint-slices")
                .withNamespacesInheritedFromController()
                .withLabelSelector(FleetLabels.MANAGED_SELECTOR + "," + FleetLabels.COMPONENT + "=" + FleetLabels.Component.NODE.label())
                .withSecondaryToPrimaryMapper(slice -> {
                    var labels = slice.getMetadata().getLabels();
                    String fleet = FleetNames.fleetOfNodeService(labels == null ? null : labels.get(NodeEndpoints.SERVICE_NAME_LABEL));
                    return fleet == null ? Set.of() : Set.of(new ResourceID(fleet, slice.getMetadata().getNamespace()));
                })
                .build();
        return List.of(new InformerEventSource<>(slices, context), owned(Deployment.class, DEPLOYMENTS, context),
                owned(Service.class, SERVICES, context));
    }

    /** An informer over the operator's own objects of one kind, mapped to their fleet by owner reference. */
    private static <R extends HasMetadata> InformerEventSource<R, SocketFleet> owned(Class<R> type, String name,
                                                                                     EventSourceContext<SocketFleet> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, SocketFleet.class)
                .withName(name)
                .withNamespacesInheritedFromController()
                .withLabelSelector(FleetLabels.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(SocketFleet.class, false))
                .build(), context);
    }

    @Override
    public UpdateControl<SocketFleet> reconcile(SocketFleet fleet, Context<SocketFleet> context) {
        List<String> problems = FleetValidator.validate(fleet);
        if (!problems.isEmpty()) {
            log.info("SocketFleet {}/{} is invalid, leaving its children as they are: {}",
                    fleet.getMetadata().getNamespace(), fleet.getMetadata().getName(), problems);
            FleetStatusWriter.writeIfChanged(fleet, context,
                    FleetStatusCalculator.invalid(fleet, String.join("; ", problems), Instant.now()));
            return UpdateControl.noUpdate();
        }
        List<NodePods.Count> counts = null;
        if (fleet.getSpec().getAutoscaling() != null) {
            counts = NodePods.count(context.getClient(), fleet, sessionsProbe);
            if (autoscaling.scale(context.getClient(), fleet, counts, Instant.now())) {
                // The new spec.replicas comes back as an event and is reconciled on its own.
                return UpdateControl.noUpdate();
            }
        }
        int running = deployment(context, FleetNames.nodeDeployment(fleet)).map(d -> d.getSpec().getReplicas()).orElse(0);
        if (fleet.getSpec().getReplicas() < running) {
            // Just before the Deployment is lowered, and only then: the emptiest nodes go.
            NodePods.setDeletionCosts(context.getClient(),
                    counts != null ? counts : NodePods.count(context.getClient(), fleet, sessionsProbe));
        }
        List<BackendStatus> backends = NodeEndpoints.all(fleet, context);
        String wanted = NginxConfigMapDependent.render(fleet, backends);
        Optional<String> current = NginxConfigMapDependent.current(fleet, context);
        ConfigDebounce.Decision decision = debounce.decide(ResourceID.fromResource(fleet), current.orElse(null), wanted, Instant.now());
        String config = decision.write() ? wanted : current.orElse(wanted);
        var workflow = context.managedWorkflowAndDependentResourceContext();
        workflow.put(NginxConfigMapDependent.RENDERED, config);
        RedisPassword.choose(fleet, context);
        workflow.reconcileManagedWorkflow().throwAggregateExceptionIfErrorsPresent();
        ResourceID id = ResourceID.fromResource(fleet);
        if (!config.equals(current.orElse(null))) {
            metrics.configWritten(id, Instant.now());
        }
        metrics.backends(id, (int) backends.stream().filter(BackendStatus::getReady).count(),
                (int) backends.stream().filter(BackendStatus::getServing).count());
        if (!config.equals(wanted)) {
            // A burst of backend changes: the rest waits for the config that ends it (Events and status too).
            return UpdateControl.<SocketFleet>noUpdate().rescheduleAfter(decision.retryAfter());
        }

        String configHash = NginxConfig.hash(config);
        SocketFleetStatus previous = fleet.getStatus() == null ? new SocketFleetStatus() : fleet.getStatus();
        String change = BackendChanges.describe(previous.getBackends(), backends);
        if (change != null) {
            log.info("SocketFleet {}/{}: {}", fleet.getMetadata().getNamespace(), fleet.getMetadata().getName(), change);
            BackendChanges.record(context.getClient(), fleet, change);
        }
        String configId = NginxConfig.configId(config);
        Optional<List<NginxPods.Answer>> answers = Optional.empty();
        if (!FleetStatusCalculator.configConfirmed(previous, configHash)) {
            var pods = NginxPods.list(context.getClient(), fleet);
            NginxPods.stamp(context.getClient(), fleet, pods, configHash);
            answers = Optional.of(NginxPods.ask(pods, fleet.getSpec().getNginx().getPort(), probe));
        }
        List<String> ready = backends.stream().filter(BackendStatus::getReady).map(BackendStatus::getAddress).toList();
        var seen = new FleetStatusCalculator.Observation(fleet, deployment(context, FleetNames.nodeDeployment(fleet)),
                deployment(context, FleetNames.nginxDeployment(fleet)), backends, configHash, configId, answers,
                sessions(id, ready));
        FleetStatusWriter.writeIfChanged(fleet, context, FleetStatusCalculator.valid(seen, Instant.now()));
        long behind = answers.map(list -> list.stream().filter(a -> !configId.equals(a.configId())).count()).orElse(0L);
        boolean unconfirmed = answers.map(list -> list.isEmpty() || behind > 0).orElse(false);
        if (answers.isPresent() && !unconfirmed) {
            metrics.configApplied(id, Instant.now());
        } else {
            metrics.nginxPodsBehind(id, (int) behind);
        }
        if (unconfirmed) {
            // Pods are not watched, and the kubelet refreshes the volume within about a minute even
            // without the stamp: keep asking until every ready nginx serves this config.
            return UpdateControl.<SocketFleet>noUpdate().rescheduleAfter(CONFIRM_AGAIN);
        }
        if (fleet.getSpec().getAutoscaling() != null) {
            // Sessions are not watched: count them again after a while.
            return UpdateControl.<SocketFleet>noUpdate().rescheduleAfter(AUTOSCALE_EVERY);
        }
        // Sessions change without any event the operator watches: ask the nodes again later.
        return ready.isEmpty() ? UpdateControl.noUpdate()
                : UpdateControl.<SocketFleet>noUpdate().rescheduleAfter(sessionsSchedule.untilDue(id, Instant.now()).plusMillis(100));
    }

    /**
     * The sessions each ready node that answered reports, when the nodes are due to be asked;
     * empty when they are not (the status keeps what they said last).
     */
    private Optional<List<Integer>> sessions(ResourceID id, List<String> ready) {
        if (ready.isEmpty()) {
            return Optional.of(List.of());
        }
        if (!sessionsSchedule.due(id, Instant.now())) {
            return Optional.empty();
        }
        List<Integer> perNode = sessionsProbe.sessions(ready).stream().flatMap(Optional::stream).toList();
        FleetStatusCalculator.sessions(perNode).ifPresentOrElse(
                s -> metrics.sessions(id, s.getMin(), s.getMax(), s.getTotal(), s.getBalance() == null ? Double.NaN : s.getBalance()),
                () -> metrics.sessions(id, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        return Optional.of(perNode);
    }

    @Override
    public ErrorStatusUpdateControl<SocketFleet> updateErrorStatus(SocketFleet fleet, Context<SocketFleet> context,
                                                                  Exception e) {
        return ErrorStatusUpdateControl.patchStatus(
                FleetStatusWriter.fresh(fleet, FleetStatusCalculator.failed(fleet, String.valueOf(e.getMessage()), Instant.now())));
    }

    private static Optional<Deployment> deployment(Context<SocketFleet> context, String name) {
        return context.getSecondaryResourcesAsStream(Deployment.class)
                .filter(d -> name.equals(d.getMetadata().getName()))
                .findFirst();
    }
}
