package io.socketfleet.operator.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the programs local mode runs, naming the command that installs a missing one. */
public final class Executables {

    private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/usr/local/bin");

    private Executables() {
    }

    /**
     * Runs the command in a session of its own, so a Ctrl-C in the terminal reaches only us and
     * we stop the children in order (drain nodes first) instead of all of them dying at once.
     */
    static List<String> detached(List<String> command) {
        for (String dir : SYSTEM_DIRS) {
            Path setsid = Path.of(dir, "setsid");
            if (Files.isExecutable(setsid)) {
                List<String> wrapped = new ArrayList<>(command.size() + 1);
                wrapped.add(setsid.toString());
                wrapped.addAll(command);
                return wrapped;
            }
        }
        return command;
    }

    public static Path find(String name, String install) throws LocalFleetException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String dir : SYSTEM_DIRS) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new LocalFleetException(name + " is not installed; install it with: " + install);
    }
}
