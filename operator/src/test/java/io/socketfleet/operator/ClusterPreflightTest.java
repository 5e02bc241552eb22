package io.socketfleet.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.socketfleet.operator.testing.AuthorizingCrudDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks 'run' makes before starting, against a mock API server that plays RBAC and CRD discovery. */
class ClusterPreflightTest {

    /** The environment of a pod: the operator runs in-cluster under its service account. */
    private static final Map<String, String> IN_A_POD = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    private static final String LEASES = "socketfleet-system";

    private final AuthorizingCrudDispatcher dispatcher = new AuthorizingCrudDispatcher();
    private KubernetesMockServer server;
    private KubernetesClient admin;

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        admin = server.createClient();
    }

    @AfterEach
    void stopApiServer() {
        admin.close();
        server.destroy();
    }

    @Test
    void withTheCrdAndEveryGrantTheOperatorMayStart() throws Exception {
        installCrd();
        assertEquals(Optional.empty(), ClusterPreflight.problem(admin.getConfiguration(), IN_A_POD, LEASES));
    }

    @Test
    void aMissingCrdIsNamedWithTheCommandThatInstallsIt() {
        String problem = ClusterPreflight.problem(admin.getConfiguration(), IN_A_POD, LEASES).orElseThrow();
        assertTrue(problem.startsWith("the SocketFleet CRD (socketfleets.socketfleet.io) is not installed — run 'kubectl apply -f "),
                problem);
        Matcher file = Pattern.compile("kubectl apply -f (\\S+)'").matcher(problem);
        assertTrue(file.find(), problem);
        Path repo = Path.of(System.getProperty("socketfleet.repoRoot", ".."));
        assertTrue(Files.isRegularFile(repo.resolve(file.group(1))), "the advice names " + file.group(1) + ", which does not exist");
    }

    @Test
    void aMissingGrantIsNamedWithWhereTheRbacIs() throws Exception {
        installCrd();
        dispatcher.deny("watch", "apps", "deployments");
        assertEquals("forbidden: the operator's service account may not watch deployments.apps cluster-wide — "
                        + "apply deploy/rbac: 'kubectl apply -k deploy/'",
                ClusterPreflight.problem(admin.getConfiguration(), IN_A_POD, LEASES).orElseThrow());

        dispatcher.deny("patch", "socketfleet.io", "socketfleets/status");
        dispatcher.deny("update", "coordination.k8s.io", "leases");
        String several = ClusterPreflight.problem(admin.getConfiguration(), IN_A_POD, LEASES).orElseThrow();
        assertTrue(several.startsWith("forbidden: the operator's service account may not patch socketfleets/status.socketfleet.io "
                + "cluster-wide (and 2 more of the rules it needs) — "), several);
    }

    @Test
    void theLeaseGrantIsCheckedInTheLeaseNamespaceOnlyWithLeaderElection() throws Exception {
        installCrd();
        dispatcher.deny("update", "coordination.k8s.io", "leases");
        assertEquals("forbidden: the operator's service account may not update leases.coordination.k8s.io in namespace "
                        + LEASES + " — apply deploy/rbac: 'kubectl apply -k deploy/'",
                ClusterPreflight.problem(admin.getConfiguration(), IN_A_POD, LEASES).orElseThrow());
        assertEquals(Optional.empty(), ClusterPreflight.problem(admin.getConfiguration(), IN_A_POD, null));
    }

    @Test
    void aClusterThatDoesNotAnswerIsNamed() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Config nowhere = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:" + closed + "/").build();
        String problem = ClusterPreflight.problem(nowhere, IN_A_POD, LEASES).orElseThrow();
        assertTrue(problem.startsWith("cannot reach the Kubernetes API server at https://127.0.0.1:" + closed + "/ (connection refused)"),
                problem);
    }

    @Test
    void rejectedCredentialsAreNamed() {
        dispatcher.rejectCredentials();
        String problem = ClusterPreflight.problem(admin.getConfiguration(), IN_A_POD, LEASES).orElseThrow();
        assertTrue(problem.startsWith("the Kubernetes API server at " + admin.getConfiguration().getMasterUrl()
                + " rejected the credentials (401 Unauthorized) — "), problem);
    }

    @Test
    void noKubeconfigAndNoPodMeansNoCluster() {
        // Only when this machine has no kubeconfig of its own (the process test in e2e controls the environment).
        boolean kubeconfig = Config.getKubeconfigFilenames().stream().anyMatch(f -> Files.isRegularFile(Path.of(f)));
        Optional<String> problem = ClusterPreflight.problem(Config.empty(), Map.of(), LEASES);
        if (!kubeconfig && System.getProperty("kubernetes.master") == null) {
            assertEquals(Optional.of(ClusterPreflight.NO_CLUSTER), problem);
        }
    }

    private void installCrd() throws Exception {
        try (InputStream crd = getClass().getResourceAsStream("/META-INF/fabric8/socketfleets.socketfleet.io-v1.yml")) {
            admin.resource(admin.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        }
    }
}
