package io.socketfleet.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Broadcast rounds: the emitter asks the server to broadcast a timestamp; the next round
 * starts when every receiver has it. Each receipt's emit-to-receipt latency is recorded, so
 * the figures are the server's fan-out at the rate it can sustain, without unbounded queues.
 */
final class Broadcasts {

    /** What a measurement window saw. */
    record Outcome(double deliveriesPerSecond, double p50Millis, double p99Millis, long lost) {
    }

    private Broadcasts() {
    }

    static Outcome measure(Connection emitter, List<Connection> receivers, Duration warmup, Duration measure) {
        AtomicReference<LatencyHistogram> histogram = new AtomicReference<>(new LatencyHistogram());
        AtomicReference<AtomicInteger> remaining = new AtomicReference<>(new AtomicInteger());
        AtomicReference<CompletableFuture<Void>> roundDone = new AtomicReference<>(new CompletableFuture<>());
        for (Connection receiver : receivers) {
            receiver.onEvent = text -> {
                long now = System.nanoTime();
                histogram.get().recordNanos(now - timestamp(text));
                if (remaining.get().decrementAndGet() == 0) {
                    roundDone.get().complete(null);
                }
            };
        }
        runRounds(emitter, receivers.size(), warmup, histogram, remaining, roundDone, new LatencyHistogram());
        LatencyHistogram measured = new LatencyHistogram();
        long lost = runRounds(emitter, receivers.size(), measure, histogram, remaining, roundDone, measured);
        return new Outcome(measured.count() / (measure.toNanos() / 1e9), measured.percentileMillis(0.5),
                measured.percentileMillis(0.99), lost);
    }

    private static long runRounds(Connection emitter, int receivers, Duration duration,
                                  AtomicReference<LatencyHistogram> histogram, AtomicReference<AtomicInteger> remaining,
                                  AtomicReference<CompletableFuture<Void>> roundDone, LatencyHistogram target) {
        histogram.set(target);
        long lost = 0;
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            AtomicInteger left = new AtomicInteger(receivers);
            roundDone.set(done);
            remaining.set(left);
            emitter.emitWithAck("broadcast", "{\"t\":" + System.nanoTime() + "}");
            try {
                done.get(10, TimeUnit.SECONDS);
            } catch (Exception timeout) {
                lost += Math.max(0, left.get());
            }
        }
        return lost;
    }

    /** The nanoTime a "msg" event carries: 42["msg",{"t":123}]. */
    static long timestamp(String text) {
        int at = text.indexOf("\"t\":") + 4;
        long value = 0;
        for (int i = at; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
