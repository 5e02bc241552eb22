package io.socketfleet.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What deploy/minikube-demo.sh decides before it talks to minikube: image tags and the manifests it applies. */
class MinikubeDemoIT {

    private static final String DEMO = "deploy/minikube-demo.sh";

    @Test
    void eachImageIsTaggedByWhatItIsBuiltFrom(@TempDir Path tree) throws Exception {
        for (String file : run(Repo.ROOT, "git", "ls-files").lines().distinct().toList()) {
            Path target = tree.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(Repo.ROOT.resolve(file), target);
        }
        List<String> tags = tags(tree);
        assertTrue(tags.get(0).matches("socketfleet/socket-node:0\\.1\\.0-[0-9a-f]{12}"), tags.get(0));
        assertTrue(tags.get(1).matches("socketfleet/operator:0\\.1\\.0-[0-9a-f]{12}"), tags.get(1));

        assertEquals(tags, tagsAfterChanging(tree, "README.md"), "README.md goes into neither image");
        List<String> operatorChanged = tagsAfterChanging(tree, "operator/src/main/java/io/socketfleet/operator/Main.java");
        assertEquals(tags.get(0), operatorChanged.get(0));
        assertNotEquals(tags.get(1), operatorChanged.get(1));
        List<String> lockChanged = tagsAfterChanging(tree, "package-lock.json");
        assertNotEquals(operatorChanged.get(0), lockChanged.get(0), "the node image bundles the npm client");
        assertEquals(operatorChanged.get(1), lockChanged.get(1));
        List<String> contractChanged = tagsAfterChanging(tree, "contract/src/main/java/io/socketfleet/contract/RouteToken.java");
        assertNotEquals(lockChanged.get(0), contractChanged.get(0));
        assertNotEquals(lockChanged.get(1), contractChanged.get(1));
    }

    @Test
    void theOperatorAndTheFleetRunTheImagesJustBuilt() throws Exception {
        String operator = demoFunction("operator_manifests socketfleet/operator:0.1.0-0123456789ab");
        assertTrue(operator.contains("kind: Deployment") && operator.contains("kind: CustomResourceDefinition"), operator);
        assertTrue(operator.contains("image: socketfleet/operator:0.1.0-0123456789ab\n"), operator);
        assertFalse(operator.contains("image: socketfleet/operator:0.1.0\n"), "the untagged operator image is still named");

        String fleet = demoFunction("fleet_manifest socketfleet/socket-node:0.1.0-ba9876543210");
        assertTrue(fleet.contains("kind: SocketFleet"), fleet);
        assertTrue(fleet.contains("image: socketfleet/socket-node:0.1.0-ba9876543210\n"), fleet);
        assertTrue(fleet.contains("imagePullPolicy: Never\n"), fleet);
    }

    @Test
    void unknownArgumentsAreRefused() throws Exception {
        Process process = new ProcessBuilder("bash", Repo.ROOT.resolve(DEMO).toString(), "--sideways")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, process.exitValue());
        assertTrue(output.contains("unknown argument '--sideways'"), output);
    }

    private static List<String> tags(Path tree) throws Exception {
        return run(tree, "bash", DEMO, "--tags").lines().toList();
    }

    private static List<String> tagsAfterChanging(Path tree, String file) throws Exception {
        Files.writeString(tree.resolve(file), "\n", StandardOpenOption.APPEND);
        return tags(tree);
    }

    /** Calls one of the script's functions (sourcing it runs only its cheap --tags branch). */
    private static String demoFunction(String call) throws Exception {
        return run(Repo.ROOT, "bash", "-c", "source " + DEMO + " --tags >/dev/null && " + call);
    }

    private static String run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }
}
