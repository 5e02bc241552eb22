package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.nginx.NginxConfig;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The managed Redis's password for one reconcile: the one in the fleet's Secret, or a new one
 * when the Secret is gone. Chosen once, before the children are reconciled, so the Secret and
 * the pod templates of Redis and the socket-nodes agree: the templates carry a hash of it, and a
 * new password (a deleted and recreated Secret) rolls every pod that uses it instead of leaving
 * Redis on the old password while new nodes read the new one.
 */
public final class RedisPassword {

    /** Pod template annotation: which password the pods were started with (a hash, never the password). */
    public static final String HASH_ANNOTATION = "socketfleet.io/redis-secret-hash";
    private static final String CONTEXT_KEY = "socketfleet.io/redis-password";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RedisPassword() {
    }

    /** Picks the password for this reconcile (only for a managed Redis). */
    public static void choose(SocketFleet fleet, Context<SocketFleet> context) {
        if (!fleet.getSpec().getRedis().isManaged()) {
            return;
        }
        String name = FleetNames.redisSecret(fleet);
        String password = context.getSecondaryResourcesAsStream(Secret.class)
                .filter(existing -> name.equals(existing.getMetadata().getName()) && existing.getData() != null)
                .map(existing -> existing.getData().get(RedisSecretDependent.PASSWORD_KEY))
                .filter(Objects::nonNull)
                .findFirst()
                .orElseGet(RedisPassword::generate);
        context.managedWorkflowAndDependentResourceContext().put(CONTEXT_KEY, password);
    }

    /** The Secret's data value (base64) chosen for this reconcile. */
    static String encoded(Context<SocketFleet> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(CONTEXT_KEY, String.class);
    }

    /** The hash stamped on the pod templates of a managed Redis's users; empty for an external Redis. */
    static Optional<String> hash(SocketFleet fleet, Context<SocketFleet> context) {
        return fleet.getSpec().getRedis().isManaged()
                ? Optional.of(NginxConfig.hash(encoded(context)).substring(0, 16)) : Optional.empty();
    }

    /** The pod-template annotation carrying {@link #hash}: a new password rolls the pods that use it. */
    static Map<String, String> podAnnotations(SocketFleet fleet, Context<SocketFleet> context) {
        return hash(fleet, context).map(h -> Map.of(HASH_ANNOTATION, h)).orElse(Map.of());
    }

    /** 32 random bytes, base64url: the Secret's data holds this again base64-encoded. */
    private static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.US_ASCII));
    }
}
