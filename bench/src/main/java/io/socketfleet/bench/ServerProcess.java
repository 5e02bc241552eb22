package io.socketfleet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server under test, in a process of its own, ready once it printed "listening". */
final class ServerProcess implements AutoCloseable {

    /** The implementations compared. */
    enum Kind {
        SOCKET_NODE("socket-node", true), NODE_SOCKET_IO("node socket.io", true), NETTY_SOCKETIO("netty-socketio", false),
        LIMIT("limit (plain Netty websocket)", false);

        final String label;
        /** Joins a fleet through the socket.io Redis adapter protocol. */
        final boolean clusters;

        Kind(String label, boolean clusters) {
            this.label = label;
            this.clusters = clusters;
        }
    }

    static final int PING_INTERVAL_MS = 5000;
    static final int PING_TIMEOUT_MS = 5000;
    private static final List<String> JVM_FLAGS = List.of("-Xms256m", "-Xmx2g", "-XX:+UseG1GC");

    /** Where JVM servers write a flight recording (--jfr), or null. Set once by the runner before any server starts. */
    static volatile Path recordingsDir;

    /** socket-node's and the limit peer's network transport (TRANSPORT). Set once by the runner before any server starts. */
    static volatile String transport = "auto";

    final String label;
    final String url;
    /** Whether it is a JVM (which --profile can load a profiler into). */
    final boolean jvm;
    /** What the server printed up to and including its "listening" line. */
    final List<String> startupOutput;
    private final Process process;

    private ServerProcess(String label, String url, List<String> startupOutput, Process process, boolean jvm) {
        this.label = label;
        this.url = url;
        this.startupOutput = startupOutput;
        this.process = process;
        this.jvm = jvm;
    }

    static ServerProcess start(Kind kind, int port, String redisUrl, String redisPassword) throws IOException {
        return start(kind, port, redisUrl, redisPassword, JVM_FLAGS);
    }

    /** As {@link #start(Kind, int, String, String)}, a JVM server with these JVM flags instead of the benchmark's. */
    static ServerProcess start(Kind kind, int port, String redisUrl, String redisPassword, List<String> jvmFlags) throws IOException {
        String host = "127.0.0.1";
        List<String> command = new ArrayList<>();
        String ping = Integer.toString(PING_INTERVAL_MS);
        String timeout = Integer.toString(PING_TIMEOUT_MS);
        switch (kind) {
            case SOCKET_NODE -> {
                command.add(java());
                command.addAll(jvmFlags);
                command.addAll(recording(kind, port));
                command.add("-D" + BenchNodeApp.TRANSPORT_PROPERTY + "=" + transport);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchNodeApp.class.getName(),
                        host, Integer.toString(port), ping, timeout));
                if (redisUrl != null) {
                    command.addAll(List.of(redisUrl, redisPassword));
                }
            }
            case NODE_SOCKET_IO -> {
                command.addAll(List.of("node", "--expose-gc", Repo.path("bench/js/node-server.js").toString(),
                        host, Integer.toString(port), ping, timeout));
                if (redisUrl != null) {
                    command.add(redisUrl.replace("redis://", "redis://:" + redisPassword + "@"));
                }
            }
            case NETTY_SOCKETIO -> {
                    Path jar = Repo.path("bench/peers/netty-socketio/target/netty-socketio-peer.jar");
                if (!Files.isReadable(jar)) {
                    throw new IllegalStateException(jar + " is missing: build with 'mvn -DskipTests package'");
                }
                command.add(java());
                command.addAll(JVM_FLAGS);
                command.addAll(recording(kind, port));
                command.addAll(List.of("-jar", jar.toString(), host, Integer.toString(port), ping, timeout));
            }
            case LIMIT -> {
                command.add(java());
                command.addAll(JVM_FLAGS);
                command.addAll(recording(kind, port));
                command.add("-D" + BenchNodeApp.TRANSPORT_PROPERTY + "=" + transport);
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), LimitPeer.class.getName(),
                        host, Integer.toString(port), ping, timeout));
            }
        }
        if (redisUrl != null && !kind.clusters) {
            throw new IllegalArgumentException(kind.label + " does not speak the socket.io Redis adapter protocol");
        }
        return launch(kind.label, command, host, port);
    }

    /** Starts {@code command}, a server listening on host:port, and waits for it to print "listening". */
    static ServerProcess launch(String label, List<String> command, String host, int port) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> startupOutput = new ArrayList<>();
        for (String line = out.readLine(); ; line = out.readLine()) {
            if (line == null) {
                throw new IllegalStateException(label + " exited before listening: " + String.join("\n", startupOutput));
            }
            startupOutput.add(line);
            if (line.contains("listening")) {
                break;
            }
        }
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe from filling up
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "drain " + label);
        drain.setDaemon(true);
        drain.start();
        return new ServerProcess(label, "http://" + host + ":" + port, List.copyOf(startupOutput), process,
                command.get(0).equals(java()));
    }

    private static List<String> recording(Kind kind, int port) {
        Path dir = recordingsDir;
        if (dir == null) {
            return List.of();
        }
        String file = dir.resolve(kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + port + ".jfr").toString();
        return List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + file);
    }

    long pid() {
        return process.pid();
    }

    /** CPU time (user + system) the server process has used so far. */
    long cpuNanos() {
        return ProcessCpu.nanos(process.pid());
    }

    /** Resident set size of the server process, in bytes. */
    long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    /** Heap in use after a full GC, as the server itself reports it. */
    static long heapAfterGc(Connection via) {
        // Three full GCs on a server holding thousands of sessions: on a loaded 2-core machine that
        // took over 30 s once, which failed the whole run; the figure is the same, only later.
        String reply = via.emitWithAck("memory", null).orTimeout(120, TimeUnit.SECONDS).join();
        return Long.parseLong(reply.replaceAll(".*\"heapUsed\":(\\d+).*", "$1"));
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
