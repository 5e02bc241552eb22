package io.socketfleet.node;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import io.socketfleet.contract.RouteToken;
import io.socketfleet.node.engineio.BackwardImportFixture;
import io.socketfleet.node.http.Responder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * socket-node's packages and the only directions they may depend on each other (libraries
 * do not count). Read top-down; a package may use only those listed after it:
 * <pre>
 * node (Main, SocketNode)  wires everything together
 * demo                     → socketio
 * admin                    → socketio, socketio.parser, engineio   (the admin UI protocol)
 * http                     → engineio, metrics
 * lifecycle                → engineio, metrics, redis
 * socketio                 → engineio, socketio.parser, adapter
 * adapter                  → metrics, redis
 * redis                    → nothing of ours
 * engineio                 → metrics
 * socketio.parser          → nothing of ours
 * metrics                  → nothing of ours
 * contract (module)        → nothing of ours; used by node only
 * </pre>
 */
class ArchitectureTest {

    private static LayeredArchitecture layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture()
                .layer("node").definedBy("io.socketfleet.node")
                .layer("demo").definedBy("io.socketfleet.node.demo")
                .layer("admin").definedBy("io.socketfleet.node.admin")
                .layer("http").definedBy("io.socketfleet.node.http")
                .layer("lifecycle").definedBy("io.socketfleet.node.lifecycle")
                .layer("socketio").definedBy("io.socketfleet.node.socketio")
                .layer("adapter").definedBy("io.socketfleet.node.adapter")
                .layer("redis").definedBy("io.socketfleet.node.redis")
                .layer("engineio").definedBy("io.socketfleet.node.engineio")
                .layer("socketio.parser").definedBy("io.socketfleet.node.socketio.parser")
                .layer("metrics").definedBy("io.socketfleet.node.metrics")
                .layer("contract").definedBy("io.socketfleet.contract..")

                .whereLayer("node").mayNotBeAccessedByAnyLayer()
                .whereLayer("demo").mayOnlyAccessLayers("socketio")
                .whereLayer("admin").mayOnlyAccessLayers("socketio", "socketio.parser", "engineio")
                .whereLayer("http").mayOnlyAccessLayers("engineio", "metrics")
                .whereLayer("lifecycle").mayOnlyAccessLayers("engineio", "metrics", "redis")
                .whereLayer("socketio").mayOnlyAccessLayers("engineio", "socketio.parser", "adapter")
                .whereLayer("adapter").mayOnlyAccessLayers("metrics", "redis")
                .whereLayer("redis").mayNotAccessAnyLayer()
                .whereLayer("engineio").mayOnlyAccessLayers("metrics")
                .whereLayer("socketio.parser").mayNotAccessAnyLayer()
                .whereLayer("metrics").mayNotAccessAnyLayer()
                .whereLayer("contract").mayNotAccessAnyLayer()
                .whereLayer("contract").mayOnlyBeAccessedByLayers("node");
    }

    @Test
    void packagesDependOnEachOtherOnlyDownwards() {
        // Read from where the two modules' classes were compiled to (scanning every jar of the classpath is slow).
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(Set.of(locationOf(SocketNode.class), locationOf(RouteToken.class)));
        layers().check(production);
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

    @Test
    void aBackwardImportIsAViolation() {
        // An Engine.IO class holding an http type, as PollingTransport once held http.Responder.
        JavaClasses classes = new ClassFileImporter()
                .importClasses(BackwardImportFixture.class, Responder.class);
        EvaluationResult result = layers().withOptionalLayers(true).evaluate(classes);
        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains("BackwardImportFixture"), result.getFailureReport().toString());

        JavaClasses alone = new ClassFileImporter().importClasses(Responder.class);
        assertFalse(layers().withOptionalLayers(true).evaluate(alone).hasViolation(), "http may use engineio");
    }
}
