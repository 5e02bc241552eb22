package io.socketfleet.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A text profile from a flight recording (the runner's --jfr): the methods most often on top of
 * the stack in JFR's execution samples (where CPU goes) and the methods most often anywhere on it
 * (what it goes for), each as a share of all samples, plus the GC and compiler time recorded.
 * Usage: java -cp socketfleet-bench.jar io.socketfleet.bench.ProfileSummary FILE.jfr [TOP]
 */
public final class ProfileSummary {

    private ProfileSummary() {
    }

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
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

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("\n" + title + ":");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }

    private static String name(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }
}
