package io.socketfleet.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * fabric8's CRUD mock taught the parts of an API server that server-side apply needs: PATCH with
 * {@code application/apply-patch+yaml} (create or merge, per field manager, with force and
 * conflicts), merge and strategic-merge patches, field ownership for every write kept in
 * {@code metadata.managedFields}, and status left alone by writes to the main resource (and
 * the reverse). Fields another manager set survive an apply; fields a manager stops applying
 * disappear. Custom resources also get their {@code /scale} subresource as the CRD declares it
 * (spec.replicas, status.replicas, status.selector), read and written as an {@code autoscaling/v1}
 * Scale, the way an HPA and {@code kubectl scale} use it. What it leaves out: defaulting, and
 * managedFields entries of custom resources' status writes are only shown after the next write to
 * the main resource.
 */
public class ApplyingCrudDispatcher extends KubernetesCrudDispatcher {

    private static final String APPLY = "application/apply-patch+yaml";
    /** Built-in kinds whose status only the /status subresource writes. */
    private static final Set<String> STATUS_SUBRESOURCE = Set.of("deployments", "replicasets", "statefulsets", "daemonsets",
            "pods", "services", "namespaces", "nodes", "jobs", "persistentvolumeclaims");

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final Map<String, FieldManagers> managers = new HashMap<>();

    @Override
    public synchronized MockResponse handleCreate(RecordedRequest request) {
        String path = path(request);
        Map<String, Object> body = read(request.getUtf8Body(), json);
        String name = name(body);
        if (name == null) {
            return super.handleCreate(forward(HttpMethod.POST, request.getPath(), body));
        }
        String key = path + "/" + name;
        FieldManagers fields = new FieldManagers(builtIn(path));
        if (statusIsSubresource(path)) {
            body.remove("status");
        }
        fields.update(manager(request), false, null, body);
        fields.update(manager(request), true, null, body);
        body.put("metadata", withManagedFields(body, fields));
        MockResponse response = super.handleCreate(forward(HttpMethod.POST, request.getPath(), body));
        if (response.code() < 300) {
            managers.put(key, fields);
        }
        return response;
    }

    @Override
    public synchronized MockResponse handleGet(String path) {
        String objectPath = scaledObject(path);
        if (objectPath == null) {
            return super.handleGet(path);
        }
        MockResponse response = super.handleGet(objectPath);
        return response.code() != 200 ? response : scale(read(response.getBody().readUtf8(), json));
    }

    @Override
    public synchronized MockResponse handleUpdate(RecordedRequest request) {
        String objectPath = scaledObject(request.getPath());
        if (objectPath != null) {
            return updateScale(request, objectPath);
        }
        return write(request, read(request.getUtf8Body(), json), false);
    }

