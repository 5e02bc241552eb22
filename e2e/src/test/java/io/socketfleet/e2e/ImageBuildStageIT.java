package io.socketfleet.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each image's build stages reproduced without a Docker engine, from exactly the paths the
 * Dockerfile copies and with its own RUN lines: the build must succeed and produce the jar
 * the image runs, with the same contents as the full repository build.
 */
class ImageBuildStageIT {

    @ParameterizedTest
    @ValueSource(strings = {"socket-node/Dockerfile", "operator/Dockerfile"})
    void buildStagesProduceTheJarOfTheFullBuildFromWhatTheyCopy(String file, @TempDir Path workspace) throws Exception {
        Dockerfile dockerfile = Dockerfile.read(Repo.ROOT.resolve(file));
        StageBuilder builder = new StageBuilder(dockerfile, Repo.ROOT, workspace);
        List<Dockerfile.Copy> fromBuild = dockerfile.last().copies().stream().filter(c -> c.fromStage() != null).toList();
        assertFalse(fromBuild.isEmpty(), file + ": the image copies nothing from a build stage");

        for (Dockerfile.Copy copy : fromBuild) {
            Path stageRoot = builder.build(copy.fromStage());
            String stageWorkdir = dockerfile.stage(copy.fromStage()).workdir();
            for (String source : copy.sources()) {
                Path jar = StageBuilder.inStage(stageRoot, source);
                assertTrue(Files.isRegularFile(jar), file + ": stage " + copy.fromStage() + " did not produce " + source);
                Path fullBuildJar = Repo.requireJar(Repo.ROOT.resolve(Path.of(stageWorkdir).relativize(Path.of(source)).toString()));
                assertSameEntries(fullBuildJar, jar);
                assertEquals(0, exitCode(List.of(Repo.java(), "-jar", jar.toString(), "--help")), jar + " --help");
            }
        }
    }

    @Test
    void aModulePomLeftOutFailsTheBuildAsMavenDoesInDocker(@TempDir Path workspace) throws Exception {
        String text = Files.readString(Repo.ROOT.resolve("operator/Dockerfile"));
        String withoutBench = text.replaceAll("(?m)^COPY bench/pom\\.xml .*\n", "");
        assertNotEquals(text, withoutBench, "operator/Dockerfile no longer copies bench/pom.xml");

        StageBuilder builder = new StageBuilder(Dockerfile.parse(withoutBench), Repo.ROOT, workspace);
        StageBuilder.RunFailed failure = assertThrows(StageBuilder.RunFailed.class, () -> builder.build("build"));
        assertTrue(failure.getMessage().contains("Child module"), failure.getMessage());
    }

    @Test
    void aPathOutsideTheBuildContextFailsTheCopy(@TempDir Path workspace) throws Exception {
        StageBuilder ignored = new StageBuilder(Dockerfile.parse("FROM scratch AS s\nWORKDIR /src\nCOPY deploy deploy\n"),
                Repo.ROOT, workspace);
        AssertionError left = assertThrows(AssertionError.class, () -> ignored.build("s"));
        assertTrue(left.getMessage().contains(".dockerignore"), left.getMessage());

        StageBuilder missing = new StageBuilder(Dockerfile.parse("FROM scratch AS s\nCOPY no-such/pom.xml x/\n"),
                Repo.ROOT, workspace);
        AssertionError absent = assertThrows(AssertionError.class, () -> missing.build("s"));
        assertTrue(absent.getMessage().contains("no such path"), absent.getMessage());
    }

    private static void assertSameEntries(Path expected, Path actual) throws IOException {
        Set<String> want = entries(expected);
        Set<String> got = entries(actual);
        Set<String> missing = new HashSet<>(want);
        missing.removeAll(got);
        Set<String> extra = new HashSet<>(got);
        extra.removeAll(want);
        assertTrue(missing.isEmpty() && extra.isEmpty(), actual.getFileName() + " built from the Dockerfile's copies differs from "
                + expected + ": missing " + sample(missing) + ", extra " + sample(extra));
    }

    private static Set<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).collect(Collectors.toSet());
        }
    }

    private static String sample(Set<String> names) {
        return names.size() + " " + names.stream().sorted().limit(10).toList();
    }

    private static int exitCode(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        if (process.exitValue() != 0) {
            System.err.println(output);
        }
        return process.exitValue();
    }
}
