package io.socketfleet.operator;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import io.socketfleet.contract.RouteToken;
import io.socketfleet.operator.local.ClientImportFixture;
import io.socketfleet.operator.local.ReconcilerImportFixture;
import io.socketfleet.operator.reconciler.SocketFleetReconciler;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's packages and the only directions they may depend on each other (libraries do
 * not count). Read top-down; a package may use only those listed after it:
 * <pre>
 * operator (Main, runtime, preflight)  wires everything together
 * reconciler   → dependent, nginx, validation, autoscaling, metrics, api
 * dependent    → nginx, api
 * local        → nginx, validation, autoscaling, api   (and never the Kubernetes client or the operator SDK)
 * autoscaling  → api
 * validation   → api
 * nginx        → api                          (the renderer's input is the spec)
 * metrics      → nothing of ours               (the operator's Prometheus registry)
 * api          → nothing of ours
 * contract (module) → nothing of ours; anyone may use it
 * </pre>
 */
class ArchitectureTest {

    private static LayeredArchitecture layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture()
                .layer("operator").definedBy("io.socketfleet.operator")
                .layer("reconciler").definedBy("io.socketfleet.operator.reconciler")
                .layer("dependent").definedBy("io.socketfleet.operator.dependent")
                .layer("local").definedBy("io.socketfleet.operator.local")
                .layer("autoscaling").definedBy("io.socketfleet.operator.autoscaling")
                .layer("validation").definedBy("io.socketfleet.operator.validation")
                .layer("nginx").definedBy("io.socketfleet.operator.nginx")
                .layer("metrics").definedBy("io.socketfleet.operator.metrics")
                .layer("api").definedBy("io.socketfleet.operator.api")
                .layer("contract").definedBy("io.socketfleet.contract..")

                .whereLayer("operator").mayNotBeAccessedByAnyLayer()
                .whereLayer("reconciler").mayOnlyAccessLayers("dependent", "nginx", "validation", "autoscaling", "metrics", "api", "contract")
                .whereLayer("dependent").mayOnlyAccessLayers("nginx", "api", "contract")
                .whereLayer("local").mayOnlyAccessLayers("nginx", "validation", "autoscaling", "api", "contract")
                .whereLayer("autoscaling").mayOnlyAccessLayers("api", "contract")
                .whereLayer("validation").mayOnlyAccessLayers("api", "contract")
                .whereLayer("nginx").mayOnlyAccessLayers("api", "contract")
                .whereLayer("metrics").mayOnlyAccessLayers("contract")
                .whereLayer("api").mayOnlyAccessLayers("contract")
                .whereLayer("contract").mayNotAccessAnyLayer();
    }

    /** Local mode runs without a cluster: nothing that talks to an API server. */
    private static ArchRule localNeedsNoCluster() {
        DescribedPredicate<JavaClass> clusterClient = DescribedPredicate.describe("the Kubernetes client or the operator SDK",
                type -> type.getPackageName().startsWith("io.javaoperatorsdk")
                        || type.getPackageName().startsWith("io.fabric8.kubernetes.client.dsl")
                        || type.getPackageName().startsWith("io.fabric8.kubernetes.client.informers")
                        || Set.of("io.fabric8.kubernetes.client.KubernetesClient", "io.fabric8.kubernetes.client.KubernetesClientBuilder",
                                "io.fabric8.kubernetes.client.Config", "io.fabric8.kubernetes.client.Client").contains(type.getName()));
        return noClasses().that().resideInAPackage("io.socketfleet.operator.local")
                .should().dependOnClassesThat(clusterClient);
    }

    @Test
    void packagesDependOnEachOtherOnlyDownwards() {
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(Set.of(locationOf(SocketFleetReconciler.class), locationOf(RouteToken.class)));
        layers().check(production);
        localNeedsNoCluster().check(production);
    }

    @Test
    void localModeImportingTheReconcilerOrTheClientIsAViolation() {
        EvaluationResult layered = layers().withOptionalLayers(true)
                .evaluate(new ClassFileImporter().importClasses(ReconcilerImportFixture.class, SocketFleetReconciler.class));
        assertTrue(layered.hasViolation());
        assertTrue(layered.getFailureReport().toString().contains("ReconcilerImportFixture"), layered.getFailureReport().toString());

        EvaluationResult client = localNeedsNoCluster().evaluate(new ClassFileImporter().importClasses(ClientImportFixture.class));
        assertTrue(client.hasViolation());
        assertTrue(client.getFailureReport().toString().contains("KubernetesClient"), client.getFailureReport().toString());
    }

    /** The classes directory or jar this class was loaded from. */
    private static Location locationOf(Class<?> type) {
        try {
            URI location = type.getProtectionDomain().getCodeSource().getLocation().toURI();
            return Location.of(location.getPath().endsWith(".jar") ? URI.create("jar:" + location + "!/") : location);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
