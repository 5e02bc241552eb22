package io.socketfleet.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** ProfileSummary's reading of async-profiler's folded stacks, as a cold start's profile (threads, ann) writes them. */
class ProfileSummaryTest {

    @TempDir
    Path dir;

    @Test
    void aColdStartProfileIsSplitIntoCompilerClassLoadingInterpreterGcAndTheStartsSteps() throws Exception {
        Path folded = dir.resolve("start.collapsed");
        Files.writeString(folded, String.join("\n",
                "[C2 CompilerThre tid=7];start_thread;thread_native_entry;C2Compiler::compile_method 10",
                "[C1 CompilerThre tid=8];start_thread;__schedule_[k] 10",
                "[main tid=2];io/socketfleet/node/Main.main_[j];picocli/CommandLine.execute_[j];"
                        + "io/socketfleet/node/Main.run_[j];io/socketfleet/node/SocketNode.<init>_[j];"
                        + "io/socketfleet/node/Warmup.run_[1];io/netty/channel/Foo.bar_[0] 20",
                "[main tid=2];io/socketfleet/node/Main.main_[j];picocli/CommandLine.parseArgs_[j];"
                        + "InterpreterRuntime::resolve_from_cache;LinkResolver::resolve_invoke;SystemDictionary::resolve 20",
                // a static initialiser's own code is its class's work, not class loading
                "[main tid=2];io/socketfleet/node/Main.main_[j];InterpreterRuntime::resolve_from_cache;"
                        + "InstanceKlass::call_class_initializer;org/slf4j/LoggerFactory.<clinit>_[0] 20",
                "[VM Thread tid=5];VMThread::run;VM_GenCollectForAllocation::doit;GenCollectedHeap::collect 10",
                "[multiThreadIoEventLoopGroup-3-1 tid=9];io/netty/channel/SingleThreadIoEventLoop.run_[j];"
                        + "io/socketfleet/node/engineio/EngineSession.send_[1] 10") + "\n");

        String summary = summary(folded);

        assertTrue(summary.contains("100 CPU samples"), summary);
        assertTrue(summary.contains("20.0 %  JIT compiler threads"), summary); // by thread name, with or without CompileBroker
        assertTrue(summary.contains("20.0 %  class loading and linking"), summary);
        assertTrue(summary.contains("40.0 %  other threads, interpreted Java code"), summary);
        assertTrue(summary.contains("10.0 %  GC (its threads, or the VM thread collecting)"), summary);
        assertTrue(summary.contains("10.0 %  event loops, Java code and the JVM"), summary);
        // one method whatever the tier it ran in
        assertTrue(summary.contains("20.0 %  io/netty/channel/Foo.bar\n"), summary);
        assertTrue(summary.contains("20.0 %  warm-up (Warmup.run)"), summary);
        assertTrue(summary.contains("20.0 %  picocli, outside Main.run"), summary);
        assertTrue(summary.contains("20.0 %  logging (org/slf4j)"), summary);
    }

    private static String summary(Path folded) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            ProfileSummary.main(new String[] {folded.toString(), "40"});
        } finally {
            System.setOut(out);
        }
        return printed.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
