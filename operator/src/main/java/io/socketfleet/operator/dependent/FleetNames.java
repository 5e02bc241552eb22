package io.socketfleet.operator.dependent;

import io.socketfleet.operator.api.SocketFleet;

/**
 * Names of the objects a fleet owns, all derived from the fleet's name; each method is named after
 * the object it names. Objects of different kinds may share a name (the Redis Deployment and Service).
 */
public final class FleetNames {

    private static final String NODE_SERVICE_SUFFIX = "-nodes";

    private FleetNames() {
    }

    /** The socket-node Deployment; its pods are {@code <fleet>-node-…}. */
    public static String nodeDeployment(SocketFleet fleet) {
        return fleet.getMetadata().getName() + "-node";
    }

    /** The headless Service whose EndpointSlices list the nodes. */
    public static String nodeService(SocketFleet fleet) {
        return fleet.getMetadata().getName() + NODE_SERVICE_SUFFIX;
    }

    /** The PodDisruptionBudget that lets voluntary evictions take one node at a time. */
    public static String nodeDisruptionBudget(SocketFleet fleet) {
        return nodeDeployment(fleet);
    }

    public static String redisDeployment(SocketFleet fleet) {
        return redis(fleet);
    }

    /** The managed Redis when it holds state; its pod is {@code <name>-0}, its volume claim {@code data-<name>-0}. */
    public static String redisStatefulSet(SocketFleet fleet) {
        return redis(fleet);
    }

    /** The Service the nodes reach Redis by (its DNS name is in their REDIS_URL). */
    public static String redisService(SocketFleet fleet) {
        return redis(fleet);
    }

    /**
     * The headless Service that gives the managed Redis StatefulSet's pods their stable DNS names
     * ({@code <name>-redis-0.<name>-redis-headless.<namespace>.svc}), by which a replicated Redis's
     * pods and Sentinels know each other.
     */
    public static String redisHeadlessService(SocketFleet fleet) {
        return redis(fleet) + "-headless";
    }

    /** The NetworkPolicy that admits only the fleet's nodes to Redis. */
    public static String redisNetworkPolicy(SocketFleet fleet) {
        return redis(fleet);
    }

    public static String redisSecret(SocketFleet fleet) {
        return fleet.getMetadata().getName() + "-redis-auth";
    }

    public static String nginxDeployment(SocketFleet fleet) {
        return nginx(fleet);
    }

    public static String nginxService(SocketFleet fleet) {
        return nginx(fleet);
    }

    /** The ConfigMap holding nginx.conf, mounted into the nginx pods. */
    public static String nginxConfigMap(SocketFleet fleet) {
        return nginx(fleet);
    }

    /** The fleet a node Service name belongs to, if it is one of ours. */
    public static String fleetOfNodeService(String serviceName) {
        return serviceName != null && serviceName.endsWith(NODE_SERVICE_SUFFIX)
                ? serviceName.substring(0, serviceName.length() - NODE_SERVICE_SUFFIX.length()) : null;
    }

    private static String redis(SocketFleet fleet) {
        return fleet.getMetadata().getName() + "-redis";
    }

    private static String nginx(SocketFleet fleet) {
        return fleet.getMetadata().getName() + "-nginx";
    }
}
