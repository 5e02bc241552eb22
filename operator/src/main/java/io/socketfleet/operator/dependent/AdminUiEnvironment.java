package io.socketfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;
import io.socketfleet.operator.api.AdminUiSpec;
import io.socketfleet.operator.api.SocketFleet;

import java.util.ArrayList;
import java.util.List;

/**
 * The node pods' admin UI settings from {@code spec.adminUi}, named by the contract's table. The
 * password hash reaches the pods as a Secret reference the kubelet resolves: the operator never
 * reads it, and it never appears in the Deployment.
 */
final class AdminUiEnvironment {

    private AdminUiEnvironment() {
    }

    static List<EnvVar> env(SocketFleet fleet) {
        AdminUiSpec adminUi = fleet.getSpec().getAdminUi();
        List<EnvVar> env = new ArrayList<>();
        if (!adminUi.isEnabled()) {
            return env;
        }
        adminUi.addTo(NodeSettings.none()).environment().forEach((name, value) ->
                env.add(new EnvVarBuilder().withName(name).withValue(value).build()));
        env.add(new EnvVarBuilder().withName(NodeSetting.ADMIN_UI_PASSWORD_HASH.envName())
                .withNewValueFrom().withNewSecretKeyRef()
                    .withName(adminUi.getPasswordSecret().getName()).withKey(adminUi.getPasswordSecret().getKey())
                .endSecretKeyRef().endValueFrom().build());
        return env;
    }
}
