package io.socketfleet.e2e;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What can be checked of the images and scripts without a Docker engine or a cluster. */
class PackagingIT {

    private static final Pattern COPY_FROM_BUILD = Pattern.compile("(?m)^COPY --from=build /src/(\\S+) (\\S+)$");
    private static final Pattern USER = Pattern.compile("(?m)^USER (\\S+)$");

    @ParameterizedTest
    @ValueSource(strings = {"socket-node/Dockerfile", "operator/Dockerfile"})
    void imagesRunAsNonRootTheJarTheBuildProduces(String dockerfile) throws Exception {
        String text = Files.readString(Repo.ROOT.resolve(dockerfile));
        String finalStage = text.substring(text.lastIndexOf("\nFROM "));

        Matcher user = USER.matcher(finalStage);
        assertTrue(user.find(), dockerfile + " sets no USER in its final stage");
        String uid = user.group(1).split(":")[0];
        assertTrue(uid.matches("\\d+") && Integer.parseInt(uid) > 0, dockerfile + " runs as " + user.group(1));

        Matcher copy = COPY_FROM_BUILD.matcher(finalStage);
        assertTrue(copy.find(), dockerfile + " copies nothing from the build stage");
        Path jar = Repo.ROOT.resolve(copy.group(1));
        assertTrue(Files.isRegularFile(jar), dockerfile + " copies " + copy.group(1) + " which the build does not produce");
        assertTrue(finalStage.contains("ENTRYPOINT [\"java\", \"-jar\", \"" + copy.group(2) + "\"]"), dockerfile);
        assertTrue(!finalStage.contains("mvn") && !finalStage.contains("npm"), "no build tools in the final image");
        assertTrue(text.contains("MaxRAMPercentage"), "heap sized from the container limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/minikube-demo.sh", "run-local.sh", "run-tests.sh", "scripts/setup.sh", ".ci/run"})
    void scriptsPassBashSyntaxCheckAndShellcheck(String script) throws Exception {
        Path path = Repo.ROOT.resolve(script);
        assertEquals("", run(List.of("bash", "-n", path.toString())), "bash -n " + script);
        assertEquals("", run(List.of("shellcheck", "-x", path.toString())), "shellcheck " + script);
    }

    /** Runs a checker; returns what it complained about ("" when clean). */
    private static String run(List<String> command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(command.get(0) + " is not installed: sudo apt-get install " + command.get(0), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return process.exitValue() == 0 ? "" : output;
    }
}
