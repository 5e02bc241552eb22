package io.socketfleet.node.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Watches the node's log (slf4j-simple writes to System.err) for the lines Netty prints when
 * an exception escapes our code: a task that threw on an event loop, or an exception that
 * reached the end of a pipeline. Close it to stop watching; the output is still printed.
 */
public final class EscapedExceptions implements AutoCloseable {

    private static final List<String> ESCAPES = List.of("A task raised an exception",
            "reached at the tail of the pipeline", "Exception in thread");

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private EscapedExceptions() {
        PrintStream tee = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setErr(tee);
    }

    public static EscapedExceptions watch() {
        return new EscapedExceptions();
    }

    /** The log lines that report an escaped exception, with the lines that follow them (the stack). */
    public List<String> found() {
        String log;
        synchronized (captured) {
            log = captured.toString(StandardCharsets.UTF_8);
        }
        List<String> lines = log.lines().toList();
        List<String> found = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (ESCAPES.stream().anyMatch(line::contains)) {
                found.add(String.join("\n", lines.subList(i, Math.min(lines.size(), i + 6))));
            }
        }
        return found;
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
