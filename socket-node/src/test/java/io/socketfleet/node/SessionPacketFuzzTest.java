package io.socketfleet.node;

import io.socketfleet.node.socketio.parser.Json;
import io.socketfleet.node.testing.EscapedExceptions;
import io.socketfleet.node.testing.KeepAliveHttp;
import io.socketfleet.node.testing.NodeMemory;
import io.socketfleet.node.testing.RawWebSocket;
import io.socketfleet.node.testing.TestApp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated Engine.IO/Socket.IO packets thrown at a live node over real sockets, as
 * websocket frames and as polling bodies: no exception escapes the node, a client connected
 * before the storm keeps its connection and its acks, and the heap stays bounded.
 */
class SessionPacketFuzzTest {

    private static final String POLLING = "/socket.io/?EIO=4&transport=polling";

    private static SocketNode node;
    private static EscapedExceptions escaped;
    private static RawWebSocket bystander;
    private static long heapBefore;
    private static int echoes;
    private static int pollingCases;

    @BeforeContainer
    static void start() throws Exception {
        escaped = EscapedExceptions.watch();
        node = SocketNode.start(NodeConfig.localDefaults("packet-fuzz").withConnectTimeout(Duration.ofSeconds(2)),
                TestApp::install);
        bystander = RawWebSocket.open(node.port());
        assertTrue(bystander.connectMain().startsWith("40{\"sid\""));
        heapBefore = NodeMemory.heapAfterGcBytes();
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            bystanderStillServed();
            // Websocket cases end with their connection; a polling case may leave its session to the heartbeat
            // (a client gone between polls is noticed only by the ping timeout), one at most each.
            await().atMost(Duration.ofSeconds(30)).until(() -> node.engine().openSessions() <= pollingCases + 1);
            long growth = NodeMemory.heapAfterGcBytes() - heapBefore;
            System.out.printf("packet fuzzing: heap after GC grew by %s, %d sessions open%n", NodeMemory.mib(growth),
                    node.engine().openSessions());
            assertTrue(growth < 32L * 1024 * 1024, "heap grew by " + NodeMemory.mib(growth));
        } finally {
            bystander.close();
            node.close();
            escaped.close();
        }
    }

    @Property
    void packetsOnAWebsocketCloseAtMostThatConnection(@ForAll("packetSequences") List<String> frames,
                                                      @ForAll boolean joinFirst) throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(node.port())) {
            if (joinFirst) {
                ws.connectMain();
            }
            for (String frame : frames) {
                if (ws.closedWithin(Duration.ZERO)) {
                    break;
                }
                try {
                    ws.send(frame);
                } catch (RuntimeException closedMeanwhile) {
                    break;
                }
            }
        }
        afterEachCase();
    }

    @Property
    void pollingBodiesAreAnsweredAndCloseAtMostThatSession(@ForAll("pollingBodies") String body) throws Exception {
        pollingCases++;
        try (KeepAliveHttp http = new KeepAliveHttp(node.port())) {
            String sid = Json.MAPPER.readTree(http.get(POLLING).body().substring(1)).get("sid").asText();
            http.post(POLLING + "&sid=" + sid, "40");
            KeepAliveHttp.Response answer = http.post(POLLING + "&sid=" + sid, body);
            assertTrue(Set.of(200, 400, 413).contains(answer.status()), answer.toString());
        } catch (IOException closed) {
            // the node may close a connection it refused: fine, as long as the rest holds
        }
        afterEachCase();
    }

    private static void afterEachCase() throws Exception {
        assertEquals(List.of(), escaped.found(), "no exception escapes the node");
        assertFalse(bystander.closedWithin(Duration.ZERO), "the bystander stays connected");
        if (++echoes % 20 == 0) {
            bystanderStillServed();
        }
    }

    private static void bystanderStillServed() throws Exception {
        bystander.send("3");
        String text = "echo " + echoes;
        bystander.send("42" + echoes + "[\"echo\",\"" + text + "\"]");
        assertEquals("43" + echoes + "[\"" + text + "\"]", bystander.nextStartingWith("43" + echoes, Duration.ofSeconds(10)),
                "the bystander is still served");
    }

    // ---- generators -------------------------------------------------------------------------

    @Provide
    Arbitrary<List<String>> packetSequences() {
        return frame().list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> pollingBodies() {
        return frame().list().ofMinSize(1).ofMaxSize(6).map(records -> String.join("\u001e", records));
    }

    private static Arbitrary<String> frame() {
        Arbitrary<String> seeds = Arbitraries.of(socketIoSeeds());
        Arbitrary<String> engine = Arbitraries.of("2", "3", "5", "6", "1", "2probe", "3probe", "0", "7", "b", "bAQID");
        Arbitrary<String> noise = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40);
        return Arbitraries.oneOf(seeds.map(s -> "4" + s), mutate(seeds).map(s -> "4" + s), engine, noise)
                .map(SessionPacketFuzzTest::withoutSurrogates);
    }

    private static List<String> socketIoSeeds() {
        return List.of("40", "40/admin,{\"token\":\"letmein\"}", "40/nope,", "41", "42[\"echo\",1]", "421[\"echo\",\"x\"]",
                "42[\"join\",\"r\"]", "42[\"to-room\",\"r\",\"hi\"]", "42[\"broadcast\",\"all\"]", "42[\"binary-please\"]",
                "43[]", "4399[\"late\"]", "451-[\"echo\",{\"_placeholder\":true,\"num\":0}]", "450-[\"echo\"]",
                "42[\"x\"," + "[".repeat(2000) + "]".repeat(2000) + "]", "42[\"disconnect\"]", "44{}");
    }

    private static Arbitrary<String> mutate(Arbitrary<String> seeds) {
        return seeds.flatMap(seed -> Arbitraries.integers().between(0, Math.max(0, seed.length() - 1))
                .flatMap(at -> Arbitraries.chars().range(' ', '~').map(c -> seed.isEmpty() ? String.valueOf(c)
                        : seed.substring(0, at) + c + seed.substring(Math.min(seed.length(), at + 1)))));
    }

    private static String withoutSurrogates(String text) {
        return text.codePoints().filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
