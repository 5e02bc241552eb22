package io.socketfleet.bench;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.List;

/**
 * Clients driving a scenario's operations. Two kinds, so neither's limits can flatter a server:
 * the Java generator (Netty clients speaking the protocol by hand) and the official Node
 * socket.io-client spread over several Node processes.
 */
interface LoadGenerator extends AutoCloseable {

    /** Latencies are recorded in microseconds, 3 significant digits, up to a minute. */
    static Histogram newHistogram() {
        return new Histogram(60_000_000L, 3);
    }

    /** What one measured window saw. */
    record Window(long operations, Histogram latenciesMicros, long lost, double seconds) {

        double perSecond() {
            return operations / seconds;
        }

        double percentileMillis(double percentile) {
            return latenciesMicros.getTotalCount() == 0 ? Double.NaN : latenciesMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    String name();

    /** Opens {@code clients} clients spread round-robin over the servers' base URLs; returns when all are connected. */
    void connect(List<String> urls, int clients) throws Exception;

    /** Every client emits "echo" with an ack, the next as soon as the last returns, for this long. */
    Window echo(Duration duration) throws Exception;

    /**
     * Broadcast rounds for this long: the first client asks for a broadcast of a timestamp, the
     * next round starts when every client has it; each receipt's emit-to-receipt latency counts.
     */
    Window broadcastRounds(Duration duration) throws Exception;

    @Override
    void close() throws Exception;
}
