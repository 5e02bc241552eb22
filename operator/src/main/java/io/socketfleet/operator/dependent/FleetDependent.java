package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.socketfleet.operator.api.SocketFleet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;

/**
 * A child object of a fleet, found by its name. Naming it directly spares the framework from
 * building the whole desired object only to learn its name (which would, for instance, draw a
 * new Redis password once more). A child with a security-relevant section (see
 * {@link ExactFields}) also counts anyone else's additions there as drift and puts it back.
 */
abstract class FleetDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, SocketFleet> {

    private static final Logger log = LoggerFactory.getLogger(FleetDependent.class);

    FleetDependent(Class<R> type) {
        super(type);
    }

    /** The child's name for this fleet. */
    abstract String childName(SocketFleet fleet);

    /** JSON pointer of the section that must be exactly the operator's, or null for none. */
    String exactSection() {
        return null;
    }

    /** Whether the exact section may carry no key at all that the operator does not set. */
    boolean exactSectionClosed() {
        return false;
    }

    @Override
    protected ResourceID targetSecondaryResourceID(SocketFleet fleet, Context<SocketFleet> context) {
        return new ResourceID(childName(fleet), fleet.getMetadata().getNamespace());
    }

    @Override
    public Matcher.Result<R> match(R actual, R desired, SocketFleet fleet, Context<SocketFleet> context) {
        Matcher.Result<R> result = super.match(actual, desired, fleet, context);
        if (result.matched() && !drift(actual, desired, context).isEmpty()) {
            return Matcher.Result.computed(false, desired);
        }
        return result;
    }

    /**
     * Server-side apply leaves other managers' fields alone, so those are first set back (or
     * removed) by a JSON Patch guarded by the resourceVersion they were seen at; then the
     * operator's own fields are applied as usual. Without apply, the framework's update
     * replaces the section whole anyway.
     */
    @Override
    public R update(R actual, R desired, SocketFleet fleet, Context<SocketFleet> context) {
        Set<String> drift = drift(actual, desired, context);
        if (!drift.isEmpty() && useSSA(context)) {
            log.info("{} {}/{}: putting back {} under {}", actual.getKind(), actual.getMetadata().getNamespace(),
                    actual.getMetadata().getName(), drift, exactSection());
            var json = context.getClient().getKubernetesSerialization();
            String patch = json.asJson(ExactFields.patch(exactSection(), drift, section(desired, context),
                    actual.getMetadata().getResourceVersion()));
            context.getClient().resource(actual).patch(new PatchContext.Builder().withPatchType(PatchType.JSON)
                    .withFieldManager(context.getControllerConfiguration().fieldManager()).build(), patch);
        }
        return super.update(actual, desired, fleet, context);
    }

    private Set<String> drift(R actual, R desired, Context<SocketFleet> context) {
        if (exactSection() == null) {
            return Set.of();
        }
        return ExactFields.differing(section(desired, context), section(actual, context), exactSectionClosed());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(R object, Context<SocketFleet> context) {
        Object node = context.getClient().getKubernetesSerialization().convertValue(object, Map.class);
        for (String key : exactSection().substring(1).split("/")) {
            node = node instanceof Map<?, ?> map ? map.get(key) : null;
        }
        return node instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
