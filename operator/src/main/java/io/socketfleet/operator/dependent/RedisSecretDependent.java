package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.socketfleet.operator.api.SocketFleet;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/** The managed Redis's password: generated once, then kept for the fleet's life. */
public class RedisSecretDependent extends FleetDependent<Secret> {

    public static final String PASSWORD_KEY = "password";
    private static final SecureRandom RANDOM = new SecureRandom();

    public RedisSecretDependent() {
        super(Secret.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.redisSecret(fleet);
    }

    @Override
    protected Secret desired(SocketFleet fleet, Context<SocketFleet> context) {
        // Looked up by name: the dependent's own getSecondaryResource() would call desired() again.
        String name = FleetNames.redisSecret(fleet);
        String password = context.getSecondaryResourcesAsStream(Secret.class)
                .filter(existing -> name.equals(existing.getMetadata().getName()) && existing.getData() != null)
                .map(existing -> existing.getData().get(PASSWORD_KEY))
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElseGet(RedisSecretDependent::newPassword);
        return new SecretBuilder()
                .withMetadata(FleetObjects.metadata(fleet, name, FleetLabels.Component.REDIS))
                .withType("Opaque")
                .withData(Map.of(PASSWORD_KEY, password))
                .build();
    }

    /** 32 random bytes, base64url: the Secret's data holds this again base64-encoded. */
    private static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.US_ASCII));
    }
}
