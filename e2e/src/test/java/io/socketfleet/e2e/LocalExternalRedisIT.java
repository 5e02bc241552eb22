package io.socketfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local mode with {@code spec.redis.external}: the test starts a real redis-server that speaks TLS
 * only, requires client certificates signed by its CA (openssl makes them for this run) and knows
 * the fleet only as a least-privilege ACL user ({@code default} switched off); the fleet file names
 * it by {@code rediss://} URL, username, password Secret, CA Secret and client certificate Secret,
 * and the secrets directory holds them as the kubelet would mount them. Local mode starts no Redis
 * of its own, its nodes log in to this one as that user over TLS, and official socket.io-clients
 * through nginx get each broadcast once on both nodes.
 */
class LocalExternalRedisIT {

    private static final String FLEET_PASSWORD = "fleet-password";
    private static final String ADMIN_PASSWORD = "admin-password";
    /** The least the pub/sub adapter and the demo need (README, settings table: an ACL user). */
    private static final List<String> FLEET_RULES = List.of("on", ">" + FLEET_PASSWORD, "resetchannels", "&socket.io#*",
            "&socket.io-request#*", "&socket.io-response#*", "-@all", "+publish", "+subscribe", "+psubscribe", "+unsubscribe",
            "+punsubscribe", "+ping", "+client|setname", "~{socketfleet-load}:*", "+setex", "+sadd", "+smembers", "+mget", "+srem", "+del");

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void localModeUsesTheExternalTlsRedisAsItsAclUser() throws Exception {
        Path certs = Files.createTempDirectory("local-external-tls");
        openssl(certs, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=local external test CA",
                "-keyout", "ca.key", "-out", "ca.crt");
        signed(certs, "server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth");
        signed(certs, "client", "fleet-node", "extendedKeyUsage=clientAuth");

        int tlsPort = Repo.freePort();
        int adminPort = Repo.freePort();
        List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(adminPort),
                "--tls-port", Integer.toString(tlsPort), "--tls-cert-file", certs.resolve("server.crt").toString(),
                "--tls-key-file", certs.resolve("server.key").toString(), "--tls-ca-cert-file", certs.resolve("ca.crt").toString(),
                "--tls-auth-clients", "yes", "--save", "", "--appendonly", "no",
                "--user", "default", "off", "--user", "admin", "on", ">" + ADMIN_PASSWORD, "allkeys", "allchannels", "allcommands",
                "--user", "fleet"));
        command.addAll(FLEET_RULES);
        Path redisLog = certs.resolve("redis.log");
        Process redis = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(redisLog.toFile()).start();
        started.add(redis);
        awaitListening(tlsPort, redis, redisLog);
        awaitListening(adminPort, redis, redisLog);

        // The secrets directory as the kubelet mounts Secrets: DIR/SECRET/KEY.
        Path secrets = Files.createTempDirectory("local-external-secrets");
        write(secrets.resolve("redis-auth/password"), FLEET_PASSWORD + "\n");
        Files.createDirectories(secrets.resolve("redis-ca"));
        Files.copy(certs.resolve("ca.crt"), secrets.resolve("redis-ca/ca.crt"));
        Files.createDirectories(secrets.resolve("fleet-client"));
        Files.copy(certs.resolve("client.crt"), secrets.resolve("fleet-client/tls.crt"));
        Files.copy(certs.resolve("client.key"), secrets.resolve("fleet-client/tls.key"));

        List<String> redisSpec = List.of(
                "redis:",
                "  external:",
                "    url: rediss://127.0.0.1:" + tlsPort,
                "    username: fleet",
                "    passwordSecret: { name: redis-auth, key: password }",
                "    tls:",
                "      caSecret: { name: redis-ca, key: ca.crt }",
                "      clientCertSecret: fleet-client");
        try (LocalFleetProcess fleet = new LocalFleetProcess("ext", 2, 1, Repo.freePort(), Map.of(), redisSpec,
                List.of("--secrets-dir", secrets.toString()))) {
            assertTrue(fleet.lines().stream().anyMatch(l -> l.contains("using the external Redis of spec.redis.external (rediss://127.0.0.1:"
                    + tlsPort + ", TLS, user fleet)")), "says which Redis it uses");
            assertFalse(fleet.process().toHandle().descendants().anyMatch(p -> p.info().command().orElse("").endsWith("redis-server")),
                    "local mode started no redis-server of its own");

            // Both nodes are logged in as the ACL user (the admin's view of the server).
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String clients = admin(adminPort, "CLIENT", "LIST");
                return clients.lines().filter(c -> c.contains(" name=socketfleet-node ") && c.contains(" user=fleet ")
                        && !c.contains(" psub=0 ")).count() == 2;
            });

            try (NodeProcess clients = new NodeProcess("fleet-clients.js", Map.of("url", fleet.url(), "count", 20, "mode", "websocket"))) {
                JsonNode ready = clients.next();
                assertEquals(20, ready.get("connected").asInt());
                assertEquals(2, ready.get("perNode").size(), "clients on both nodes: " + ready.get("perNode"));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> clients.command("broadcast").get("exactlyOnce").asInt() == 20);
            }
            assertEquals("", admin(adminPort, "ACL", "LOG"), "nothing the nodes did was refused");
        }
    }

    private static void signed(Path dir, String name, String commonName, String extensions) throws Exception {
        openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
        write(dir.resolve(name + ".ext"), extensions + "\n");
        openssl(dir, "req", "-new", "-key", name + ".key", "-subj", "/CN=" + commonName, "-out", name + ".csr");
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", name + ".ext", "-out", name + ".crt");
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("openssl.log").toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed; see " + dir.resolve("openssl.log"));
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** The admin user's view, over the plain loopback port the test keeps for itself. */
    private static String admin(int port, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("redis-cli", "--no-auth-warning", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "--user", "admin", "--raw"));
        args.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("REDISCLI_AUTH", ADMIN_PASSWORD);
        Process cli = builder.start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        cli.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static void awaitListening(int port, Process process, Path log) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited; see " + log);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }
}
