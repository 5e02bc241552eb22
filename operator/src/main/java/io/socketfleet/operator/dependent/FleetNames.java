package io.socketfleet.operator.dependent;

import io.socketfleet.operator.api.SocketFleet;

/** Names of the objects a fleet owns, all derived from the fleet's name. */
public final class FleetNames {

    private FleetNames() {
    }

    public static String nodes(SocketFleet fleet) {
        return fleet.getMetadata().getName() + "-node";
    }

    /** The headless Service whose EndpointSlices list the nodes. */
    public static String nodesService(SocketFleet fleet) {
        return fleet.getMetadata().getName() + "-nodes";
    }

    public static String redis(SocketFleet fleet) {
        return fleet.getMetadata().getName() + "-redis";
    }

    public static String redisSecret(SocketFleet fleet) {
        return fleet.getMetadata().getName() + "-redis-auth";
    }

    /** nginx Deployment, Service and ConfigMap share this name. */
    public static String nginx(SocketFleet fleet) {
        return fleet.getMetadata().getName() + "-nginx";
    }

    /** The fleet a node Service name belongs to, if it is one of ours. */
    public static String fleetOfNodesService(String serviceName) {
        return serviceName != null && serviceName.endsWith("-nodes")
                ? serviceName.substring(0, serviceName.length() - "-nodes".length()) : null;
    }
}
