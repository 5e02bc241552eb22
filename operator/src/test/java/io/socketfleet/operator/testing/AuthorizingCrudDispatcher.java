package io.socketfleet.operator.testing;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CRUD mock with two more parts of a real API server: an authorizer answering
 * SelfSubjectAccessReviews (everything is allowed but the permissions a test takes away),
 * and discovery that lists the socketfleet.io group only while its CRD is installed.
 */
public final class AuthorizingCrudDispatcher extends KubernetesCrudDispatcher {

    private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private static final String SOCKETFLEET_CRD = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/socketfleets.socketfleet.io";

    private final KubernetesSerialization json = new KubernetesSerialization();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private volatile boolean credentialsRejected;

    /** Takes a permission away, as RBAC spells it: group "" is the core group; resource may be "name/subresource". */
    public void deny(String verb, String group, String resource) {
        denied.add(verb + " " + group + " " + resource);
    }

    /** From now on every request is answered as an API server answers an expired or unknown token. */
    public void rejectCredentials() {
        credentialsRejected = true;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (credentialsRejected) {
            return new MockResponse().setResponseCode(401).setHeader("Content-Type", "application/json")
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Unauthorized\","
                            + "\"reason\":\"Unauthorized\",\"code\":401}");
        }
        String path = request.getPath();
        if (path.startsWith(ACCESS_REVIEWS) && request.getMethod().equals("POST")) {
            return review(json.unmarshal(request.getUtf8Body(), SelfSubjectAccessReview.class));
        }
        String discovery = Discovery.document(path);
        if (discovery != null) {
            boolean crdInstalled = handleGet(SOCKETFLEET_CRD).code() == 200;
            if (path.startsWith("/apis/socketfleet.io") && !crdInstalled) {
                return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\"}");
            }
            if (path.equals("/apis") && !crdInstalled) {
                discovery = "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}";
            }
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(discovery);
        }
        return super.dispatch(request);
    }

    private MockResponse review(SelfSubjectAccessReview review) {
        ResourceAttributes asked = review.getSpec().getResourceAttributes();
        String resource = asked.getResource() + (asked.getSubresource() == null || asked.getSubresource().isEmpty()
                ? "" : "/" + asked.getSubresource());
        boolean allowed = !denied.contains(asked.getVerb() + " " + (asked.getGroup() == null ? "" : asked.getGroup()) + " " + resource);
        review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed)
                .withReason(allowed ? "allowed by the test" : "").build());
        return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json").setBody(json.asJson(review));
    }
}
