package io.socketfleet.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code socketfleet-operator run} where no cluster answers: one line saying what to do, exit 1, no stack trace. */
class OperatorFirstContactIT {

    private record Outcome(int exit, String stdout, List<String> stderr) {
    }

    @Test
    void noKubeconfigAndNoPodPointsToLocalMode(@TempDir Path home) throws Exception {
        Outcome outcome = run(home, home.resolve("no-such-kubeconfig"));
        assertEquals(List.of("socketfleet-operator: no Kubernetes cluster found (no kubeconfig, not in a pod) — to try "
                + "socketfleet without one, run ./run-local.sh"), outcome.stderr());
        assertEquals(1, outcome.exit());
        assertEquals("", outcome.stdout());
    }

    @Test
    void aKubeconfigNamingAClosedPortSaysTheServerDoesNotAnswer(@TempDir Path home) throws Exception {
        int closed = Repo.freePort();
        Path kubeconfig = Files.writeString(home.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: gone
                    cluster: { server: "https://127.0.0.1:%d" }
                users:
                  - name: dev
                    user: { token: "t" }
                contexts:
                  - name: gone
                    context: { cluster: gone, user: dev }
                current-context: gone
                """.formatted(closed));
        Outcome outcome = run(home, kubeconfig);
        assertEquals(1, outcome.stderr().size(), String.join("\n", outcome.stderr()));
        assertTrue(outcome.stderr().get(0).startsWith("socketfleet-operator: cannot reach the Kubernetes API server at https://127.0.0.1:"
                + closed + "/ (connection refused) — "), outcome.stderr().get(0));
        assertEquals(1, outcome.exit());
    }

    /** Runs the operator jar with only this kubeconfig to find, outside any pod. */
    private static Outcome run(Path home, Path kubeconfig) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Repo.java(), "-jar", Repo.requireJar(Repo.OPERATOR_JAR).toString(), "run",
                "--health-port", String.valueOf(Repo.freePort()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("KUBERNETES_"));
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("HOME", home.toString());
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the operator did not exit");
        return new Outcome(process.exitValue(), stdout, stderr.lines().filter(l -> !l.isBlank()).toList());
    }
}
