package io.socketfleet.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds a Dockerfile's stages without a Docker engine: each stage's file system is an empty
 * directory, COPY takes exactly the named paths from the build context (as .dockerignore
 * leaves it) or from an earlier stage, and RUN runs the Dockerfile's own command there, with
 * Maven and npm offline (the local repository and npm cache stand in for the registries).
 */
final class StageBuilder {

    /** A RUN that failed, with what it printed. */
    static final class RunFailed extends RuntimeException {
        RunFailed(String message) {
            super(message);
        }
    }

    private final Dockerfile dockerfile;
    private final Path context;
    private final DockerIgnore ignore;
    private final Path workspace;
    private final Map<String, Path> built = new HashMap<>();

    StageBuilder(Dockerfile dockerfile, Path context, Path workspace) throws IOException {
        this.dockerfile = dockerfile;
        this.context = context;
        this.ignore = DockerIgnore.read(context.resolve(".dockerignore"));
        this.workspace = workspace;
    }

    /** The root directory of the built stage (built once, with the stages it copies from). */
    Path build(String stageName) throws IOException, InterruptedException {
        Path existing = built.get(stageName);
        if (existing != null) {
            return existing;
        }
        Dockerfile.Stage stage = dockerfile.stage(stageName);
        Path root = Files.createDirectories(workspace.resolve("stage-" + stageName));
        String workdir = "/";
        Map<String, String> env = new HashMap<>();
        for (Dockerfile.Instruction instruction : stage.instructions()) {
            switch (instruction.keyword()) {
                case "WORKDIR" -> {
                    workdir = Path.of(workdir).resolve(instruction.arguments().strip()).normalize().toString();
                    Files.createDirectories(inStage(root, workdir));
                }
                case "ENV" -> {
                    String[] pair = instruction.arguments().strip().split("[=\\s]", 2);
                    env.put(pair[0], pair[1].strip().replaceAll("^\"|\"$", ""));
                }
                case "COPY" -> copy(Dockerfile.Copy.of(instruction), root, workdir);
                case "RUN" -> run(offline(instruction.arguments().strip()), inStage(root, workdir), env);
                case "LABEL", "EXPOSE" -> {
                    // metadata only: nothing to build
                }
                default -> throw new IllegalArgumentException(instruction.keyword() + " in build stage " + stageName
                        + " is not reproduced by this builder");
            }
        }
        built.put(stageName, root);
        return root;
    }

    /** Where a path of a stage's file system lies in its directory. */
    static Path inStage(Path root, String absolutePath) {
        return root.resolve(absolutePath.replaceFirst("^/+", ""));
    }

    private void copy(Dockerfile.Copy copy, Path root, String workdir) throws IOException, InterruptedException {
        String destination = copy.destination().startsWith("/") ? copy.destination()
                : workdir + "/" + copy.destination();
        boolean intoDirectory = copy.destination().endsWith("/") || copy.destination().equals(".")
                || copy.sources().size() > 1;
        for (String source : copy.sources()) {
            Path from;
            if (copy.fromStage() != null) {
                from = inStage(build(copy.fromStage()), source);
            } else {
                String relative = Path.of(source).normalize().toString();
                if (ignore.excludes(relative)) {
                    throw new AssertionError("COPY " + source + ": .dockerignore leaves it out of the build context");
                }
                from = context.resolve(relative);
            }
            if (!Files.exists(from)) {
                throw new AssertionError("COPY " + source + ": no such path in "
                        + (copy.fromStage() == null ? "the build context" : "stage " + copy.fromStage()));
            }
            Path to = inStage(root, destination);
            if (Files.isDirectory(from)) {
                copyTree(from, to, copy.fromStage() == null ? Path.of(source).normalize() : null);
            } else {
                Path target = intoDirectory ? to.resolve(from.getFileName().toString()) : to;
                Files.createDirectories(target.getParent());
                Files.copy(from, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Copies a directory's contents (as COPY does); from the context, only what .dockerignore keeps. */
    private void copyTree(Path from, Path to, Path contextPath) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                if (contextPath != null && ignore.excludes(contextPath.resolve(relative).normalize().toString())) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The same command with the registry swapped for the local Maven repository / npm cache. */
    static String offline(String command) {
        if (command.startsWith("mvn ")) {
            String repository = System.getProperty("maven.repo.local");
            return "mvn -o" + (repository == null || repository.isBlank() ? "" : " -Dmaven.repo.local=" + repository)
                    + command.substring("mvn".length());
        }
        if (command.startsWith("npm ci ") || command.equals("npm ci")) {
            return command + " --offline";
        }
        throw new IllegalArgumentException("RUN " + command + ": only 'mvn …' and 'npm ci …' can be reproduced offline here");
    }

    private void run(String command, Path directory, Map<String, String> env) throws IOException, InterruptedException {
        Path log = Files.createTempFile(workspace, "run-", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("sh", "-c", command)).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new RunFailed("RUN " + command + " did not finish within 15 minutes");
        }
        if (process.exitValue() != 0) {
            throw new RunFailed("RUN " + command + " failed (exit " + process.exitValue() + "):\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
