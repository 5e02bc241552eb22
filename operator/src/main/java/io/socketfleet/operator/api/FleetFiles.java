package io.socketfleet.operator.api;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a SocketFleet from a YAML or JSON file, as kubectl would accept it. */
public final class FleetFiles {

    private FleetFiles() {
    }

    public static SocketFleet read(Path file) throws IOException {
        String text = Files.readString(file);
        SocketFleet fleet;
        try {
            // Check what the file says it is before binding it (binding would assume the kind).
            GenericKubernetesResource generic = Serialization.unmarshal(text, GenericKubernetesResource.class);
            String expected = SocketFleet.GROUP + "/" + SocketFleet.VERSION;
            if (generic == null || !"SocketFleet".equals(generic.getKind()) || !expected.equals(generic.getApiVersion())) {
                throw new IOException(file + " is not a SocketFleet: expected apiVersion " + expected + " and kind SocketFleet, got "
                        + (generic == null ? "nothing" : generic.getApiVersion() + " " + generic.getKind()));
            }
            fleet = Serialization.unmarshal(text, SocketFleet.class);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a SocketFleet: " + rootMessage(e), e);
        }
        if (fleet.getMetadata() == null || fleet.getMetadata().getName() == null) {
            throw new IOException(file + " is not a SocketFleet: metadata.name is missing");
        }
        if (fleet.getMetadata().getNamespace() == null) {
            fleet.getMetadata().setNamespace("default");
        }
        return fleet;
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.toString() : message.lines().findFirst().orElse(message);
    }
}
