package io.socketfleet.operator;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code render} and {@code local} refuse a fleet whose name or namespace could not be a DNS
 * label, with one clear line and before anything is rendered or started.
 */
class UnsafeNamesTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}/{2}")
    @CsvSource(delimiter = '|', value = {
        "render|default|chat.v2|metadata.name",
        "render|default|1chat|metadata.name",
        "render|default|'x;}location/etc{'|metadata.name",
        "render|default|a234567890123456789012345678901234567890123456789012345|metadata.name",
        "render|'x;}'|chat|metadata.namespace",
        "local|default|chat.v2|metadata.name",
        "local|default|'x;}location/etc{'|metadata.name",
        "local|Team_A|chat|metadata.namespace",
    })
    void refusesTheFleetNamingTheField(String command, String namespace, String name, String field) throws Exception {
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, "apiVersion: socketfleet.io/v1alpha1\nkind: SocketFleet\nmetadata:\n  name: \"" + name
                + "\"\n  namespace: \"" + namespace + "\"\nspec: {replicas: 1}\n");
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            exit = command.equals("render")
                    ? Main.commandLine().execute("render", "-f", file.toString(), "--backend", "10.0.0.1:3000")
                    : Main.commandLine().execute("local", "-f", file.toString(), "--node-jar", file.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String error = stderr.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit, error);
        assertTrue(error.contains(field + " must be a DNS-1"), error);
        String value = field.equals("metadata.namespace") ? namespace : name;
        assertTrue(error.contains("'" + value + "'"), "names the value: " + error);
        assertFalse(stdout.toString(StandardCharsets.UTF_8).contains("nginx"), "nothing rendered or started");
    }
}