    /** A PUT of a Scale: sets the object's spec.replicas, owned by the scaling manager, as the API server does. */
    @SuppressWarnings("unchecked")
    private MockResponse updateScale(RecordedRequest request, String objectPath) {
        MockResponse found = super.handleGet(objectPath);
        if (found.code() != 200) {
            return found;
        }
        Map<String, Object> current = read(found.getBody().readUtf8(), json);
        Map<String, Object> scale = read(request.getUtf8Body(), json);
        String rv = resourceVersion(scale);
        if (rv != null && !rv.equals(resourceVersion(current))) {
            return status(409, "Conflict", "the object has been modified; please apply your changes to the latest version");
        }
        Object replicas = scale.get("spec") instanceof Map<?, ?> spec ? spec.get("replicas") : null;
        if (!(replicas instanceof Number)) {
            return status(422, "Invalid", "spec.replicas is required");
        }
        Map<String, Object> next = FieldManagers.deepCopy(current);
        ((Map<String, Object>) next.computeIfAbsent("spec", k -> new LinkedHashMap<>())).put("replicas", replicas);
        Headers.Builder headers = Headers.builder().add("Content-Type", "application/json");
        if (request.getHeader("User-Agent") != null) {
            headers.add("User-Agent", request.getHeader("User-Agent"));
        }
        try {
            RecordedRequest put = new RecordedRequest("HTTP/1.1", HttpMethod.PUT, objectPath, headers.build(),
                    new Buffer(json.writeValueAsBytes(next)));
            MockResponse written = write(put, next, true);
            return written.code() >= 300 ? written : scale(read(written.getBody().readUtf8(), json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The custom resource whose /scale this path names, or null for any other path. */
    private static String scaledObject(String path) {
        String p = URI.create(path).getPath();
        return p.endsWith("/scale") && !builtIn(p) ? p.substring(0, p.length() - "/scale".length()) : null;
    }

    @SuppressWarnings("unchecked")
    private MockResponse scale(Map<String, Object> object) {
        Map<String, Object> metadata = metadata(object);
        Map<String, Object> spec = object.get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> status = object.get("status") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> scale = new LinkedHashMap<>();
        scale.put("apiVersion", "autoscaling/v1");
        scale.put("kind", "Scale");
        Map<String, Object> scaleMetadata = new LinkedHashMap<>();
        for (String key : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (metadata.get(key) != null) {
                scaleMetadata.put(key, metadata.get(key));
            }
        }
        scale.put("metadata", scaleMetadata);
        scale.put("spec", Map.of("replicas", spec.getOrDefault("replicas", 0)));
        Map<String, Object> scaleStatus = new LinkedHashMap<>();
        scaleStatus.put("replicas", status.getOrDefault("replicas", 0));
        if (status.get("selector") != null) {
            scaleStatus.put("selector", status.get("selector"));
        }
        scale.put("status", scaleStatus);
        try {
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                    .setBody(json.writeValueAsString(scale));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized MockResponse handlePatch(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        String body = request.getUtf8Body();
        if (type != null && type.startsWith(APPLY)) {
            return apply(request, read(body, yaml));
        }
        Map<String, Object> current = current(request);
        if (current == null) {
            return status(404, "NotFound", "not found");
        }
        Map<String, Object> patched;
        try {
            if (type == null || type.startsWith("application/json-patch+json")) {
                JsonNode result = JsonPatch.apply(json.readTree(body), json.valueToTree(current));
                patched = json.convertValue(result, Map.class);
            } else {
                // merge-patch and strategic-merge-patch: the test's patches need nothing more than RFC 7386
                patched = mergePatch(current, read(body, json));
            }
        } catch (RuntimeException | IOException e) {
            return status(422, "Invalid", e.getMessage());
        }
        return write(request, patched, true);
    }

    @Override
    public synchronized MockResponse handleDelete(String path) {
        MockResponse response = super.handleDelete(path);
        if (response.code() < 300 && super.handleGet(URI.create(path).getPath()).code() == 404) {
            managers.remove(URI.create(path).getPath());
        }
        return response;
    }

    /** A PUT, or a patch already applied to the current object: the manager owns what it changed. */
    private MockResponse write(RecordedRequest request, Map<String, Object> body, boolean patch) {
        Map<String, Object> current = current(request);
        if (current == null) {
            return super.handleUpdate(forward(HttpMethod.PUT, request.getPath(), body));
        }
        String rv = resourceVersion(body);
        if (!patch && rv != null && !rv.equals(resourceVersion(current))) {
            return status(409, "Conflict", "the object has been modified; please apply your changes to the latest version");
        }
        boolean status = isStatus(request);
        Map<String, Object> next = FieldManagers.deepCopy(status ? current : body);
        if (status) {
            putOrRemove(next, "status", body.get("status"));
        } else if (statusIsSubresource(path(request))) {
            putOrRemove(next, "status", current.get("status"));
        }
        FieldManagers fields = managers.computeIfAbsent(key(request), k -> new FieldManagers(builtIn(path(request))));
        fields.update(manager(request), status, current, next);
        return store(request, current, next, fields);
    }

    private MockResponse apply(RecordedRequest request, Map<String, Object> applied) {
        Map<String, Object> current = current(request);
        boolean status = isStatus(request);
        String rv = resourceVersion(applied);
        if (current != null && rv != null && !rv.equals(resourceVersion(current))) {
            return status(409, "Conflict", "the object has been modified; please apply your changes to the latest version");
        }
        if (current == null && status) {
            return status(404, "NotFound", "not found");
        }
        FieldManagers fields = current == null ? new FieldManagers(builtIn(path(request)))
                : managers.computeIfAbsent(key(request), k -> new FieldManagers(builtIn(path(request))));
        Map<String, Object> next;
        try {
            next = fields.apply(manager(request), status, current, applied, query(request).contains("force=true"));
        } catch (FieldManagers.Conflict e) {
            return status(409, "Conflict", e.getMessage());
        }
        Map<String, Object> metadata = new LinkedHashMap<>(metadata(current == null ? applied : current));
        if (current == null) {
            metadata.remove("resourceVersion");
        } else {
            metadata.put("labels", metadata(next).get("labels"));
            metadata.put("annotations", metadata(next).get("annotations"));
            metadata.put("ownerReferences", metadata(next).get("ownerReferences"));
            metadata.put("finalizers", metadata(next).get("finalizers"));
            metadata.values().removeIf(java.util.Objects::isNull);
        }
        next.put("metadata", metadata);
        next.put("apiVersion", applied.getOrDefault("apiVersion", current == null ? null : current.get("apiVersion")));
        next.put("kind", applied.getOrDefault("kind", current == null ? null : current.get("kind")));
        if (current == null) {
            next.put("metadata", withManagedFields(next, fields));
            String collection = path(request).substring(0, path(request).lastIndexOf('/'));
            MockResponse response = super.handleCreate(forward(HttpMethod.POST, collection, next));
            if (response.code() < 300) {
                managers.put(key(request), fields);
            }
            return response;
        }
        if (!status) {
            putOrRemove(next, "status", current.get("status"));
        }
        return store(request, current, next, fields);
    }

    /**
     * Stores through the CRUD mock's PUT (it keeps uid, bumps resourceVersion and generation only
     * on change and notifies watchers). Custom resources' status goes through /status, where the
     * mock keeps the stored metadata; built-ins' status through the main path with the whole object.
     */
    private MockResponse store(RecordedRequest request, Map<String, Object> current, Map<String, Object> next,
                               FieldManagers fields) {
        next.put("metadata", withManagedFields(next, fields));
        metadata(next).put("resourceVersion", resourceVersion(current));
        String target = isStatus(request) && !builtIn(path(request)) ? path(request) + "/status" : path(request);
        return super.handleUpdate(forward(HttpMethod.PUT, target, next));
    }

    private Map<String, Object> withManagedFields(Map<String, Object> object, FieldManagers fields) {
        Map<String, Object> metadata = new LinkedHashMap<>(metadata(object));
        metadata.put("managedFields", fields.render(String.valueOf(object.get("apiVersion"))));
        return metadata;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> current(RecordedRequest request) {
        MockResponse response = super.handleGet(path(request));
        if (response.code() != 200) {
            return null;
        }
        return read(response.getBody().readUtf8(), json);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mergePatch(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> result = FieldManagers.deepCopy(target);
        patch.forEach((k, v) -> {
            if (v == null) {
                result.remove(k);
            } else if (v instanceof Map<?, ?> map && result.get(k) instanceof Map<?, ?> existing) {
                result.put(k, mergePatch((Map<String, Object>) existing, (Map<String, Object>) map));
            } else {
                result.put(k, v);
            }
        });
        return result;
    }

    private RecordedRequest forward(HttpMethod method, String path, Map<String, Object> body) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            return new RecordedRequest("HTTP/1.1", method, path,
                    Headers.builder().add("Content-Type", "application/json").build(), new Buffer(bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String body, ObjectMapper mapper) {
        try {
            return mapper.readValue(body == null ? "{}" : body, LinkedHashMap.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The field manager: the query parameter, else the user agent up to its first '/', as the API server does. */
    private static String manager(RecordedRequest request) {
        for (String parameter : query(request).split("&")) {
            if (parameter.startsWith("fieldManager=")) {
                return java.net.URLDecoder.decode(parameter.substring("fieldManager=".length()), StandardCharsets.UTF_8);
            }
        }
        String agent = request.getHeader("User-Agent");
        return agent == null ? "unknown" : agent.split("/")[0];
    }

    private static String query(RecordedRequest request) {
        String query = URI.create(request.getPath()).getRawQuery();
        return query == null ? "" : query;
    }

    private static boolean isStatus(RecordedRequest request) {
        return URI.create(request.getPath()).getPath().endsWith("/status");
    }

    /** The object's own path, without query and without /status. */
    private static String path(RecordedRequest request) {
        String path = URI.create(request.getPath()).getPath();
        return path.endsWith("/status") ? path.substring(0, path.length() - "/status".length()) : path;
    }

    private static String key(RecordedRequest request) {
        return path(request);
    }

    private static boolean builtIn(String path) {
        return !path.startsWith("/apis/socketfleet.io/");
    }

    private boolean statusIsSubresource(String path) {
        String[] parts = path.split("/");
        return parts.length > 0 && (STATUS_SUBRESOURCE.contains(plural(parts)) || isStatusSubresourceEnabledForResource(path));
    }

    /** The resource name in a path (.../namespaces/ns/PLURAL[/name]). */
    private static String plural(String[] parts) {
        for (int i = parts.length - 1; i > 0; i--) {
            if (parts[i - 1].equals("namespaces") && i + 1 < parts.length) {
                return parts[i + 1];
            }
        }
        return parts.length >= 2 ? parts[parts.length - 2] : "";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> object) {
        Object metadata = object.get("metadata");
        if (!(metadata instanceof Map)) {
            metadata = new LinkedHashMap<String, Object>();
            object.put("metadata", metadata);
        }
        return (Map<String, Object>) metadata;
    }

    private static String name(Map<String, Object> object) {
        Object name = metadata(object).get("name");
        return name == null ? null : name.toString();
    }

    private static String resourceVersion(Map<String, Object> object) {
        Object rv = metadata(object).get("resourceVersion");
        return rv == null ? null : rv.toString();
    }

    private static void putOrRemove(Map<String, Object> object, String key, Object value) {
        if (value == null) {
            object.remove(key);
        } else {
            object.put(key, value);
        }
    }

    private static MockResponse status(int code, String reason, String message) {
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":" + code
                + ",\"reason\":\"" + reason + "\",\"message\":" + quote(message) + "}";
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    private static String quote(String text) {
        return "\"" + String.valueOf(text).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
