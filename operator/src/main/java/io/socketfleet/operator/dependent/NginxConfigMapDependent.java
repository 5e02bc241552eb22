package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.operator.api.BackendStatus;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.nginx.NginxRuntime;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nginx.conf for the fleet's ready nodes. Its text only changes when the set of ready
 * backends or the spec does, so an unchanged reconcile writes nothing. The reconciler renders
 * it once per reconcile and hands it over in the workflow's context.
 */
@KubernetesDependent(informer = @Informer(labelSelector = FleetLabels.MANAGED_SELECTOR))
public class NginxConfigMapDependent extends FleetDependent<ConfigMap> {

    public static final String CONFIG_KEY = "nginx.conf";
    /** Key of the rendered config in the managed workflow's context. */
    public static final String RENDERED = "socketfleet.io/rendered-nginx-conf";

    public NginxConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.nginxConfigMap(fleet);
    }

    @Override
    protected ConfigMap desired(SocketFleet fleet, Context<SocketFleet> context) {
        String config = context.managedWorkflowAndDependentResourceContext().getMandatory(RENDERED, String.class);
        return new ConfigMapBuilder()
                .withMetadata(FleetObjects.metadata(fleet, FleetNames.nginxConfigMap(fleet), FleetLabels.Component.NGINX))
                .withData(Map.of(CONFIG_KEY, config))
                .build();
    }

    /** The config in the fleet's ConfigMap as the informer has it, if there is one. */
    public static Optional<String> current(SocketFleet fleet, Context<SocketFleet> context) {
        String name = FleetNames.nginxConfigMap(fleet);
        return context.getSecondaryResourcesAsStream(ConfigMap.class)
                .filter(map -> name.equals(map.getMetadata().getName()) && map.getData() != null)
                .map(map -> map.getData().get(CONFIG_KEY))
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    /** The config the operator wants nginx to run for these endpoints. */
    public static String render(SocketFleet fleet, List<BackendStatus> endpoints) {
        return NginxConfig.render(fleet, NodeEndpoints.routed(endpoints), NginxRuntime.inPod(fleet.getSpec().getNginx()));
    }
}
