package io.socketfleet.operator.local;

import io.socketfleet.contract.NodeSetting;
import io.socketfleet.operator.api.AdminUiSpec;
import io.socketfleet.operator.api.SecretKeyRef;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a fleet's Secrets hold, on this machine: a directory laid out as the kubelet mounts a Secret
 * ({@code DIR/SECRET-NAME/KEY}, one file per key), by default {@code secrets/} beside the fleet file.
 * Read when a node starts, so a changed file reaches the nodes started after it (as a pod restart
 * picks up a changed Secret).
 */
final class LocalSecrets {

    private final Path dir;

    LocalSecrets(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The environment carrying the secret node settings the fleet names: the admin UI's password hash. */
    Map<String, String> nodeEnvironment(AdminUiSpec adminUi) throws LocalFleetException {
        if (!adminUi.isEnabled()) {
            return Map.of();
        }
        return Map.of(NodeSetting.ADMIN_UI_PASSWORD_HASH.envName(), read(adminUi.getPasswordSecret(), "spec.adminUi.passwordSecret"));
    }

    /** The value of one key of a Secret, surrounding whitespace (the newline an editor adds) left out. */
    String value(SecretKeyRef ref, String field) throws LocalFleetException {
        return read(ref, field);
    }

    /**
     * Where one key of a Secret (or ConfigMap: they share the directory) lies, for a setting that
     * takes a file, as a pod mounts it.
     */
    Path file(String name, String key, String field) throws LocalFleetException {
        Path file = dir.resolve(name).resolve(key).toAbsolutePath().normalize();
        if (!file.startsWith(dir.toAbsolutePath().normalize())) {
            throw new LocalFleetException(field + " names a file outside " + dir + ": " + name + "/" + key);
        }
        return file;
    }

    private String read(SecretKeyRef ref, String field) throws LocalFleetException {
        Path file = file(ref.getName(), ref.getKey(), field);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new LocalFleetException(field + " (" + ref.getName() + "/" + ref.getKey() + "): local mode reads it from " + file
                    + ", which cannot be read (" + e.getMessage() + "); write the value there");
        }
    }
}
