package io.socketfleet.operator;

import io.socketfleet.operator.testing.Nginx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code socketfleet-operator render}, as the README uses it. */
class RenderCommandIT {

    private static final Path EXAMPLE = Path.of(System.getProperty("socketfleet.repoRoot", ".."), "deploy/examples/chat.yaml");

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int exit = Main.commandLine().execute(args);
            return new Result(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void rendersTheExampleFleetForGivenBackends() throws Exception {
        Result result = run("render", "-f", EXAMPLE.toString(), "--backend", "10.244.0.17:3000", "--backend", "10.244.0.18:3000");
        assertEquals(0, result.exit(), result.err());
        assertTrue(result.out().contains("hash $http_sec_websocket_key consistent;"));
        assertTrue(result.out().contains("\"~^0af400110bb8\\.\" 10.244.0.17:3000;"));
        // The pod runtime writes to /tmp; nginx -t checks syntax and semantics with a local runtime.
        Result local = run("render", "-f", EXAMPLE.toString(), "--backend", "10.244.0.17:3000", "--listen", "127.0.0.1:18081");
        assertNull(Nginx.test(dir, forLocalTest(local.out())));
    }

    /** The pod runtime writes to /tmp; nginx -t checks syntax and semantics with paths of the test's own. */
    private String forLocalTest(String config) {
        return config.replace("/tmp/", dir + "/").replace("pid /tmp/nginx.pid", "pid " + dir + "/nginx.pid")
                .replace("/dev/stderr warn", dir + "/error.log warn").replace("access_log /dev/stdout", "access_log off");
    }

    @Test
    void drainingBackendsRouteTheirSessionsOnly() throws Exception {
        Result result = run("render", "-f", EXAMPLE.toString(), "--backend", "10.244.0.17:3000", "--draining-backend", "10.244.0.18:3000",
                "--listen", "127.0.0.1:18081");
        assertEquals(0, result.exit(), result.err());
        assertTrue(result.out().contains("\"~^0af400120bb8\\.\" 10.244.0.18:3000;  # 10.244.0.18:3000, draining"), result.out());
        assertFalse(result.out().contains("server 10.244.0.18:3000"), result.out());
        assertNull(Nginx.test(dir, forLocalTest(result.out())));
    }

    @Test
    void thePodConfigListensOnIpv4AndIpv6() {
        Result result = run("render", "-f", EXAMPLE.toString(), "--backend", "10.244.0.17:3000");
        assertTrue(result.out().contains("listen 8080;\n        listen [::]:8080;"), result.out());
        Result unsafe = run("render", "-f", EXAMPLE.toString(), "--listen", "8080; include /etc/passwd");
        assertEquals(2, unsafe.exit());
        assertTrue(unsafe.err().contains("--listen"), unsafe.err());
    }

    @Test
    void badBackendIsAUsageError() {
        Result result = run("render", "-f", EXAMPLE.toString(), "--backend", "evil.example:3000");
        assertEquals(2, result.exit());
        assertTrue(result.err().contains("IP literal"), result.err());
    }

    @Test
    void invalidFleetFileNamesTheField() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "apiVersion: socketfleet.io/v1alpha1\nkind: SocketFleet\nmetadata: {name: x}\nspec: {replicas: 5000}\n");
        Result result = run("render", "-f", bad.toString());
        assertEquals(1, result.exit(), result.out() + result.err());
        assertTrue(result.err().contains("spec.replicas"), result.err());

        Path notAFleet = dir.resolve("pod.yaml");
        Files.writeString(notAFleet, "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n");
        Result wrongKind = run("render", "-f", notAFleet.toString());
        assertEquals(1, wrongKind.exit());
        assertTrue(wrongKind.err().contains("not a SocketFleet"), wrongKind.err());
    }
}
