package io.socketfleet.operator.testing;

import io.socketfleet.operator.local.Executables;
import io.socketfleet.operator.local.LocalFleetException;
import io.socketfleet.operator.nginx.NginxRuntime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real nginx binary, to check every rendered config with {@code nginx -t}. */
public final class Nginx {

    private Nginx() {
    }

    public static Path binary() {
        try {
            return Executables.find("nginx", "apt-get install nginx-light");
        } catch (LocalFleetException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A runtime writing only inside {@code dir}, so nginx -t needs no privileges. */
    public static NginxRuntime runtimeIn(Path dir, String listen) {
        return new NginxRuntime(listen, dir.resolve("nginx.pid").toString(), dir.toString(), dir.resolve("error.log") + " warn", "off");
    }

    /** Runs nginx -t; returns null when the config is valid, nginx's complaint otherwise. */
    public static String test(Path dir, String config) throws IOException, InterruptedException {
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, config);
        Process check = new ProcessBuilder(binary().toString(), "-t", "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", file.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return check.waitFor() == 0 ? null : output;
    }
}
