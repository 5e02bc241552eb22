package io.socketfleet.operator.testing;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The test API server's server-side apply behaves as a real API server's does, field by field. */
class ApplyingCrudDispatcherTest {

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new ApplyingCrudDispatcher(), false);
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private ConfigMap apply(String manager, Map<String, String> data) {
        return client.resource(new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("ns").endMetadata()
                .withData(data).build()).fieldManager(manager).forceConflicts().serverSideApply();
    }

    @Test
    void fieldsAManagerStopsApplyingGoButOtherManagersFieldsStay() {
        apply("operator", Map.of("a", "1", "b", "2"));
        client.configMaps().inNamespace("ns").withName("c")
                .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager("kubectl-edit").build(),
                        "{\"data\":{\"c\":\"3\"}}");

        ConfigMap result = apply("operator", Map.of("a", "1"));

        assertEquals(Map.of("a", "1", "c", "3"), result.getData());
        String owners = client.getKubernetesSerialization().asJson(result.getMetadata().getManagedFields());
        assertEquals(true, owners.contains("\"manager\":\"kubectl-edit\"") && owners.contains("\"f:c\""), owners);
    }

    @Test
    void aFieldTakenOverByAnUpdateIsForcedBackAndConflictsWithoutForce() {
        apply("operator", Map.of("a", "1"));
        client.configMaps().inNamespace("ns").withName("c")
                .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager("kubectl-edit").build(),
                        "{\"data\":{\"a\":\"changed\"}}");

        KubernetesClientException conflict = assertThrows(KubernetesClientException.class, () -> client.resource(
                new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("ns").endMetadata()
                        .withData(Map.of("a", "1")).build()).fieldManager("operator").serverSideApply());
        assertEquals(409, conflict.getCode());
        assertEquals(Map.of("a", "1"), apply("operator", Map.of("a", "1")).getData());
    }

    @Test
    void containersMergeByNameSoASidecarAddedByAnotherManagerStays() {
        Deployment deployment = new DeploymentBuilder().withNewMetadata().withName("d").withNamespace("ns").endMetadata()
                .withNewSpec().withReplicas(1).withNewTemplate().withNewSpec()
                    .addNewContainer().withName("app").withImage("app:1").endContainer()
                .endSpec().endTemplate().endSpec().build();
        client.resource(deployment).fieldManager("operator").forceConflicts().serverSideApply();
        client.apps().deployments().inNamespace("ns").withName("d")
                .patch(new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager("someone").build(),
                        "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/-\",\"value\":{\"name\":\"sidecar\",\"image\":\"s:1\"}}]");

        deployment.getSpec().setReplicas(2);
        Deployment result = client.resource(deployment).fieldManager("operator").forceConflicts().serverSideApply();

        assertEquals(2, result.getSpec().getReplicas());
        assertEquals(2, result.getSpec().getTemplate().getSpec().getContainers().size());
        assertEquals(3L, result.getMetadata().getGeneration(), "each spec change bumps the generation (sidecar, replicas)");
        assertEquals(result.getMetadata().getResourceVersion(),
                client.resource(deployment).fieldManager("operator").forceConflicts().serverSideApply().getMetadata().getResourceVersion(),
                "an apply that changes nothing writes nothing");
    }
}
