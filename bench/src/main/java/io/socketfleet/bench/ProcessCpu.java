package io.socketfleet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * CPU time a process has used, user + system, from {@code /proc/<pid>/stat} (all its threads,
 * in clock ticks). Read around a measured window and divided by the operations in it, this is the
 * figure a loaded machine or a slow load generator cannot flatter: it counts what the server
 * spent, not how fast it was asked.
 */
final class ProcessCpu {

    /** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK); the kernel's ABI fixes it. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessCpu() {
    }

    static long nanos(long pid) {
        return ticks(Path.of("/proc/" + pid + "/stat")) * NANOS_PER_TICK;
    }

    /**
     * CPU time of the process's JIT compiler threads (HotSpot's "C1/C2 CompilerThread"), which
     * the JVM servers spend on top of serving until their code is compiled; 0 for a process that
     * has none (Node compiles on threads it does not tell apart).
     */
    static long compilerNanos(long pid) {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("C")
                            && Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        ticks += ticks(task.resolve("stat"));
                    }
                } catch (IOException threadEnded) {
                    // a compiler thread the JVM retired meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks * NANOS_PER_TICK;
    }

    private static long ticks(Path stat) throws UncheckedIOException {
        try {
            String text = Files.readString(stat);
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long nanos(Collection<ServerProcess> servers) {
        return servers.stream().mapToLong(s -> nanos(s.pid())).sum();
    }

    static long compilerNanos(Collection<ServerProcess> servers) {
        return servers.stream().mapToLong(s -> compilerNanos(s.pid())).sum();
    }
}
