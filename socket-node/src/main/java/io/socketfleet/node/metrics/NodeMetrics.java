package io.socketfleet.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.function.Supplier;

/** The node's Prometheus metrics; every counter the node keeps lives here. */
public final class NodeMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter sessionsTotal;
    private final PerThreadCount packetsIn = new PerThreadCount();
    private final PerThreadCount packetsOut = new PerThreadCount();
    private final Counter protocolErrors;
    private final Counter slowClientsDropped;
    private final Counter broadcastsPublished;
    private final Counter broadcastsReceived;
    private final Counter broadcastsDropped;
    private final Counter sessionsRebalanced;

    public NodeMetrics() {
        sessionsTotal = Counter.builder("socketfleet.sessions").description("Engine.IO sessions opened").register(registry);
        FunctionCounter.builder("socketfleet.packets.in", packetsIn, count -> count.sum())
                .description("Engine.IO packets received").register(registry);
        FunctionCounter.builder("socketfleet.packets.out", packetsOut, count -> count.sum())
                .description("Engine.IO packets sent").register(registry);
        protocolErrors = Counter.builder("socketfleet.protocol.errors")
                .description("Connections closed for breaking the protocol").register(registry);
        slowClientsDropped = Counter.builder("socketfleet.slow.clients.dropped")
                .description("Sessions closed because their send buffer was full").register(registry);
        broadcastsPublished = Counter.builder("socketfleet.redis.broadcasts.published")
                .description("Broadcasts sent to the fleet through Redis").register(registry);
        broadcastsReceived = Counter.builder("socketfleet.redis.broadcasts.received")
                .description("Broadcasts received from other nodes through Redis").register(registry);
        broadcastsDropped = Counter.builder("socketfleet.redis.broadcasts.dropped")
                .description("Broadcasts that could not be published because Redis was unavailable").register(registry);
        sessionsRebalanced = Counter.builder("socketfleet.sessions.rebalanced")
                .description("Sessions whose transport was closed to hand them to a less loaded node").register(registry);
        Counter.builder("socketfleet.redis.subscriber.failures")
                .description("Times the Redis subscription failed and was restarted (Redis unreachable, or an error "
                        + "while a message was handled)").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    public void sessionsOpen(Supplier<Number> open) {
        Gauge.builder("socketfleet.sessions.open", open).description("Engine.IO sessions open now").register(registry);
    }

    public void socketsConnected(Supplier<Number> connected) {
        Gauge.builder("socketfleet.sockets.connected", connected)
                .description("Socket.IO sockets connected now, all namespaces").register(registry);
    }

    public void redisConnected(Supplier<Number> up) {
        Gauge.builder("socketfleet.redis.connected", up)
                .description("1 while the Redis subscription is up, 0 otherwise").register(registry);
    }

    public void draining(Supplier<Number> draining) {
        Gauge.builder("socketfleet.draining", draining).description("1 while the node drains").register(registry);
    }

    public void sessionRefused(String reason) {
        registry.counter("socketfleet.sessions.refused", "reason", reason).increment();
    }

    /** A connection dropped for not reading what it was sent ("over-budget", "stalled"). */
    public void connectionDropped(String reason) {
        registry.counter("socketfleet.connections.dropped", "reason", reason).increment();
    }

    public void redisSubscriberFailed() {
        registry.get("socketfleet.redis.subscriber.failures").counter().increment();
    }

    public void sessionOpened() {
        sessionsTotal.increment();
    }

    public void packetsIn(int n) {
        packetsIn.add(n);
    }

    public void packetsOut(int n) {
        packetsOut.add(n);
    }

    public void protocolError() {
        protocolErrors.increment();
    }

    public void slowClientDropped() {
        slowClientsDropped.increment();
    }

    public void broadcastPublished() {
        broadcastsPublished.increment();
    }

    public void broadcastReceived() {
        broadcastsReceived.increment();
    }

    public void sessionRebalanced() {
        sessionsRebalanced.increment();
    }

    public void rebalancing(Supplier<Number> rebalancing) {
        Gauge.builder("socketfleet.rebalancing", rebalancing)
                .description("1 while the node holds more than its fair share and sheds sessions").register(registry);
    }

    public void broadcastDropped() {
        broadcastsDropped.increment();
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }
}
