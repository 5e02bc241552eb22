package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.socketfleet.operator.api.SocketFleet;

import java.util.Map;

/** The managed Redis's password (see {@link RedisPassword}): generated once, then kept for the fleet's life. */
@KubernetesDependent(informer = @Informer(labelSelector = FleetLabels.MANAGED_SELECTOR))
public class RedisSecretDependent extends FleetDependent<Secret> {

    public static final String PASSWORD_KEY = "password";

    public RedisSecretDependent() {
        super(Secret.class);
    }

    @Override
    String childName(SocketFleet fleet) {
        return FleetNames.redisSecret(fleet);
    }

    @Override
    String exactSection() {
        return "/data";
    }

    @Override
    boolean exactSectionClosed() {
        return true;
    }

    @Override
    protected Secret desired(SocketFleet fleet, Context<SocketFleet> context) {
        return new SecretBuilder()
                .withMetadata(FleetObjects.metadata(fleet, FleetNames.redisSecret(fleet), FleetLabels.Component.REDIS))
                .withType("Opaque")
                .withData(Map.of(PASSWORD_KEY, RedisPassword.encoded(context)))
                .build();
    }
}
