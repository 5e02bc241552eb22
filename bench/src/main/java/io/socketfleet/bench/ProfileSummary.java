package io.socketfleet.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A text profile from a flight recording (the runner's --jfr) or from async-profiler's folded
 * stacks (the runner's --profile, FILE.collapsed): the methods most often on top of the stack in
 * the samples (where CPU goes) and the methods most often anywhere on it (what it goes for), each
 * as a share of all samples; for a recording also the GC and compiler time recorded, for folded
 * stacks the share of the JIT compiler threads, GC, the kernel, class loading and linking, the
 * interpreter (when the Java frames are annotated, as in a cold start's profile) and the rest.
 * Usage: java -cp socketfleet-bench.jar io.socketfleet.bench.ProfileSummary FILE.jfr|FILE.collapsed [TOP]
 */
public final class ProfileSummary {

    private ProfileSummary() {
    }

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        if (args[0].endsWith(".collapsed")) {
            folded(Path.of(args[0]), top);
            return;
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        long gcNanos = 0;
        long compileNanos = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            switch (event.getEventType().getName()) {
                case "jdk.ExecutionSample" -> {
                    if (event.getStackTrace() == null || event.getStackTrace().getFrames().isEmpty()) {
                        continue;
                    }
                    samples++;
                    List<RecordedFrame> frames = event.getStackTrace().getFrames();
                    self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame frame : frames) {
                        String name = name(frame.getMethod());
                        if (seen.add(name)) {
                            inclusive.merge(name, 1, Integer::sum);
                        }
                    }
                }
                case "jdk.GarbageCollection" -> gcNanos += event.getDuration().toNanos();
                case "jdk.Compilation" -> compileNanos += event.getDuration().toNanos();
                default -> { }
            }
        }
        System.out.printf("%s: %d execution samples; GC pauses %.0f ms, JIT compilations %.0f ms in all%n",
                args[0], samples, gcNanos / 1e6, compileNanos / 1e6);
        print("self (on top of the stack)", self, samples, top);
        print("inclusive (anywhere on the stack)", inclusive, samples, top);
    }

    /**
     * async-profiler's folded stacks: one line per distinct stack, root first, frames separated by
     * ';' (kernel frames end in "_[k]"), then the number of samples.
     */
    private static void folded(Path file, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> kinds = new LinkedHashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        Map<String, Integer> startSteps = new HashMap<>();
        int samples = 0;
        for (String line : Files.readAllLines(file)) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            int count = Integer.parseInt(line.substring(space + 1));
            String stack = line.substring(0, space);
            String[] frames = stack.split(";");
            samples += count;
            String[] names = stack.replaceAll("_\\[[j01i]\\](?=;|$)", "").split(";"); // one method whatever its tier
            self.merge(names[names.length - 1], count, Integer::sum);
            for (String frame : new HashSet<>(List.of(names))) {
                inclusive.merge(frame, count, Integer::sum);
            }
            kinds.merge(kind(stack, frames), count, Integer::sum);
            if (stack.startsWith("[main ")) {
                startSteps.merge(startStep(stack), count, Integer::sum);
            }
            Set<String> seen = new HashSet<>();
            for (String frame : names) {
                String pkg = javaPackage(frame);
                if (pkg != null && seen.add(pkg)) {
                    packages.merge(pkg, count, Integer::sum);
                }
            }
        }
        System.out.printf("%s: %d CPU samples%n%nby kind:%n", file, samples);
        int all = samples;
        kinds.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
        print("self (on top of the stack)", self, samples, top);
        print("inclusive (anywhere on the stack)", inclusive, samples, top);
        print("Java packages, three levels (anywhere on the stack)", packages, samples, top);
        if (!startSteps.isEmpty()) {
            print("the main thread (a node's start, profiled per thread) by step", startSteps, samples, top);
        }
    }

    /** Steps of socket-node's start by a frame that marks each, deepest first wins (picocli runs the node, the node runs its warm-up). */
    private static final List<Map.Entry<String, String>> START_STEPS = List.of(
            Map.entry("io/socketfleet/node/Warmup.run", "warm-up (Warmup.run)"),
            Map.entry("org/slf4j/", "logging (org/slf4j)"),
            Map.entry("jdk/jfr/", "JFR (jdk/jfr: Netty's buffer events' static initialisers)"),
            Map.entry("io/micrometer/", "metrics (io/micrometer)"),
            Map.entry("io/netty/bootstrap/", "Netty start and bind (io/netty/bootstrap)"),
            Map.entry("io/socketfleet/node/SocketNode.", "SocketNode, the rest"),
            Map.entry("io/socketfleet/node/Main.run", "Main.run, the rest (settings)"),
            Map.entry("picocli/", "picocli, outside Main.run (parsing the command line)"),
            Map.entry("io/socketfleet/node/Main.main", "Main.main, the rest"),
            Map.entry("sun/launcher/", "the launcher (loading the main class)"));

    private static String startStep(String stack) {
        String step = "no Java frame (the JVM's own start)";
        int deepest = -1;
        for (Map.Entry<String, String> marker : START_STEPS) {
            int at = stack.lastIndexOf(marker.getKey());
            if (at > deepest) {
                deepest = at;
                step = marker.getValue();
            }
        }
        return step;
    }

    /** A Java frame's package cut to three levels ("io/netty/channel"), or null for a native or kernel frame. */
    private static String javaPackage(String frame) {
        int dot = frame.indexOf('.');
        if (dot < 0 || frame.indexOf('/') < 0 || frame.indexOf('/') > dot || frame.contains("::")) {
            return null;
        }
        String[] parts = frame.substring(0, frame.lastIndexOf('/', dot)).split("/");
        return String.join("/", List.of(parts).subList(0, Math.min(3, parts.length)));
    }

    /** Frames that load, verify, link or resolve a class, a method or a call site (lambdas and method handles included). */
    private static final List<String> CLASS_LOADING = List.of("SystemDictionary", "ClassFileParser", "ClassLoader::",
            "KlassFactory::", "Verifier::", "ClassVerifier::", "Rewriter::", "InstanceKlass::link", "LinkResolver::",
            "InterpreterRuntime::resolve", "ConstantPool::klass_at", "JVM_DefineClass", "JVM_FindClass", "JVM_LookupDefineClass",
            "java/lang/ClassLoader.loadClass", "java/lang/ClassLoader.defineClass", "jdk/internal/loader/", "java/lang/invoke/",
            "java/lang/Class.forName");

    /**
     * Which part of the process a sample is in: JIT compiler, GC, the kernel on behalf of an event
     * loop, class loading and linking (the nearest such frame under the sample, unless a static
     * initialiser's call comes first: that is the initialiser's own work), the interpreter, …
     */
    private static String kind(String stack, String[] frames) {
        String leaf = frames[frames.length - 1];
        // a thread is named as Linux keeps it, cut to 15 characters ("C2 CompilerThre")
        if (stack.contains("CompileBroker::") || stack.startsWith("[C1 CompilerThre") || stack.startsWith("[C2 CompilerThre")) {
            return "JIT compiler threads";
        }
        if (stack.contains("GCTaskThread") || stack.contains("WorkerThread::") || stack.contains("ConcurrentGCThread")
                || stack.contains("G1") && !stack.contains("EventLoop")
                || stack.contains("GenCollectedHeap::") || stack.contains("VM_GenCollect")) { // the serial collector runs in the VM thread
            return "GC (its threads, or the VM thread collecting)";
        }
        if (stack.contains("RedisBroker.subscribe") || stack.contains("ShardedBroker") || stack.contains("RedisStreams")) {
            return "Redis subscriber thread (reading and decoding the fleet's messages)";
        }
        boolean eventLoop = stack.contains("EventLoop");
        if (leaf.endsWith("_[k]")) {
            return eventLoop ? "event loops, in the kernel (system calls: send, epoll, read)" : "other threads, in the kernel";
        }
        for (int i = frames.length - 1; i >= 0; i--) {
            String frame = frames[i];
            if (frame.startsWith("InstanceKlass::call_class_initializer")) {
                break;
            }
            if (CLASS_LOADING.stream().anyMatch(frame::contains)) {
                return "class loading and linking (parse, verify, link, resolve; lambdas)";
            }
        }
        if (leaf.endsWith("_[0]") || leaf.equals("Interpreter") || leaf.startsWith("InterpreterRuntime::")) {
            return eventLoop ? "event loops, interpreted Java code" : "other threads, interpreted Java code";
        }
        if (eventLoop) {
            return stack.contains("G1") || stack.contains("MemAllocator") || stack.contains("OptoRuntime::new")
                    ? "event loops, allocating (slow path in the JVM)" : "event loops, Java code and the JVM";
        }
        return "other threads (VM thread, timers, start-up)";
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("\n" + title + ":");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }

    private static String name(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }
}
