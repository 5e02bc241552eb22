package io.socketfleet.operator.testing;

import io.socketfleet.operator.nginx.NginxRuntime;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real nginx binary, to check every rendered config with {@code nginx -t}. */
public final class Nginx {

    private Nginx() {
    }

    public static Path binary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/usr/local/sbin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "nginx");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("nginx is not installed: apt-get install nginx-light");
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
