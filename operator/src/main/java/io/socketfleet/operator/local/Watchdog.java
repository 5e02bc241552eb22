package io.socketfleet.operator.local;

import java.io.PrintStream;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Keeps one process that local mode started running (Redis, nginx): notices when it died, says
 * so in one line, and starts it again with {@link Backoff}; each attempt's outcome is one line
 * more.
 */
final class Watchdog {

    /** Starts the process again; returns what to tell the console, after "NAME is back". */
    interface Restart {
        String run() throws LocalFleetException;
    }

    private final String name;
    private final BooleanSupplier alive;
    private final Supplier<String> exit;
    private final String whileDown;
    private final Restart restart;
    private final PrintStream log;
    private Backoff restarts = Backoff.NONE;
    private long upSince;

    /**
     * @param alive     whether the process runs
     * @param exit      how it ended ("exit 137")
     * @param whileDown what its absence means, for the line saying it died
     */
    Watchdog(String name, BooleanSupplier alive, Supplier<String> exit, String whileDown, Restart restart, PrintStream log, long now) {
        this.name = name;
        this.alive = alive;
        this.exit = exit;
        this.whileDown = whileDown;
        this.restart = restart;
        this.log = log;
        this.upSince = now;
    }

    /** Looks once, and starts the process again when it is down and its backoff has passed. */
    void check(long now) {
        if (alive.getAsBoolean()) {
            return;
        }
        if (upSince >= 0) { // it just died
            restarts = restarts.failed(now, upSince);
            upSince = -1;
            log.println("socketfleet: " + name + " died (" + exit.get() + "); " + whileDown + "; starting it again in "
                    + restarts.secondsLeft(now) + " s");
        }
        if (!restarts.due(now)) {
            return;
        }
        try {
            String note = restart.run();
            upSince = now;
            log.println("socketfleet: " + name + " is back" + note);
        } catch (LocalFleetException e) {
            restarts = restarts.failed(now, -1);
            log.println("socketfleet: could not start " + name + " again (" + e.getMessage() + "); next try in "
                    + restarts.secondsLeft(now) + " s");
        }
    }
}
