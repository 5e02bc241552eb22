package io.socketfleet.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.socketio.parser.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the JavaScript side of the tests (official socket.io-client, Node socket.io) as real processes. */
public final class NodeScripts {

    private static final Path ROOT = Path.of(System.getProperty("socketfleet.repoRoot", "..")).toAbsolutePath().normalize();
    private static final Path JS_DIR = ROOT.resolve("socket-node/src/test/js");

    private NodeScripts() {
    }

    public static Path script(String name) {
        Tools.require("node", "apt-get install nodejs (Node 18+), then npm ci in the repository root");
        Path script = JS_DIR.resolve(name);
        if (!Files.exists(ROOT.resolve("node_modules/socket.io-client"))) {
            throw new IllegalStateException("node_modules is missing: run 'npm ci' in the repository root");
        }
        return script;
    }

    /** Runs a scenario to completion and returns the JSON it printed last. */
    public static JsonNode scenario(String name, Object args) {
        return scenario("scenarios.js", name, args);
    }

    /** Runs a scenario of another script of src/test/js (same conventions as scenarios.js). */
    public static JsonNode scenario(String scriptName, String name, Object args) {
        try {
            Process process = start(scriptName, name, args);
            List<String> lines = readLines(process);
            return finish(name, process, lines);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a scenario and leaves it running; see {@link Running}. */
    public static Running startScenario(String name, Object args) {
        try {
            return new Running(name, start("scenarios.js", name, args));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Process start(String scriptName, String name, Object args) throws IOException {
        Path stderr = Files.createTempFile("scenario-" + name, ".err");
        stderr.toFile().deleteOnExit();
        Process process = node(script(scriptName).toString(), name, Json.MAPPER.writeValueAsString(args))
                .redirectError(stderr.toFile())
                .start();
        STDERR.put(process, stderr);
        return process;
    }

    private static final java.util.Map<Process, Path> STDERR = new java.util.concurrent.ConcurrentHashMap<>();

    /** A process running a Node script of the tests' own, stderr shown in the test output. */
    public static ProcessBuilder node(String... command) {
        List<String> full = new ArrayList<>();
        full.add("node");
        full.addAll(List.of(command));
        return new ProcessBuilder(full).directory(JS_DIR.toFile());
    }

    private static List<String> readLines(Process process) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static JsonNode finish(String name, Process process, List<String> lines) throws IOException {
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("scenario " + name + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Path stderr = STDERR.remove(process);
        if (process.exitValue() != 0 || lines.isEmpty()) {
            String errors = stderr == null ? "" : Files.readString(stderr);
            throw new AssertionError("scenario " + name + " failed with exit " + process.exitValue() + ":\n" + errors);
        }
        return Json.MAPPER.readTree(lines.get(lines.size() - 1));
    }

    /** A scenario still running: wait for its "ready" line, then for its result. */
    public static final class Running {
        private final String name;
        private final Process process;
        private final BufferedReader out;

        Running(String name, Process process) {
            this.name = name;
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        public void awaitReady() throws IOException {
            String line = out.readLine();
            if (line == null || !line.contains("\"ready\"")) {
                throw new AssertionError("scenario " + name + " ended before it was ready");
            }
        }

        public JsonNode result() throws IOException {
            List<String> lines = new ArrayList<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
            return finish(name, process, lines);
        }
    }
}
