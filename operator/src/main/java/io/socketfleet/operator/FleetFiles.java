package io.socketfleet.operator;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.socketfleet.operator.api.SocketFleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a SocketFleet from a YAML or JSON file, as kubectl would accept it. */
public final class FleetFiles {

    private FleetFiles() {
    }

    public static SocketFleet read(Path file) throws IOException {
        SocketFleet fleet;
        try (InputStream in = Files.newInputStream(file)) {
            fleet = Serialization.unmarshal(in, SocketFleet.class);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a SocketFleet: " + rootMessage(e), e);
        }
        if (fleet == null || fleet.getMetadata() == null || fleet.getMetadata().getName() == null) {
            throw new IOException(file + " is not a SocketFleet: metadata.name is missing");
        }
        if (!"SocketFleet".equals(fleet.getKind())) {
            throw new IOException(file + " is not a SocketFleet: kind is " + fleet.getKind());
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
