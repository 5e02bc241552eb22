package io.socketfleet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.redis.RedisSettings;
import io.socketfleet.node.testing.NodeScripts;
import io.socketfleet.node.testing.RedisServer;
import io.socketfleet.node.testing.TestApp;
import io.socketfleet.node.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * socket-nodes on a real TLS-only redis-server, with certificates openssl made for this run:
 * the server checked against the CA given (and refused when signed by another), client
 * certificates in each PEM key form for a Redis that requires them, hostname verification, and
 * broadcasts crossing nodes to official socket.io-clients over it all.
 */
class RedisTlsIT {

    private static TestCertificates certs;
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.generate();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private RedisServer redis(String serverCert, boolean clientCertificates) throws Exception {
        RedisServer redis = RedisServer.tls(certs, serverCert, clientCertificates, List.of());
        started.add(redis);
        return redis;
    }

    private SocketNode node(String name, RedisServer redis, RedisSettings.Tls tls) throws Exception {
        SocketNode node = SocketNode.start(NodeConfig.localDefaults(name)
                .withRedis(RedisSettings.of(redis.url(), RedisServer.PASSWORD).withTls(tls)), TestApp::install);
        started.add(node);
        return node;
    }

    private static RedisSettings.Tls trusting(Path ca) {
        return new RedisSettings.Tls(false, ca, null, null, true);
    }

    private static RedisSettings.Tls withClientCertificate(String name) {
        return new RedisSettings.Tls(false, certs.ca(), certs.cert(name), certs.key(name), true);
    }

    private static void awaitSubscribed(SocketNode... nodes) {
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of(nodes).stream().allMatch(n -> n.broker().orElseThrow().isUp()));
    }

    /** The subscriber keeps failing, and says why. */
    private static void awaitRefused(SocketNode node, String because) {
        await().atMost(Duration.ofSeconds(30)).until(() -> node.broker().orElseThrow().subscriberState().contains(because));
        assertFalse(node.broker().orElseThrow().isUp(), node.broker().orElseThrow().subscriberState());
    }

    /** An official socket.io-client per node per round; a broadcast from the first node reaches each exactly once. */
    private static void broadcastReachesEveryClient(String payload, SocketNode... nodes) {
        List<String> urls = List.of(nodes).stream().map(n -> "http://127.0.0.1:" + n.port()).toList();
        JsonNode received = NodeScripts.scenario("fleet", Map.of("urls", urls, "perUrl", 2,
                "event", "all", "trigger", "emit-all", "payload", payload, "settleMs", 2000)).get("received");
        assertEquals(2 * nodes.length, received.size());
        for (JsonNode client : received) {
            assertEquals("[[\"" + payload + "\",{\"binary\":[4,5,6]}]]", client.get("events").toString(),
                    client.get("url").asText());
        }
    }

    @Test
    void theServerIsCheckedAgainstTheCaBundleGiven() throws Exception {
        RedisServer redis = redis("server", false);
        SocketNode a = node("tls-a", redis, trusting(certs.ca()));
        SocketNode b = node("tls-b", redis, trusting(certs.ca()));
        SocketNode stranger = node("tls-stranger", redis, trusting(certs.otherCa()));

        awaitSubscribed(a, b);
        broadcastReachesEveryClient("over TLS", a, b);
        awaitRefused(stranger, "PKIX path");
    }

    @Test
    void aRedisThatRequiresClientCertificatesTakesEachPemKeyForm() throws Exception {
        RedisServer redis = redis("server", true);
        SocketNode pkcs8 = node("cert-pkcs8", redis, withClientCertificate("client-pkcs8"));
        SocketNode rsa = node("cert-rsa", redis, withClientCertificate("client-rsa"));
        SocketNode ec = node("cert-ec", redis, withClientCertificate("client-ec"));
        SocketNode anonymous = node("no-cert", redis, trusting(certs.ca()));

        awaitSubscribed(pkcs8, rsa, ec);
        broadcastReachesEveryClient("with client certificates", pkcs8, rsa, ec);
        // Redis refuses the handshake of a client without a certificate; the node sees the connection fail.
        awaitRefused(anonymous, "JedisConnectionException");
    }

    @Test
    void theHostDialledMustBeNamedByTheCertificateUnlessVerificationIsOff() throws Exception {
        RedisServer redis = redis("server-elsewhere", false);
        SocketNode checking = node("verifying", redis, trusting(certs.ca()));
        SocketNode lenient = node("not-verifying", redis, new RedisSettings.Tls(false, certs.ca(), null, null, false));
        SocketNode other = node("not-verifying-2", redis, new RedisSettings.Tls(false, certs.ca(), null, null, false));

        awaitSubscribed(lenient, other);
        broadcastReachesEveryClient("certificate for another name", lenient, other);
        awaitRefused(checking, "No subject alternative names matching IP address 127.0.0.1");
    }
}
