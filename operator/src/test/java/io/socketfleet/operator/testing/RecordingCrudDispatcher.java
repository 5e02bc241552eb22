package io.socketfleet.operator.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The mock API server's CRUD dispatcher, remembering every request (for the RBAC check). */
public final class RecordingCrudDispatcher extends KubernetesCrudDispatcher {

    /** One request as RBAC sees it. */
    public record Request(String method, String path, String userAgent) {
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(new Request(request.getMethod(), request.getPath(), request.getHeader("User-Agent")));
        return super.dispatch(request);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }
}
