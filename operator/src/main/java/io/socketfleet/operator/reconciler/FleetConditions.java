package io.socketfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Builds the status conditions, keeping lastTransitionTime when a condition's status did not change. */
final class FleetConditions {

    static final String READY = "Ready";
    static final String PROGRESSING = "Progressing";
    static final String DEGRADED = "Degraded";
    static final String CONFIG_APPLIED = "ConfigApplied";

    private final List<Condition> previous;
    private final long generation;
    private final String now;
    private final List<Condition> next = new ArrayList<>();

    FleetConditions(List<Condition> previous, Long generation, Instant now) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation == null ? 0 : generation;
        this.now = now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    FleetConditions set(String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        String since = previous.stream()
                .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(now);
        next.add(new ConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(since).build());
        return this;
    }

    /** Keeps a previous condition as it was (e.g. Ready while the spec is invalid). */
    FleetConditions keep(String type, boolean fallback, String reason, String message) {
        previous.stream().filter(c -> type.equals(c.getType())).findFirst()
                .ifPresentOrElse(next::add, () -> set(type, fallback, reason, message));
        return this;
    }

    /** Lets a helper add conditions without breaking the chain. */
    FleetConditions with(java.util.function.Consumer<FleetConditions> step) {
        step.accept(this);
        return this;
    }

    List<Condition> build() {
        return List.copyOf(next);
    }
}
