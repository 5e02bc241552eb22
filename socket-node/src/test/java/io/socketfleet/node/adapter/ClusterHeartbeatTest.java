package io.socketfleet.node.adapter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterHeartbeatTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<ClusterMessage> sent = new CopyOnWriteArrayList<>();
    private final LiveServers servers = LiveServers.withDefaults();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private List<ClusterMessageType> sentTypes() {
        return sent.stream().map(ClusterMessage::type).toList();
    }

    @Test
    void announcesItselfAnswersOthersAndSaysGoodbye() {
        ClusterHeartbeat heartbeat = new ClusterHeartbeat("me", "/", servers, Duration.ofHours(1), scheduler, sent::add);
        heartbeat.start();
        heartbeat.received(new ClusterMessage("other", "/", new ClusterMessage.InitialHeartbeat()));
        heartbeat.received(new ClusterMessage("me", "/", new ClusterMessage.InitialHeartbeat()));
        heartbeat.close();
        assertEquals(List.of(ClusterMessageType.INITIAL_HEARTBEAT, ClusterMessageType.HEARTBEAT,
                ClusterMessageType.ADAPTER_CLOSE), sentTypes());
        assertTrue(sent.stream().allMatch(m -> m.uid().equals("me") && m.nsp().equals("/")));
        assertEquals(2, servers.serverCount(), "the other node counts, this one's own message does not");
    }

    @Test
    void sendsAHeartbeatAfterAnIntervalWithoutPublishing() {
        ClusterHeartbeat heartbeat = new ClusterHeartbeat("me", "/", servers, Duration.ofMillis(200), scheduler, sent::add);
        heartbeat.published();
        await().atMost(Duration.ofSeconds(10)).until(() -> sentTypes().contains(ClusterMessageType.HEARTBEAT));
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() >= 2);
        heartbeat.close();
        int afterClose = sent.size();
        assertEquals(ClusterMessageType.ADAPTER_CLOSE, sent.get(afterClose - 1).type());
    }
}
