package io.socketfleet.node.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server on a free loopback port, password required, no persistence; optionally
 * TLS-only on that port, and with further options (ACL users, replication).
 */
public final class RedisServer implements AutoCloseable {

    public static final String PASSWORD = "test-secret";

    private final int port;
    private final boolean tls;
    private final List<String> options;
    private final Path log;
    private Process process;

    public RedisServer() throws IOException {
        this(false, List.of());
    }

    /** Plain TCP, with these redis-server options added (e.g. {@code --user …}, {@code --replicaof …}). */
    public RedisServer(List<String> options) throws IOException {
        this(false, options);
    }

    private RedisServer(boolean tls, List<String> options) throws IOException {
        this.port = freePort();
        this.tls = tls;
        this.options = List.copyOf(options);
        this.log = Files.createTempFile("redis-test", ".log");
        start();
    }

    /**
     * TLS only, serving {@code serverCert}; clients must present a certificate signed by the test CA
     * when {@code clientCertificates}.
     */
    public static RedisServer tls(TestCertificates certs, String serverCert, boolean clientCertificates,
                                  List<String> options) throws IOException {
        List<String> all = new ArrayList<>(List.of("--tls-cert-file", certs.cert(serverCert).toString(),
                "--tls-key-file", certs.key(serverCert).toString(), "--tls-ca-cert-file", certs.ca().toString(),
                "--tls-auth-clients", clientCertificates ? "yes" : "no"));
        all.addAll(options);
        return new RedisServer(true, all);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public void start() throws IOException {
        Path redis = Tools.require("redis-server", "apt-get install redis-server");
        List<String> command = new ArrayList<>(List.of(redis.toString()));
        if (tls) {
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
        } else {
            command.addAll(List.of("--port", Integer.toString(port)));
        }
        command.addAll(List.of("--bind", "127.0.0.1", "--requirepass", PASSWORD, "--save", "", "--appendonly", "no",
                "--protected-mode", "yes"));
        command.addAll(options);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        awaitListening(port, process, log);
    }

    /** Waits until something accepts TCP connections on the loopback port, or the process died. */
    static void awaitListening(int port, Process process, Path log) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port + "; see " + log);
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** kill -9: the process dies at once, without closing anything in an orderly way. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    public int port() {
        return port;
    }

    /** URL without the password (it is passed separately, as from a Secret). */
    public URI url() {
        return URI.create((tls ? "rediss" : "redis") + "://127.0.0.1:" + port);
    }

    /** URL with the password, for Node's redis client. */
    public String urlWithPassword() {
        return "redis://:" + PASSWORD + "@127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
