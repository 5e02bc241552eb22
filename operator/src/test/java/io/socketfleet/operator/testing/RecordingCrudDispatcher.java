package io.socketfleet.operator.testing;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The mock API server (CRUD with server-side apply), remembering every request (for the RBAC check). */
public final class RecordingCrudDispatcher extends ApplyingCrudDispatcher {

    /** One request as RBAC sees it. */
    public record Request(String method, String path, String userAgent) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(new Request(request.getMethod(), request.getPath(), request.getHeader("User-Agent")));
        if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
            return selfRulesReview();
        }
        String discovery = Discovery.document(request.getPath());
        if (discovery != null) {
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(discovery);
        }
        return super.dispatch(request);
    }

    /**
     * The CRUD mock cannot answer the leader-election permission check; a real API server
     * answers it for every authenticated user. Plays it: the Lease verbs the Role grants.
     */
    private static MockResponse selfRulesReview() {
        return new MockResponse().setResponseCode(201).setBody("{\"apiVersion\":\"authorization.k8s.io/v1\","
                + "\"kind\":\"SelfSubjectRulesReview\",\"metadata\":{},\"spec\":{\"namespace\":\"socketfleet-system\"},"
                + "\"status\":{\"incomplete\":false,\"nonResourceRules\":[],\"resourceRules\":[{\"apiGroups\":"
                + "[\"coordination.k8s.io\"],\"resources\":[\"leases\"],\"verbs\":[\"get\",\"create\",\"update\"]}]}}");
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }
}
