package io.socketfleet.operator.dependent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where a security-relevant section of a child (a NetworkPolicy's spec, a Service's spec, a pod
 * template's spec) differs from what the operator wants, additions by anyone else included.
 * Server-side apply alone keeps other managers' additions — a second {@code from} peer, an extra
 * selector key, a sidecar container — so these sections are compared here: every list must have
 * exactly the desired elements; a map may carry keys the operator does not set (the API server's
 * defaults), except label selectors, the sections that must be closed, and keys that widen
 * access (host namespaces, privileges, service accounts, external IPs).
 */
public final class ExactFields {

    /** Keys nobody may add beside the operator: each widens what a pod or a Service can reach or do. */
    static final Set<String> WIDENING = Set.of("hostNetwork", "hostPID", "hostIPC", "hostUsers", "shareProcessNamespace",
            "serviceAccountName", "serviceAccount", "privileged", "add", "hostPort", "hostPath", "procMount",
            "externalIPs", "externalName", "nodeName");
    /** Values of those keys that grant nothing: what an API server may fill in as a default. */
    private static boolean widening(String key, Object value) {
        return WIDENING.contains(key) && !(Boolean.FALSE.equals(value) || "Default".equals(value) || "".equals(value)
                || (value instanceof java.util.Collection<?> c && c.isEmpty()) || (value instanceof Map<?, ?> m && m.isEmpty()));
    }

    /** Maps that are selectors: one more key selects other pods. */
    private static final Set<String> SELECTORS = Set.of("selector", "matchLabels");

    private ExactFields() {
    }

    /**
     * The top-level keys of the section that must be set back to the desired value (or removed,
     * when the operator does not set them).
     *
     * @param closed whether any key the operator does not set counts (e.g. a NetworkPolicy's spec)
     */
    public static Set<String> differing(Map<String, Object> desired, Map<String, Object> actual, boolean closed) {
        Set<String> keys = new LinkedHashSet<>();
        Map<String, Object> want = desired == null ? Map.of() : desired;
        Map<String, Object> have = actual == null ? Map.of() : actual;
        for (Map.Entry<String, Object> entry : want.entrySet()) {
            if (!covers(entry.getKey(), entry.getValue(), have.get(entry.getKey()))) {
                keys.add(entry.getKey());
            }
        }
        for (String key : have.keySet()) {
            if (!want.containsKey(key) && (closed || widening(key, have.get(key)) || widens(have.get(key)))) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** JSON Patch operations that put those keys back, guarded by the version they were computed from. */
    public static List<Map<String, Object>> patch(String section, Set<String> keys, Map<String, Object> desired,
                                                  String resourceVersion) {
        List<Map<String, Object>> ops = new ArrayList<>();
        ops.add(op("test", "/metadata/resourceVersion", resourceVersion));
        for (String key : keys) {
            String path = section + "/" + key.replace("~", "~0").replace("/", "~1");
            ops.add(desired.containsKey(key) ? op("add", path, desired.get(key)) : op("remove", path, null));
        }
        return ops;
    }

    private static Map<String, Object> op(String op, String path, Object value) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("op", op);
        operation.put("path", path);
        if (!op.equals("remove")) {
            operation.put("value", value);
        }
        return operation;
    }

    /** Whether a value the operator does not set holds, at any depth, a key that widens access. */
    private static boolean widens(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().anyMatch(e -> widening((String) e.getKey(), e.getValue()) || widens(e.getValue()));
        }
        return value instanceof List<?> list && list.stream().anyMatch(ExactFields::widens);
    }

    @SuppressWarnings("unchecked")
    private static boolean covers(String field, Object desired, Object actual) {
        if (desired instanceof Map<?, ?> want && actual instanceof Map<?, ?> have) {
            for (Map.Entry<?, ?> entry : want.entrySet()) {
                if (!covers((String) entry.getKey(), entry.getValue(), have.get(entry.getKey()))) {
                    return false;
                }
            }
            boolean selector = SELECTORS.contains(field);
            return have.entrySet().stream().allMatch(e -> want.containsKey(e.getKey())
                    || !(selector || widening((String) e.getKey(), e.getValue()) || widens(e.getValue())));
        }
        if (desired instanceof List<?> want && actual instanceof List<?> have) {
            if (want.size() != have.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!covers(field, want.get(i), have.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(desired, actual) || (desired instanceof Number a && actual instanceof Number b
                && a.doubleValue() == b.doubleValue());
    }
}
