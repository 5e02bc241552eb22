package io.socketfleet.operator.dependent;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What counts as drift in a security-relevant section, and the patch that puts it back. */
class ExactFieldsTest {

    private static final Map<String, Object> POD = Map.of(
            "automountServiceAccountToken", false,
            "containers", List.of(Map.of("name", "nginx", "image", "nginx:1", "securityContext", Map.of("privileged", false))));

    @Test
    void theApiServersDefaultsAreNotDrift() {
        Map<String, Object> actual = Map.of(
                "automountServiceAccountToken", false, "dnsPolicy", "ClusterFirst", "restartPolicy", "Always", "hostNetwork", false,
                "containers", List.of(Map.of("name", "nginx", "image", "nginx:1", "terminationMessagePath", "/dev/termination-log",
                        "securityContext", Map.of("privileged", false, "procMount", "Default"))));
        assertEquals(Set.of(), ExactFields.differing(POD, actual, false));
    }

    @Test
    void additionsThatWidenAccessAreDrift() {
        Map<String, Object> sidecar = Map.of("name", "sidecar", "image", "x");
        assertEquals(Set.of("containers"), ExactFields.differing(POD, pod(List.of(container(Map.of("privileged", false)), sidecar)), false),
                "a sidecar");
        Map<String, Object> widened = Map.of("privileged", false, "capabilities", Map.of("add", List.of("NET_ADMIN")));
        assertEquals(Set.of("containers"), ExactFields.differing(POD, pod(List.of(container(widened))), false),
                "a capability added to our container");
        Map<String, Object> hostNetwork = new java.util.HashMap<>(pod(List.of(container(Map.of("privileged", false)))));
        hostNetwork.put("hostNetwork", true);
        hostNetwork.put("serviceAccountName", "admin");
        assertEquals(Set.of("hostNetwork", "serviceAccountName"), ExactFields.differing(POD, hostNetwork, false));
        Map<String, Object> token = new java.util.HashMap<>(pod(List.of(container(Map.of("privileged", false)))));
        token.put("automountServiceAccountToken", true);
        assertEquals(Set.of("automountServiceAccountToken"), ExactFields.differing(POD, token, false), "a changed value");
    }

    private static Map<String, Object> pod(List<Map<String, Object>> containers) {
        return Map.of("automountServiceAccountToken", false, "containers", containers);
    }

    private static Map<String, Object> container(Map<String, Object> securityContext) {
        return Map.of("name", "nginx", "image", "nginx:1", "securityContext", securityContext);
    }

    @Test
    void selectorsAndClosedSectionsAdmitNoExtraKey() {
        Map<String, Object> service = Map.of("selector", Map.of("fleet", "chat"), "ports", List.of(Map.of("port", 8080)));
        assertEquals(Set.of("selector", "externalIPs"), ExactFields.differing(service, Map.of(
                "selector", Map.of("fleet", "chat", "team", "other"), "ports", List.of(Map.of("port", 8080, "nodePort", 30080)),
                "clusterIP", "10.0.0.1", "externalIPs", List.of("203.0.113.7")), false));

        Map<String, Object> policy = Map.of("policyTypes", List.of("Ingress"));
        assertEquals(Set.of("egress"), ExactFields.differing(policy, Map.of("policyTypes", List.of("Ingress"),
                "egress", List.of(Map.of())), true));
    }

    @Test
    void thePatchSetsBackOrRemovesEachKeyAtTheVersionItWasSeen() {
        List<Map<String, Object>> ops = ExactFields.patch("/spec", new java.util.LinkedHashSet<>(List.of("selector", "externalIPs")),
                Map.of("selector", Map.of("fleet", "chat")), "42");
        assertEquals(List.of(
                Map.of("op", "test", "path", "/metadata/resourceVersion", "value", "42"),
                Map.of("op", "add", "path", "/spec/selector", "value", Map.of("fleet", "chat")),
                Map.of("op", "remove", "path", "/spec/externalIPs")), ops);
    }
}
