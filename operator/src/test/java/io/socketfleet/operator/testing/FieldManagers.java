package io.socketfleet.operator.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who owns which fields of one object, as a real API server tracks it in metadata.managedFields:
 * an apply takes the fields it sets (by force from others when values differ) and drops the
 * fields its manager applied before and no longer applies, unless someone else also owns them;
 * any other write gives its manager the fields it changed and takes them from everyone else.
 */
final class FieldManagers {

    /** One managedFields entry. */
    record Entry(String manager, String operation, String subresource) {
    }

    /** A field another manager owns with a different value, refused without force. */
    static final class Conflict extends Exception {
        Conflict(String message) {
            super(message);
        }
    }

    private final Map<Entry, Set<List<String>>> owned = new LinkedHashMap<>();
    private final FieldPaths paths;

    FieldManagers(boolean builtIn) {
        this.paths = new FieldPaths(builtIn);
    }

    /**
     * Applies {@code applied} to {@code live} (null when creating) for one manager and returns
     * the resulting object's main part or status (the other part is left to the caller).
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> apply(String manager, boolean status, Map<String, Object> live, Map<String, Object> applied,
                              boolean force) throws Conflict {
        Map<String, Object> base = live == null ? new LinkedHashMap<>() : deepCopy(live);
        Map<String, Object> result = new LinkedHashMap<>(base);
        for (Map.Entry<String, Object> field : applied.entrySet()) {
            String key = field.getKey();
            if (key.equals("status") != status || key.equals("apiVersion") || key.equals("kind")) {
                continue;
            }
            if (key.equals("metadata")) {
                Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) result.getOrDefault("metadata", Map.of()));
                ((Map<String, Object>) field.getValue()).forEach((k, v) -> {
                    if (Set.of("labels", "annotations", "ownerReferences", "finalizers").contains(k)) {
                        metadata.put(k, paths.merge(metadata.getOrDefault(k, FieldPaths.MISSING), v, k, List.of("f:metadata", "f:" + k)));
                    }
                });
                result.put("metadata", metadata);
            } else {
                result.put(key, paths.merge(result.getOrDefault(key, FieldPaths.MISSING), field.getValue(), key, List.of("f:" + key)));
            }
        }
        Entry self = new Entry(manager, "Apply", status ? "status" : null);
        Set<List<String>> now = paths.of(applied, status);
        List<String> conflicts = new ArrayList<>();
        for (Map.Entry<Entry, Set<List<String>>> other : owned.entrySet()) {
            if (other.getKey().equals(self)) {
                continue;
            }
            for (List<String> path : new ArrayList<>(other.getValue())) {
                if (now.contains(path) && !path.get(path.size() - 1).startsWith("k:")
                        && !java.util.Objects.equals(FieldPaths.valueAt(base, path), FieldPaths.valueAt(result, path))) {
                    conflicts.add(other.getKey().manager() + " owns " + String.join(".", path));
                    other.getValue().remove(path);
                }
            }
        }
        if (!conflicts.isEmpty() && !force) {
            throw new Conflict("Apply failed with " + conflicts.size() + " conflict(s): " + conflicts);
        }
        Set<List<String>> before = owned.getOrDefault(self, Set.of());
        // Shallowest first: a dropped list element goes whole, before its key fields could be removed one by one.
        List<List<String>> dropped = before.stream().filter(p -> !now.contains(p))
                .sorted(java.util.Comparator.comparingInt(List::size)).toList();
        List<List<String>> removed = new ArrayList<>();
        for (List<String> path : dropped) {
            if (removed.stream().anyMatch(r -> FieldPaths.isPrefix(r, path))) {
                continue;
            }
            boolean ownedElsewhere = owned.entrySet().stream().filter(e -> !e.getKey().equals(self))
                    .anyMatch(e -> e.getValue().stream().anyMatch(p -> FieldPaths.isPrefix(path, p)));
            if (!ownedElsewhere) {
                FieldPaths.remove(result, path);
                removed.add(path);
            }
        }
        owned.put(self, new HashSet<>(now));
        prune(result, status);
        return result;
    }

    /** Any write other than an apply: the manager takes what it changed. */
    void update(String manager, boolean status, Map<String, Object> before, Map<String, Object> after) {
        Set<List<String>> next = paths.of(after, status);
        Set<List<String>> changed = new HashSet<>();
        for (List<String> path : next) {
            Object was = before == null ? FieldPaths.MISSING : FieldPaths.valueAt(before, path);
            boolean element = path.get(path.size() - 1).startsWith("k:");
            if (element ? was == FieldPaths.MISSING : !java.util.Objects.equals(was, FieldPaths.valueAt(after, path))) {
                changed.add(path);
            }
        }
        Entry self = new Entry(manager, "Update", status ? "status" : null);
        owned.values().forEach(set -> set.removeAll(changed));
        if (!changed.isEmpty()) {
            owned.computeIfAbsent(self, e -> new HashSet<>()).addAll(changed);
        }
        prune(after, status);
    }

    /** Ownership of fields that no longer exist ends. */
    private void prune(Map<String, Object> object, boolean status) {
        owned.forEach((entry, set) -> {
            if ((entry.subresource() != null) == status) {
                set.removeIf(path -> FieldPaths.valueAt(object, path) == FieldPaths.MISSING);
            }
        });
        owned.values().removeIf(Set::isEmpty);
    }

    /** metadata.managedFields as the API server returns it. */
    List<Map<String, Object>> render(String apiVersion) {
        List<Map<String, Object>> entries = new ArrayList<>();
        owned.forEach((entry, set) -> {
            Map<String, Object> rendered = new TreeMap<>();
            rendered.put("manager", entry.manager());
            rendered.put("operation", entry.operation());
            rendered.put("apiVersion", apiVersion);
            rendered.put("fieldsType", "FieldsV1");
            rendered.put("fieldsV1", FieldPaths.fieldsV1(set));
            if (entry.subresource() != null) {
                rendered.put("subresource", entry.subresource());
            }
            entries.add(rendered);
        });
        return entries;
    }

    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }
}
