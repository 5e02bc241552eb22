package io.socketfleet.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.socketfleet.operator.OperatorRuntime;
import io.socketfleet.operator.metrics.OperatorMetrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Set;

/**
 * fabric8's mock API server in CRUD mode with the generated CRD installed and the operator
 * running against it. Tests play the built-in controllers (EndpointSlices, Deployment status).
 */
public final class MockCluster implements AutoCloseable {

    private final RecordingCrudDispatcher dispatcher = new RecordingCrudDispatcher();
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final KubernetesClient operatorClient;
    private final Operator operator;
    private final OperatorMetrics metrics = new OperatorMetrics();

    public MockCluster() throws IOException {
        this(null);
    }

    /** With a lease namespace the operator runs with leader election, as in production. */
    public MockCluster(String leaseNamespace) throws IOException {
        this(leaseNamespace, Set.of());
    }

    /** The operator watching only these namespaces (empty: all), as the namespace-scoped install runs it. */
    public MockCluster(String leaseNamespace, Set<String> watchedNamespaces) throws IOException {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        client = server.createClient(b -> b.editOrNewConfig().withUserAgent("socketfleet-test").endConfig());
        try (InputStream crd = MockCluster.class.getResourceAsStream("/META-INF/fabric8/socketfleets.socketfleet.io-v1.yml")) {
            client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        }
        operatorClient = server.createClient(b -> b.editOrNewConfig().withUserAgent("socketfleet-operator").endConfig());
        operator = OperatorRuntime.create(operatorClient, leaseNamespace, false, watchedNamespaces, metrics);
        operator.start();
    }

    /** The test's own client (its requests are not the operator's). */
    public KubernetesClient client() {
        return client;
    }

    /** The running operator (its health and metrics server can be started on it). */
    public Operator operator() {
        return operator;
    }

    /** What the operator's /metrics exports. */
    public OperatorMetrics metrics() {
        return metrics;
    }

    public RecordingCrudDispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public void close() {
        operator.stop();
        operatorClient.close();
        client.close();
        server.destroy();
    }
}
