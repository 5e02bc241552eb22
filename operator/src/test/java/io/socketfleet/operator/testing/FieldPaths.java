package io.socketfleet.operator.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fields of an object as server-side apply names them (FieldsV1 path segments such as
 * {@code f:spec}, {@code k:{"name":"nginx"}}), with the merge rules of the built-in types that
 * the operator's children use: associative lists merge by key, atomic lists and label selectors
 * are replaced whole, other maps merge key by key. Custom resources' lists are atomic (no
 * {@code x-kubernetes-list-type} in our CRD).
 */
final class FieldPaths {

    /** A value that is absent (distinct from JSON null). */
    static final Object MISSING = new Object();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ATOMIC_MAPS = Set.of("selector", "podSelector", "namespaceSelector");
    private static final Set<String> TRACKED_METADATA = Set.of("labels", "annotations", "ownerReferences", "finalizers");

    private final boolean builtIn;

    /** @param builtIn a Kubernetes type (its list merge keys apply), not a custom resource */
    FieldPaths(boolean builtIn) {
        this.builtIn = builtIn;
    }

    /** Every field path the object sets: leaves, and one path per associative list element. */
    Set<List<String>> of(Map<String, Object> object, boolean status) {
        Set<List<String>> out = new java.util.LinkedHashSet<>();
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            String key = entry.getKey();
            if (key.equals("apiVersion") || key.equals("kind") || key.equals("status") != status) {
                continue;
            }
            if (key.equals("metadata") && entry.getValue() instanceof Map<?, ?> metadata) {
                metadata.forEach((k, v) -> {
                    if (TRACKED_METADATA.contains((String) k)) {
                        walk(v, (String) k, List.of("f:metadata", "f:" + k), out);
                    }
                });
            } else if (!key.equals("metadata")) {
                walk(entry.getValue(), key, List.of("f:" + key), out);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private void walk(Object value, String field, List<String> path, Set<List<String>> out) {
        List<String> keys = listKeys(field, path);
        if (value instanceof Map<?, ?> map && !map.isEmpty() && !ATOMIC_MAPS.contains(field)) {
            map.forEach((k, v) -> walk(v, (String) k, append(path, "f:" + k), out));
        } else if (value instanceof List<?> list && keys != null && !list.isEmpty()) {
            for (Object element : list) {
                List<String> elementPath = append(path, elementKey((Map<String, Object>) element, keys));
                out.add(elementPath);
                ((Map<String, Object>) element).forEach((k, v) -> walk(v, k, append(elementPath, "f:" + k), out));
            }
        } else {
            out.add(path);
        }
    }

    /** The merge keys of an associative list, or null for an atomic one. */
    private List<String> listKeys(String field, List<String> path) {
        if (!builtIn) {
            return null;
        }
        return switch (field) {
            case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets" -> List.of("name");
            case "volumeMounts" -> List.of("mountPath");
            case "ownerReferences" -> List.of("uid");
            case "conditions" -> List.of("type");
            case "ports" -> path.stream().anyMatch(s -> s.startsWith("k:")) && path.contains("f:template")
                    ? List.of("containerPort", "protocol") : path.contains("f:ingress") ? null : List.of("port", "protocol");
            default -> null;
        };
    }

    private static String elementKey(Map<String, Object> element, List<String> keys) {
        Map<String, Object> key = new TreeMap<>();
        keys.stream().filter(element::containsKey).forEach(k -> key.put(k, element.get(k)));
        try {
            return "k:" + JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value at a path, or {@link #MISSING}. */
    @SuppressWarnings("unchecked")
    static Object valueAt(Object root, List<String> path) {
        Object node = root;
        for (String segment : path) {
            if (segment.startsWith("f:") && node instanceof Map<?, ?> map) {
                String field = segment.substring(2);
                if (!map.containsKey(field)) {
                    return MISSING;
                }
                node = map.get(field);
            } else if (segment.startsWith("k:") && node instanceof List<?> list) {
                Map<String, Object> key = parseKey(segment);
                node = list.stream().map(e -> (Object) e).filter(e -> e instanceof Map<?, ?> m && matches((Map<String, Object>) m, key))
                        .findFirst().orElse(MISSING);
                if (node == MISSING) {
                    return MISSING;
                }
            } else {
                return MISSING;
            }
        }
        return node;
    }

    /** Removes the field or list element a path names; parents stay. */
    @SuppressWarnings("unchecked")
    static void remove(Object root, List<String> path) {
        Object parent = valueAt(root, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        if (last.startsWith("f:") && parent instanceof Map<?, ?> map) {
            map.remove(last.substring(2));
        } else if (last.startsWith("k:") && parent instanceof List<?> list) {
            Map<String, Object> key = parseKey(last);
            list.removeIf(e -> e instanceof Map<?, ?> m && matches((Map<String, Object>) m, key));
        }
    }

    /**
     * Server-side apply's merge of an applied configuration onto the live object: maps merge by
     * key, associative lists by their merge key, everything else is replaced.
     */
    @SuppressWarnings("unchecked")
    Object merge(Object live, Object applied, String field, List<String> path) {
        if (applied instanceof Map<?, ?> appliedMap && live instanceof Map<?, ?> liveMap && !ATOMIC_MAPS.contains(field)) {
            Map<String, Object> result = new LinkedHashMap<>((Map<String, Object>) liveMap);
            appliedMap.forEach((k, v) -> result.put((String) k,
                    merge(result.getOrDefault(k, MISSING), v, (String) k, append(path, "f:" + k))));
            return result;
        }
        List<String> keys = listKeys(field, path);
        if (applied instanceof List<?> appliedList && live instanceof List<?> liveList && keys != null) {
            List<Object> result = new ArrayList<>(liveList);
            for (Object element : appliedList) {
                Map<String, Object> key = parseKey(elementKey((Map<String, Object>) element, keys));
                int at = indexOf(result, key);
                if (at < 0) {
                    result.add(element);
                } else {
                    result.set(at, merge(result.get(at), element, field, append(path, "k:")));
                }
            }
            return result;
        }
        return applied;
    }

    static boolean isPrefix(List<String> prefix, List<String> path) {
        return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
    }

    /** FieldsV1 JSON of a set of paths (the shape metadata.managedFields carries). */
    static Map<String, Object> fieldsV1(Set<List<String>> paths) {
        Map<String, Object> root = new TreeMap<>();
        for (List<String> path : paths) {
            Map<String, Object> node = root;
            for (String segment : path) {
                node = child(node, segment);
            }
            if (path.get(path.size() - 1).startsWith("k:")) {
                node.put(".", new TreeMap<>());
            }
        }
        return root;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> node, String segment) {
        return (Map<String, Object>) node.computeIfAbsent(segment, s -> new TreeMap<>());
    }

    private static int indexOf(List<Object> list, Map<String, Object> key) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> m && matches(castMap(m), key)) {
                return i;
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static boolean matches(Map<String, Object> element, Map<String, Object> key) {
        return key.entrySet().stream().allMatch(e -> Objects.equals(element.get(e.getKey()), e.getValue()))
                && !key.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseKey(String segment) {
        try {
            return JSON.readValue(segment.substring(2), Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> append(List<String> path, String segment) {
        List<String> longer = new ArrayList<>(path);
        longer.add(segment);
        return List.copyOf(longer);
    }
}
