package io.socketfleet.operator.local;

import io.socketfleet.operator.reconciler.SocketFleetReconciler;

/** A local-mode class that reaches into the reconciler, for ArchitectureTest to catch. */
public final class ReconcilerImportFixture {

    Class<?> reconciler() {
        return SocketFleetReconciler.class;
    }
}
