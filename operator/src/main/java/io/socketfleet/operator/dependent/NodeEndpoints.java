package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.operator.api.BackendStatus;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.nginx.Backend;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The fleet's socket-node endpoints, read from the EndpointSlices of its headless Service. */
public final class NodeEndpoints {

    /** Label the EndpointSlice controller puts on every slice, naming its Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private NodeEndpoints() {
    }

    /** Every endpoint of the fleet's node Service, sorted by address, with its readiness and whether it still serves. */
    public static List<BackendStatus> all(SocketFleet fleet, Collection<EndpointSlice> slices) {
        String service = FleetNames.nodeService(fleet);
        int defaultPort = fleet.getSpec().getNode().getPort();
        Map<String, BackendStatus> byAddress = new TreeMap<>();
        for (EndpointSlice slice : slices) {
            if (!service.equals(labels(slice).get(SERVICE_NAME_LABEL))
                    || !fleet.getMetadata().getNamespace().equals(slice.getMetadata().getNamespace())
                    || "FQDN".equals(slice.getAddressType())) {
                continue;
            }
            int port = port(slice, defaultPort);
            for (Endpoint endpoint : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
                boolean ready = isReady(endpoint);
                boolean serving = ready || isServing(endpoint);
                String name = endpoint.getTargetRef() != null && endpoint.getTargetRef().getName() != null
                        ? endpoint.getTargetRef().getName() : "";
                for (String ip : endpoint.getAddresses() == null ? List.<String>of() : endpoint.getAddresses()) {
                    Backend backend;
                    try {
                        backend = new Backend(name.isEmpty() ? ip : name, ip, port);
                    } catch (IllegalArgumentException notAnIp) {
                        continue;
                    }
                    // An address listed twice (slices overlap while they are rewritten) is as available as its best entry.
                    byAddress.merge(backend.address(), new BackendStatus(backend.name(), backend.address(), ready, serving),
                            (a, b) -> rank(a) >= rank(b) ? a : b);
                }
            }
        }
        return List.copyOf(byAddress.values());
    }

    /**
     * What nginx routes to: ready endpoints take new connections; serving but not ready ones
     * (terminating pods still answering, i.e. draining) keep only their sessions; the rest none.
     */
    public static List<Backend> routed(List<BackendStatus> all) {
        return all.stream()
                .filter(b -> Boolean.TRUE.equals(b.getServing()) || Boolean.TRUE.equals(b.getReady()))
                .map(b -> {
                    Backend backend = Backend.parse(b.getName(), b.getAddress());
                    return Boolean.TRUE.equals(b.getReady()) ? backend : backend.asDraining();
                })
                .sorted().toList();
    }

    /** The fleet's endpoints as seen through the controller's EndpointSlice informer. */
    public static List<BackendStatus> all(SocketFleet fleet, Context<SocketFleet> context) {
        return all(fleet, context.getSecondaryResources(EndpointSlice.class));
    }

    private static boolean isReady(Endpoint endpoint) {
        var conditions = endpoint.getConditions();
        if (conditions == null) {
            return true; // the API says: unknown readiness is to be taken as ready
        }
        if (Boolean.TRUE.equals(conditions.getTerminating())) {
            return false;
        }
        return conditions.getReady() == null || conditions.getReady();
    }

    /**
     * EndpointSlice {@code serving}: the pod passes its readiness probe, terminating or not.
     * Unset (API servers before 1.20 listed no terminating endpoints) it follows {@code ready}.
     */
    private static boolean isServing(Endpoint endpoint) {
        var conditions = endpoint.getConditions();
        if (conditions == null || conditions.getServing() == null) {
            return isReady(endpoint);
        }
        return conditions.getServing();
    }

    private static int rank(BackendStatus backend) {
        return (Boolean.TRUE.equals(backend.getReady()) ? 2 : 0) + (Boolean.TRUE.equals(backend.getServing()) ? 1 : 0);
    }

    private static int port(EndpointSlice slice, int defaultPort) {
        if (slice.getPorts() == null) {
            return defaultPort;
        }
        List<EndpointPort> ports = slice.getPorts().stream().filter(p -> p.getPort() != null).toList();
        return ports.stream().filter(p -> "http".equals(p.getName())).findFirst()
                .or(() -> ports.stream().findFirst())
                .map(EndpointPort::getPort)
                .orElse(defaultPort);
    }

    private static Map<String, String> labels(EndpointSlice slice) {
        return slice.getMetadata().getLabels() == null ? Map.of() : slice.getMetadata().getLabels();
    }
}
