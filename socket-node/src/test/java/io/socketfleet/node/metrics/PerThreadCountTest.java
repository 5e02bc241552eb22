package io.socketfleet.node.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerThreadCountTest {

    @Test
    void sumsWhatEveryThreadAdded() throws InterruptedException {
        PerThreadCount count = new PerThreadCount();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    count.add(2);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        count.add(1);
        // The threads ended (join orders their stores before this read): their cells still count.
        assertEquals(800_001, count.sum());
    }

    @Test
    void metricsExposeThePacketCounts() {
        NodeMetrics metrics = new NodeMetrics();
        metrics.packetsIn(3);
        metrics.packetsOut(5);
        metrics.packetsOut(2);
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("socketfleet_packets_in_total 3.0"), scrape);
        assertTrue(scrape.contains("socketfleet_packets_out_total 7.0"), scrape);
    }
}
