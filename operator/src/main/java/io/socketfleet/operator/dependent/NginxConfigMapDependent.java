package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.nginx.NginxRuntime;

import java.util.Map;

/**
 * The nginx.conf for the fleet's ready nodes. Its text only changes when the set of ready
 * backends or the spec does, so an unchanged reconcile writes nothing.
 */
public class NginxConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, SocketFleet> {

    public static final String CONFIG_KEY = "nginx.conf";

    public NginxConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(SocketFleet fleet, Context<SocketFleet> context) {
        String config = render(fleet, context);
        return new ConfigMapBuilder()
                .withMetadata(FleetObjects.metadata(fleet, FleetNames.nginx(fleet), FleetLabels.Component.NGINX))
                .withData(Map.of(CONFIG_KEY, config))
                .build();
    }

    /** The config the operator wants nginx to run now. */
    public static String render(SocketFleet fleet, Context<SocketFleet> context) {
        return NginxConfig.render(fleet, NodeEndpoints.routed(NodeEndpoints.all(fleet, context)),
                NginxRuntime.inPod(fleet.getSpec().getNginx()));
    }
}
