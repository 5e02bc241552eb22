package io.socketfleet.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.function.Supplier;

/**
 * Every metric the operator exports, in one Prometheus registry: the JVM's, JOSDK's
 * ({@code operator_sdk_*}: events, reconciliations started/succeeded/failed/retried, reconcile
 * durations — per controller, not per resource, so a thousand fleets are not a thousand series
 * each) and the fleets' own ({@link FleetMetrics}, {@code socketfleet_fleet_*}).
 */
public final class OperatorMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final FleetMetrics fleets = new FleetMetrics(registry);
    private final Metrics framework = new AggregatedMetrics(List.of(MicrometerMetrics.withoutPerResourceMetrics(registry), fleets));

    public OperatorMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
    }

    /** What the operator SDK reports to: JOSDK's meters, and the fleets' meters forgotten when a fleet is deleted. */
    public Metrics framework() {
        return framework;
    }

    /** The reconciler's own meters. */
    public FleetMetrics fleets() {
        return fleets;
    }

    /** {@code socketfleet_operator_started}: 1 once the operator runs. */
    public void started(Supplier<Boolean> started) {
        Gauge.builder("socketfleet.operator.started", started, s -> s.get() ? 1 : 0).strongReference(true)
                .description("1 once the operator runs").register(registry);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }
}
