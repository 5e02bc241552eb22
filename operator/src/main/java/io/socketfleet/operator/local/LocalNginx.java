package io.socketfleet.operator.local;

import io.socketfleet.operator.nginx.NginxConfig;
import io.socketfleet.operator.nginx.NginxRuntime;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx running the rendered config. A new config is first checked with
 * {@code nginx -t}; only a valid one replaces the running one, by an in-place reload, so
 * open websockets stay up. If the master dies, nginx can be started again with the config it
 * ran, after stopping the workers the master left behind (they would hold the port and keep
 * serving the old config).
 */
final class LocalNginx implements NginxReloads.Target, AutoCloseable {

    private static final String STATUS_ADDRESS = "127.0.0.1";

    private final Path nginx;
    private final Path workDir;
    private final Path config;
    private final Path errorLog;
    private final String listenAddress;
    private final int port;
    /** nginx's stub_status, on loopback only: an admin's view, never on the public listener. */
    private final String statusListen;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private Process process;
    private String running;

    /** @param statusPort where nginx serves stub_status on 127.0.0.1; 0 for a free port */
    LocalNginx(Path workDir, String listenAddress, int port, int statusPort, PrintStream log) throws LocalFleetException {
        this.nginx = Executables.find("nginx", "sudo apt-get install nginx-light");
        this.workDir = workDir;
        this.config = workDir.resolve("nginx.conf");
        this.errorLog = workDir.resolve("nginx-error.log");
        this.listenAddress = listenAddress;
        this.port = port;
        this.statusListen = STATUS_ADDRESS + ":" + (statusPort == 0 ? Ports.free(STATUS_ADDRESS) : statusPort);
        this.log = log;
    }

    NginxRuntime runtime() {
        return new NginxRuntime(listenAddress + ":" + port, workDir.resolve("nginx.pid").toString(), workDir.toString(),
                errorLog + " warn", "off").withStatus(statusListen);
    }

    /** nginx's connection and request counters (what the exporter reads in a pod). */
    String statusUrl() {
        return "http://" + statusListen + NginxRuntime.STATUS_PATH;
    }

    Path configPath() {
        return config;
    }

    void start(String text) throws LocalFleetException {
        Ports.requireFree(listenAddress, port, "nginx");
        Ports.requireFree(STATUS_ADDRESS, Integer.parseInt(statusListen.substring(statusListen.lastIndexOf(':') + 1)), "nginx stub_status");
        write(config, text);
        String problem = test(config);
        if (problem != null) {
            throw new LocalFleetException("the rendered nginx config is invalid: " + problem);
        }
        try {
            process = new ProcessBuilder(Executables.detached(command("-g", "daemon off;"))).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new LocalFleetException("could not start nginx: " + e.getMessage(), e);
        }
        OutputRelay.relay(process.getInputStream(), "[nginx] ", log);
        running = text;
        awaitListening();
    }

    /** Whether nginx already runs exactly this config. */
    @Override
    public boolean runs(String text) {
        return text.equals(running);
    }

    /** Reloads nginx in place with a new config; empty when nginx now runs it, otherwise nginx's own words why not. */
    @Override
    public Optional<String> apply(String text) {
        Path next = workDir.resolve("nginx.conf.next");
        try {
            write(next, text);
        } catch (LocalFleetException e) {
            return Optional.of(e.getMessage());
        }
        String problem = test(next);
        if (problem != null) {
            return Optional.of("the new config fails nginx -t: " + problem);
        }
        try {
            Files.move(next, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Process reload = new ProcessBuilder(command("-s", "reload")).redirectErrorStream(true).start();
            String output = new String(reload.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!reload.waitFor(10, TimeUnit.SECONDS) || reload.exitValue() != 0) {
                write(config, running); // the file shows what nginx runs
                return Optional.of("nginx -s reload failed: " + (output.isEmpty() ? "no output" : output.replace('\n', ' ')));
            }
        } catch (IOException | LocalFleetException e) {
            return Optional.of("nginx -s reload failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
        running = text;
        awaitLive(NginxConfig.configId(text));
        return Optional.empty();
    }

    /**
     * Starts nginx again after its master died, with the config it ran. The dead master's
     * workers are stopped first: they still hold the listening port and serve the old config.
     * Returns how many such workers there were.
     */
    int restart() throws LocalFleetException {
        int orphans = stopOrphanedWorkers();
        start(running);
        return orphans;
    }

    /**
     * Workers of a dead master: nginx processes in the session the master led (it was started
     * through setsid, so the session id is its pid; without setsid nothing matches).
     */
    private int stopOrphanedWorkers() {
        if (process == null || process.isAlive()) {
            return 0;
        }
        long master = process.pid();
        List<ProcessHandle> orphans = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != master && sessionOf(p.pid()) == master && title(p.pid()).startsWith("nginx: ")).toList();
        orphans.forEach(ProcessHandle::destroy); // SIGTERM: nginx's fast shutdown
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (ProcessHandle orphan : orphans) {
            while (orphan.isAlive() && System.nanoTime() < deadline) {
                LocalRedis.sleep(20);
            }
            orphan.destroyForcibly();
        }
        return orphans.size();
    }

    /** The session id of a process, from /proc (Linux), or -1. */
    private static long sessionOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (comm) state ppid pgrp session …"; comm may hold spaces and parentheses.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A process's title as it set it ("nginx: worker process"), from /proc (Linux), or "". */
    private static String title(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException e) {
            return "";
        }
    }

    /** How the master ended, for the console ("exit 137"). */
    String exit() {
        return process == null || process.isAlive() ? "running" : "exit " + process.exitValue();
    }

    @Override
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Runs nginx -t on a file; the problem it reports, or null when valid. */
    private String test(Path file) {
        try {
            Process check = new ProcessBuilder(nginx.toString(), "-t", "-q", "-p", workDir.toString(), "-e", errorLog.toString(),
                    "-c", file.toString()).redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return check.waitFor() == 0 ? null : output;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private List<String> command(String... extra) {
        List<String> command = new ArrayList<>(List.of(nginx.toString(), "-p", workDir.toString(), "-e", errorLog.toString(),
                "-c", config.toString()));
        command.addAll(List.of(extra));
        return command;
    }

    /**
     * A reload only signals nginx; new workers take over a moment later. Waits until nginx
     * answers with the new config's id, so "listed" means "serving".
     */
    private void awaitLive(String configId) {
        String host = listenAddress.equals("0.0.0.0") ? "127.0.0.1" : listenAddress;
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/nginx-healthz"))
                .timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = http.send(probe, HttpResponse.BodyHandlers.discarding());
                if (configId.equals(response.headers().firstValue(NginxConfig.CONFIG_ID_HEADER).orElse(null))) {
                    return;
                }
            } catch (IOException e) {
                // not answering for a moment during the switch
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            LocalRedis.sleep(20);
        }
        log.println("socketfleet: nginx did not report the new config within 5 s");
    }

    private void awaitListening() throws LocalFleetException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new LocalFleetException("nginx exited at start (code " + process.exitValue() + "); see [nginx] lines above");
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(listenAddress, port), 200);
                return;
            } catch (IOException notYet) {
                LocalRedis.sleep(50);
            }
        }
        throw new LocalFleetException("nginx did not start listening on " + listenAddress + ":" + port);
    }

    private static void write(Path file, String text) throws LocalFleetException {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new LocalFleetException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stops nginx (the nodes have drained by now, so nothing is cut short) and any workers it leaves. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        // SIGTERM to the master we started: unlike `nginx -s quit`, it needs no pid file.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        stopOrphanedWorkers();
    }
}
