package io.socketfleet.node.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the external programs the tests need, naming the install command when one is missing. */
public final class Tools {

    private Tools() {
    }

    public static Path require(String command, String install) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/usr/local/sbin", "/sbin"}) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(command + " is not installed: " + install);
    }
}
