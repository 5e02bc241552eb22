package io.socketfleet.operator.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server for the fleet: loopback only, a fresh random password, no persistence.
 * When it dies it can be started again on the same port with the same password, so the nodes,
 * which reconnect by themselves, find it where it was.
 */
public final class LocalRedis implements AutoCloseable {

    private final int port;
    private final String password;
    private final Path redis;
    private final Path config;
    private final PrintStream log;
    private Process process;

    public LocalRedis(Path workDir, PrintStream log) throws LocalFleetException {
        this.redis = Executables.find("redis-server", "sudo apt-get install redis-server");
        this.log = log;
        this.port = Ports.free("127.0.0.1");
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        this.password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        this.config = workDir.resolve("redis.conf");
        try {
            // The password goes in a file only we can read, never on a command line.
            Files.writeString(config, "bind 127.0.0.1\nport " + port + "\nrequirepass " + password
                    + "\nloglevel warning\nsave \"\"\nappendonly no\nprotected-mode yes\ndir " + workDir + "\n");
        } catch (IOException e) {
            throw new LocalFleetException("could not write " + config + ": " + e.getMessage(), e);
        }
        launch();
    }

    /** Starts redis-server again after it died: same port, same password, empty (the nodes refill what they keep there). */
    void restart() throws LocalFleetException {
        if (isAlive()) {
            return;
        }
        Ports.requireFree("127.0.0.1", port, "redis-server");
        launch();
    }

    private void launch() throws LocalFleetException {
        try {
            process = new ProcessBuilder(Executables.detached(List.of(redis.toString(), config.toString())))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new LocalFleetException("could not start redis-server: " + e.getMessage(), e);
        }
        OutputRelay.relay(process.getInputStream(), "[redis] ", log);
        awaitListening();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** How the process ended, for the console ("exit 137"). */
    String exit() {
        return process.isAlive() ? "running" : "exit " + process.exitValue();
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    private void awaitListening() throws LocalFleetException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new LocalFleetException("redis-server exited at start (code " + process.exitValue() + "); see [redis] lines above");
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new LocalFleetException("redis-server did not start listening on 127.0.0.1:" + port);
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
