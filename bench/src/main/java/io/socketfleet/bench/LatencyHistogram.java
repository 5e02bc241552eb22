package io.socketfleet.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Lock-free latency histogram with 2% wide logarithmic buckets, from 1 µs to about 100 s. */
final class LatencyHistogram {

    private static final double STEP = Math.log(1.02);
    private static final int BUCKETS = 1000;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder total = new LongAdder();

    void recordNanos(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        int bucket = (int) Math.min(BUCKETS - 1, Math.floor(Math.log(micros) / STEP));
        counts.incrementAndGet(bucket);
        total.increment();
    }

    long count() {
        return total.sum();
    }

    /** The latency in milliseconds below which this fraction of samples fall. */
    double percentileMillis(double fraction) {
        long target = (long) Math.ceil(fraction * count());
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= target && seen > 0) {
                return Math.exp((i + 1) * STEP) / 1000.0;
            }
        }
        return Double.NaN;
    }
}
