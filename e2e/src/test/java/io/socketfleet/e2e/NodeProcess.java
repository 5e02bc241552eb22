package io.socketfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Node.js script from e2e/src/test/js driven over stdin/stdout with one JSON line per answer. */
final class NodeProcess implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    NodeProcess(String script, Object args) throws IOException {
        if (!Files.exists(Repo.ROOT.resolve("node_modules/socket.io-client"))) {
            throw new IllegalStateException("node_modules is missing: run 'npm ci' in the repository root");
        }
        process = new ProcessBuilder(List.of("node", Repo.JS.resolve(script).toString(), JSON.writeValueAsString(args)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Runs a script to its end and returns its last JSON line. */
    static JsonNode run(String script, Object args) throws IOException, InterruptedException {
        try (NodeProcess p = new NodeProcess(script, args)) {
            String last = null;
            for (String line = p.out.readLine(); line != null; line = p.out.readLine()) {
                last = line;
            }
            if (!p.process.waitFor(120, TimeUnit.SECONDS) || p.process.exitValue() != 0 || last == null) {
                throw new AssertionError(script + " failed (exit " + (p.process.isAlive() ? "none" : p.process.exitValue()) + ")");
            }
            return JSON.readTree(last);
        }
    }

    JsonNode next() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new AssertionError("the client script ended early (exit " + waitExit() + ")");
        }
        return JSON.readTree(line);
    }

    /** A command line for a script that answers with events of its own, read with {@link #next()}. */
    void send(String command) {
        in.println(command);
    }

    JsonNode command(String command) throws IOException {
        in.println(command);
        return next();
    }

    private int waitExit() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            in.println("quit");
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
