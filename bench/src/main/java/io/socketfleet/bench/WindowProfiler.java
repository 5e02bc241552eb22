package io.socketfleet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The runner's {@code --profile DIR}: async-profiler (the native library from the
 * {@code tools.profiler:async-profiler} artifact on the runner's class path) loaded into each JVM
 * server with {@code jcmd JVMTI.agent_load} for exactly one measured window, sampling CPU time in
 * every thread — Java, the JIT compilers, GC and the kernel's part of each system call — so the
 * profile explains the window's CPU per operation. Writes {@code NAME-PID.collapsed} (folded
 * stacks, which {@link ProfileSummary} summarises) and {@code NAME-PID.html} (a flame graph).
 * A cold start is profiled from the JVM's start instead: the library goes in as {@code -agentpath}
 * ({@link #fromLaunch}), each thread apart and each Java frame marked interpreted or compiled ({@link #stopCold}), so
 * the JIT compiler threads, class loading and the interpreter show for what they cost.
 */
final class WindowProfiler {

    /** Where profiles go (--profile), or null when not profiling. Set once by the runner before any server starts. */
    static volatile Path dir;

    private static final String LIBRARY = "linux-x64/libasyncProfiler.so";
    /** Every thread as its own root frame ("[C2 CompilerThread0 tid=…]"). */
    private static final String COLD = "event=cpu,interval=1ms,threads";

    private WindowProfiler() {
    }

    /** Starts sampling in these servers (the JVM ones; Node is left alone). */
    static void start(List<ServerProcess> servers) throws IOException, InterruptedException {
        if (dir == null) {
            return;
        }
        for (ServerProcess server : servers) {
            if (server.jvm) {
                agent(server, "start,event=cpu,interval=1ms");
            }
        }
    }

    /** Stops sampling and writes each JVM server's profile as {@code name-PID}. */
    static void stop(List<ServerProcess> servers, String name) throws IOException, InterruptedException {
        if (dir == null) {
            return;
        }
        for (ServerProcess server : servers) {
            if (server.jvm) {
                stop(server, name, "collapsed");
            }
        }
    }

    /**
     * The JVM flag that samples a JVM about to be launched from its start (the agent starts at
     * JVMTI's VMInit, after the JVM's own creation), or none when not profiling.
     */
    static List<String> fromLaunch() throws IOException {
        return dir == null ? List.of() : List.of("-agentpath:" + library() + "=start," + COLD);
    }

    /** Starts sampling again, as {@link #fromLaunch} does, in a server whose profile so far was written by {@link #stopCold}. */
    static void restart(ServerProcess server) throws IOException, InterruptedException {
        agent(server, "start," + COLD);
    }

    /**
     * Stops sampling in a server launched with {@link #fromLaunch} and writes its profile as
     * {@code name-PID}, each Java frame in the folded stacks marked by how it ran (_[0]
     * interpreted, _[1] C1, _[j] JIT-compiled, _[i] inlined).
     */
    static void stopCold(ServerProcess server, String name) throws IOException, InterruptedException {
        stop(server, name, "collapsed,ann");
    }

    private static void stop(ServerProcess server, String name, String format) throws IOException, InterruptedException {
        Path base = dir.resolve(name + "-" + server.pid());
        agent(server, "dump," + format + ",file=" + base + ".collapsed");
        agent(server, "stop,file=" + base + ".html");
    }

    private static void agent(ServerProcess server, String options) throws IOException, InterruptedException {
        // Quoted, or jcmd's argument parser takes the options' '=' for its own named arguments.
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(server.pid()), "JVMTI.agent_load", library().toString(),
                "\"" + options + "\"").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        // The agent's own complaint goes to the server's output; jcmd reports its return code.
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0 || !out.contains("return code: 0")) {
            throw new IllegalStateException("async-profiler '" + options + "' in " + server.label + ": " + out.strip());
        }
    }

    /** The native library, copied out of its jar into the profile directory once. */
    private static synchronized Path library() throws IOException {
        Path library = dir.resolve("libasyncProfiler.so");
        if (!Files.exists(library)) {
            try (InputStream in = WindowProfiler.class.getClassLoader().getResourceAsStream(LIBRARY)) {
                if (in == null) {
                    throw new IllegalStateException(LIBRARY + " is not on the class path (tools.profiler:async-profiler)");
                }
                Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return library;
    }
}
