package io.socketfleet.operator.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Copies a child process's output to ours, each line prefixed with who said it. */
final class OutputRelay {

    private OutputRelay() {
    }

    static void relay(InputStream output, String prefix, PrintStream to) {
        Thread thread = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    to.println(prefix + line);
                }
            } catch (IOException ignored) {
                // the process went away; nothing more to copy
            }
        }, "relay " + prefix.strip());
        thread.setDaemon(true);
        thread.start();
    }
}
