package io.socketfleet.operator.local;

import io.fabric8.kubernetes.client.KubernetesClient;

/** A local-mode class that would talk to an API server, for ArchitectureTest to catch. */
public final class ClientImportFixture {

    String master(KubernetesClient client) {
        return client.getMasterUrl().toString();
    }
}
