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
    private final List<String> failOnce = new CopyOnWriteArrayList<>();

    /**
     * The next request with this method whose path contains {@code pathPart} is refused (403), as
     * a real API server does when an admission webhook denies a write: the operator's retry path.
     * (Not a 5xx: the client retries those by itself, so the operator would never see it.)
     */
    public void failOnce(String method, String pathPart) {
        failOnce.add(method + " " + pathPart);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(new Request(request.getMethod(), request.getPath(), request.getHeader("User-Agent")));
        for (String failure : failOnce) {
            String[] methodAndPath = failure.split(" ", 2);
            if (methodAndPath[0].equals(request.getMethod()) && request.getPath().contains(methodAndPath[1])
                    && failOnce.remove(failure)) {
                return new MockResponse().setResponseCode(403).setHeader("Content-Type", "application/json")
                        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                                + "\"message\":\"admission webhook \\\"test\\\" denied the request\","
                                + "\"reason\":\"Forbidden\",\"code\":403}");
            }
        }
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
