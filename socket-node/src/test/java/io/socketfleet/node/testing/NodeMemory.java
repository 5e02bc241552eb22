package io.socketfleet.node.testing;

import io.netty.util.internal.PlatformDependent;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Memory of the JVM a node runs in, as the JVM and Netty account for it. */
public final class NodeMemory {

    private static final BufferPoolMXBean DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
            .stream().filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
    private static final MemoryMXBean HEAP = ManagementFactory.getMemoryMXBean();

    private NodeMemory() {
    }

    /**
     * Direct memory in use: the JDK's direct buffers plus what Netty allocated itself without
     * them (its own counter, -1 when it uses the JDK's).
     */
    public static long directBytes() {
        return DIRECT.getMemoryUsed() + Math.max(0, PlatformDependent.usedDirectMemory());
    }

    /** Heap in use after a full collection: what is really held. */
    public static long heapAfterGcBytes() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return HEAP.getHeapMemoryUsage().getUsed();
    }

    public static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** Samples direct memory in the background and keeps the highest value seen. */
    public static final class Peak implements AutoCloseable {
        private volatile long peak = directBytes();
        private volatile boolean running = true;
        private final Thread sampler;

        public Peak() {
            sampler = new Thread(() -> {
                while (running) {
                    peak = Math.max(peak, directBytes());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "direct-memory-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        public long peak() {
            return Math.max(peak, directBytes());
        }

        @Override
        public void close() {
            running = false;
            sampler.interrupt();
        }
    }
}
