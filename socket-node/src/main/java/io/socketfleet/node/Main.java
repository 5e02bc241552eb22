package io.socketfleet.node;

import io.netty.util.ResourceLeakDetector;
import io.socketfleet.node.demo.DemoApp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** socket-node as a program: reads its settings from flags and environment, runs until SIGTERM, then drains. */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        quietNetty();
        CommandLine commandLine = new CommandLine(NodeCommandLine.spec());
        commandLine.setParameterExceptionHandler((e, ignored) -> {
            System.err.println("socket-node: " + e.getMessage() + " (see --help)");
            return CommandLine.ExitCode.USAGE;
        });
        commandLine.setExecutionStrategy(parsed -> {
            Integer helpExit = CommandLine.executeHelpRequest(parsed);
            if (helpExit != null) {
                return helpExit;
            }
            NodeConfig config = NodeConfig.from(NodeCommandLine.settings(parsed));
            try {
                return run(config);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            } catch (ExecutionException e) {
                throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), "drain failed", e.getCause());
            }
        });
        System.exit(commandLine.execute(args));
    }

    /**
     * Netty's defaults a serving node does without, unless a system property asks for them: leak
     * detection samples one buffer in 128 and records a stack trace at each of its uses — a cost on
     * every write of a broadcast's fan-out for a report that belongs in tests.
     */
    public static void quietNetty() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    private static int run(NodeConfig config) throws InterruptedException, ExecutionException {
        // One line with every effective setting, read back from what the node holds: what an operator checks first.
        log.info("node {} settings: {}", config.nodeName(), config.settings());
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());

        DemoApp[] demoApp = new DemoApp[1];
        SocketNode node = SocketNode.start(config, n -> {
            if (config.demo()) {
                demoApp[0] = DemoApp.install(n.io(), config.nodeName());
            }
        });
        stop.await();
        log.info("stop requested: draining over {} s", config.drainPeriod().toSeconds());
        try {
            node.drain().get(config.drainPeriod().plus(SocketNode.SESSION_WRITE_WAIT).toSeconds() + 5L, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("drain did not finish in time; closing the remaining sessions");
        }
        if (demoApp[0] != null) {
            demoApp[0].close();
        }
        node.close();
        log.info("node {} stopped", config.nodeName());
        return 0;
    }
}
