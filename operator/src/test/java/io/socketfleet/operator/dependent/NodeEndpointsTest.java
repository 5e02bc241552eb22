package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.socketfleet.operator.api.BackendStatus;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.nginx.Backend;
import io.socketfleet.operator.testing.Fleets;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * EndpointSlice conditions as the EndpointSlice controller sets them (ready = serving and not
 * terminating), read into what nginx routes: ready nodes take new connections, terminating
 * nodes that still serve keep only their sessions.
 */
class NodeEndpointsTest {

    private final SocketFleet fleet = Fleets.fleet("chat", "default", 3);

    private static Endpoint endpoint(String pod, String ip, Boolean ready, Boolean serving, Boolean terminating) {
        return new EndpointBuilder().withAddresses(ip)
                .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
                .withNewTargetRef().withKind("Pod").withName(pod).endTargetRef()
                .build();
    }

    private static EndpointSlice slice(String name, Endpoint... endpoints) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withName(name).withNamespace("default")
                    .addToLabels(NodeEndpoints.SERVICE_NAME_LABEL, "chat-nodes").endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(3000).endPort()
                .withEndpoints(endpoints)
                .build();
    }

    @Test
    void terminatingButServingDrainsNotServingIsGone() {
        List<BackendStatus> all = NodeEndpoints.all(fleet, List.of(slice("chat-nodes-a",
                endpoint("chat-node-a", "10.0.0.1", true, true, false),
                endpoint("chat-node-b", "10.0.0.2", false, true, true),
                endpoint("chat-node-c", "10.0.0.3", false, false, true),
                endpoint("chat-node-d", "10.0.0.4", false, false, false))));

        assertEquals(List.of("10.0.0.1:3000 ready serving", "10.0.0.2:3000 serving", "10.0.0.3:3000", "10.0.0.4:3000"),
                all.stream().map(b -> b.getAddress() + (b.getReady() ? " ready" : "") + (b.getServing() ? " serving" : "")).toList());
        assertEquals(List.of(new Backend("chat-node-a", "10.0.0.1", 3000), new Backend("chat-node-b", "10.0.0.2", 3000).asDraining()),
                NodeEndpoints.routed(all));
    }

    @Test
    void conditionsLeftOutFollowTheApisDefaults() {
        List<BackendStatus> all = NodeEndpoints.all(fleet, List.of(slice("chat-nodes-a",
                endpoint("chat-node-a", "10.0.0.1", null, null, null),
                endpoint("chat-node-b", "10.0.0.2", false, null, true))));
        assertEquals(List.of(new Backend("chat-node-a", "10.0.0.1", 3000)), NodeEndpoints.routed(all),
                "unknown readiness is ready; no 'serving' from an old API server: it follows 'ready'");
    }

    @Test
    void anAddressInTwoSlicesTakesItsMostAvailableEntry() {
        List<BackendStatus> all = NodeEndpoints.all(fleet, List.of(
                slice("chat-nodes-a", endpoint("chat-node-a", "10.0.0.1", false, false, true),
                        endpoint("chat-node-b", "10.0.0.2", false, true, true)),
                slice("chat-nodes-b", endpoint("chat-node-a", "10.0.0.1", false, true, true),
                        endpoint("chat-node-b", "10.0.0.2", true, true, false))));
        assertEquals(List.of(new Backend("chat-node-a", "10.0.0.1", 3000).asDraining(), new Backend("chat-node-b", "10.0.0.2", 3000)),
                NodeEndpoints.routed(all));
    }
}
