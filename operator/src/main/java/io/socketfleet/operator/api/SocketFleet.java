package io.socketfleet.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A load-balanced fleet of socket.io nodes: the socket-node Deployment, Redis between the
 * nodes, and nginx spreading websockets over them with a consistent hash.
 * <pre>
 * apiVersion: socketfleet.io/v1alpha1
 * kind: SocketFleet
 * metadata: { name: chat }
 * spec: { replicas: 3 }
 * </pre>
 */
@Group(SocketFleet.GROUP)
@Version(SocketFleet.VERSION)
@Plural("socketfleets")
@ShortNames("sf")
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Nodes", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Backends", jsonPath = ".status.backendCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Sessions", jsonPath = ".status.sessions.total", type = AdditionalPrinterColumn.Type.INTEGER,
        priority = 1)
@AdditionalPrinterColumn(name = "Min/Node", jsonPath = ".status.sessions.min", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Max/Node", jsonPath = ".status.sessions.max", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Balance", jsonPath = ".status.sessions.balance", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.conditions[?(@.type==\"Progressing\")].reason",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = FleetNameRules.NAME_RULE, message = FleetNameRules.NAME_RULE_MESSAGE)
public class SocketFleet extends CustomResource<SocketFleetSpec, SocketFleetStatus> implements Namespaced {

    public static final String GROUP = "socketfleet.io";
    public static final String VERSION = "v1alpha1";

    @Override
    protected SocketFleetSpec initSpec() {
        return new SocketFleetSpec();
    }
}
