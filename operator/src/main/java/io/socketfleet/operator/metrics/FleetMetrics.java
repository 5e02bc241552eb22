package io.socketfleet.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * socketfleet's own meters, one set per fleet (tags {@code namespace}, {@code fleet}); a deleted
 * fleet's meters go with it (the SDK reports the deletion through {@link #cleanupDoneFor}).
 * <ul>
 *   <li>{@code socketfleet_fleet_backends{state="ready"|"serving"}} — nodes in the nginx upstream / in its sid map</li>
 *   <li>{@code socketfleet_fleet_config_writes_total} — nginx configs written to the ConfigMap</li>
 *   <li>{@code socketfleet_fleet_config_applied_total} — configs every ready nginx pod confirmed serving
 *       (each one an nginx reload that took)</li>
 *   <li>{@code socketfleet_fleet_config_apply_seconds} — from a config's write to that confirmation</li>
 *   <li>{@code socketfleet_fleet_nginx_pods_behind} — ready nginx pods not yet serving the current config</li>
 *   <li>{@code socketfleet_fleet_sessions{stat="min"|"max"|"total"}}, {@code socketfleet_fleet_balance_ratio} —
 *       Engine.IO sessions per node as the nodes report them, and max/mean over the nodes</li>
 * </ul>
 */
public final class FleetMetrics implements Metrics {

    private final MeterRegistry registry;
    private final Map<ResourceID, Fleet> fleets = new ConcurrentHashMap<>();

    FleetMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The backends the operator lists for the fleet now. */
    public void backends(ResourceID fleet, int ready, int serving) {
        Fleet meters = of(fleet);
        meters.ready = ready;
        meters.serving = serving;
    }

    /** A new nginx config was written for the fleet. */
    public void configWritten(ResourceID fleet, Instant at) {
        Fleet meters = of(fleet);
        meters.configWrites.increment();
        meters.writtenAt = at;
    }

    /** How many ready nginx pods do not serve the current config yet (0: every one does). */
    public void nginxPodsBehind(ResourceID fleet, int behind) {
        of(fleet).behind = behind;
    }

    /** Every ready nginx pod serves the config written last: counted once per written config. */
    public void configApplied(ResourceID fleet, Instant at) {
        Fleet meters = of(fleet);
        meters.behind = 0;
        Instant written = meters.writtenAt;
        if (written != null) {
            meters.configApplied.increment();
            meters.applyTime.record(Duration.between(written, at));
            meters.writtenAt = null;
        }
    }

    /** Sessions per node as the nodes reported them; NaN where unknown (no node answered). */
    public void sessions(ResourceID fleet, double min, double max, double total, double balanceRatio) {
        Fleet meters = of(fleet);
        meters.sessionsMin = min;
        meters.sessionsMax = max;
        meters.sessionsTotal = total;
        meters.balanceRatio = balanceRatio;
    }

    @Override
    public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
        Fleet gone = fleets.remove(resourceID);
        if (gone != null) {
            gone.meters.forEach(registry::remove);
        }
    }

    private Fleet of(ResourceID fleet) {
        return fleets.computeIfAbsent(fleet, id -> new Fleet(registry,
                Tags.of("namespace", id.getNamespace().orElse(""), "fleet", id.getName())));
    }

    /** One fleet's meters and the values its gauges read. */
    private static final class Fleet {
        final List<Meter> meters = new ArrayList<>();
        final Counter configWrites;
        final Counter configApplied;
        final Timer applyTime;
        volatile int ready;
        volatile int serving;
        volatile int behind;
        volatile Instant writtenAt;
        volatile double sessionsMin = Double.NaN;
        volatile double sessionsMax = Double.NaN;
        volatile double sessionsTotal = Double.NaN;
        volatile double balanceRatio = Double.NaN;

        Fleet(MeterRegistry registry, Tags tags) {
            meters.add(Gauge.builder("socketfleet.fleet.backends", this, f -> f.ready).tags(tags).tag("state", "ready")
                    .description("socket-nodes in the nginx upstream (ready) or in its sid map (serving)")
                    .strongReference(true).register(registry));
            meters.add(Gauge.builder("socketfleet.fleet.backends", this, f -> f.serving).tags(tags).tag("state", "serving")
                    .description("socket-nodes in the nginx upstream (ready) or in its sid map (serving)")
                    .strongReference(true).register(registry));
            meters.add(Gauge.builder("socketfleet.fleet.nginx.pods.behind", this, f -> f.behind).tags(tags)
                    .description("Ready nginx pods not yet serving the config in the ConfigMap").strongReference(true)
                    .register(registry));
            for (var stat : List.of("min", "max", "total")) {
                meters.add(Gauge.builder("socketfleet.fleet.sessions", this, f -> switch (stat) {
                    case "min" -> f.sessionsMin;
                    case "max" -> f.sessionsMax;
                    default -> f.sessionsTotal;
                }).tags(tags).tag("stat", stat).description("Engine.IO sessions per socket-node as the nodes report them")
                        .strongReference(true).register(registry));
            }
            meters.add(Gauge.builder("socketfleet.fleet.balance.ratio", this, f -> f.balanceRatio).tags(tags)
                    .description("Most sessions on one node divided by the mean over the nodes (1 is perfect balance)")
                    .strongReference(true).register(registry));
            configWrites = Counter.builder("socketfleet.fleet.config.writes").tags(tags)
                    .description("nginx configs written to the fleet's ConfigMap").register(registry);
            configApplied = Counter.builder("socketfleet.fleet.config.applied").tags(tags)
                    .description("Configs every ready nginx pod confirmed serving (each an nginx reload that took)")
                    .register(registry);
            applyTime = Timer.builder("socketfleet.fleet.config.apply").tags(tags)
                    .description("From writing a config to every ready nginx pod serving it").register(registry);
            meters.addAll(List.of(configWrites, configApplied, applyTime));
        }
    }
}
