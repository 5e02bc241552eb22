package io.socketfleet.node.adapter;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LiveServersTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final LiveServers servers = new LiveServers(Duration.ofSeconds(10), now::get);
    private final List<String> removed = new ArrayList<>();

    LiveServersTest() {
        servers.onRemoved(removed::add);
    }

    private static ClusterMessage from(String uid, ClusterMessage.Body body) {
        return new ClusterMessage(uid, "/", body);
    }

    @Test
    void anyMessageMakesItsSenderLive() {
        servers.heard(from("a", new ClusterMessage.InitialHeartbeat()));
        servers.heard(from("b", new ClusterMessage.BroadcastClientCount("r", 1)));
        servers.heard(from("a", new ClusterMessage.Heartbeat()));
        assertEquals(Set.of("a", "b"), servers.others());
        assertEquals(3, servers.serverCount());
    }

    @Test
    void theEmitterIsNoServer() {
        servers.heard(from("emitter", new ClusterMessage.Heartbeat()));
        assertEquals(1, servers.serverCount());
    }

    @Test
    void anAdapterCloseRemovesItsSenderAtOnce() {
        servers.heard(from("a", new ClusterMessage.Heartbeat()));
        servers.heard(from("a", new ClusterMessage.AdapterClose()));
        assertEquals(Set.of(), servers.others());
        assertEquals(List.of("a"), removed);
    }

    @Test
    void aServerSilentForLongerThanTheTimeoutExpires() {
        servers.heard(from("a", new ClusterMessage.Heartbeat()));
        now.addAndGet(5_000);
        servers.heard(from("b", new ClusterMessage.Heartbeat()));
        now.addAndGet(5_000);
        servers.expire();
        assertEquals(Set.of("a", "b"), servers.others(), "exactly the timeout is not yet silent");
        now.addAndGet(1);
        servers.expire();
        assertEquals(Set.of("b"), servers.others());
        assertEquals(List.of("a"), removed);
        now.addAndGet(5_000);
        servers.expire();
        assertEquals(List.of("a", "b"), removed);
        servers.remove("b");
        assertEquals(List.of("a", "b"), removed, "a server is removed once");
    }
}
