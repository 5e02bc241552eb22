package io.socketfleet.operator.dependent;

import io.socketfleet.operator.api.SocketFleet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The labels on everything a fleet owns, and the selectors that find its pods. */
public final class FleetLabels {

    public static final String FLEET = "socketfleet.io/fleet";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY_VALUE = "socketfleet-operator";
    /**
     * What every informer of the operator watches: only objects it made (the EndpointSlice
     * controller copies a Service's labels onto its slices, so they carry it too).
     */
    public static final String MANAGED_SELECTOR = "app.kubernetes.io/managed-by=" + MANAGED_BY_VALUE;

    public enum Component {
        NODE("socket-node"), NGINX("nginx"), REDIS("redis");

        private final String label;

        Component(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private FleetLabels() {
    }

    public static Map<String, String> of(SocketFleet fleet, Component component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "socketfleet");
        labels.put("app.kubernetes.io/instance", fleet.getMetadata().getName());
        labels.put(COMPONENT, component.label());
        labels.put("app.kubernetes.io/managed-by", MANAGED_BY_VALUE);
        labels.put(FLEET, fleet.getMetadata().getName());
        return labels;
    }

    /** The stable subset used in selectors (never changes over the fleet's life). */
    public static Map<String, String> selector(SocketFleet fleet, Component component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(FLEET, fleet.getMetadata().getName());
        labels.put(COMPONENT, component.label());
        return labels;
    }

    /** The selector as a string, e.g. for the scale subresource's status.selector. */
    public static String selectorString(SocketFleet fleet, Component component) {
        return selector(fleet, component).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
