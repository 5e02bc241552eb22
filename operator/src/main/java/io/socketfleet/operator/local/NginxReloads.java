package io.socketfleet.operator.local;

import java.io.PrintStream;
import java.util.Optional;

/**
 * Reloads nginx when a plan asks for a new config. A reload nginx refuses is reported once, in
 * nginx's own words, and tried again with {@link Backoff} while nginx keeps the config it runs
 * (the next plans keep asking); the reload that works says how many attempts failed before it.
 */
final class NginxReloads {

    /** The nginx being reloaded. */
    interface Target {
        boolean isAlive();

        boolean runs(String config);

        /** Empty when nginx now runs the config, otherwise nginx's words why not. */
        Optional<String> apply(String config);
    }

    private final Target nginx;
    private final PrintStream log;
    private Backoff failures = Backoff.NONE;

    NginxReloads(Target nginx, PrintStream log) {
        this.nginx = nginx;
        this.log = log;
    }

    /**
     * Makes nginx run {@code config} if it can now; true when it does.
     *
     * @param change the console line describing the change (null when only draining nodes changed)
     */
    boolean reload(String config, String change, long now) {
        if (nginx.runs(config)) {
            return true;
        }
        if (!nginx.isAlive() || !failures.due(now)) {
            return false; // a dead master is the watchdog's; a refused reload waits for its backoff
        }
        Optional<String> problem = nginx.apply(config);
        if (problem.isPresent()) {
            failures = failures.failed(now, -1);
            if (failures.failures() == 1) {
                log.println("socketfleet: could not reload nginx, it keeps the previous config: " + problem.get()
                        + "; retrying with backoff (1 s doubling to 32 s)");
            }
            return false;
        }
        if (change != null || failures.failing()) {
            log.println("socketfleet: " + (change != null ? change + "; " : "") + "nginx reloaded in place"
                    + (failures.failing() ? " after " + failures.failures() + " failed attempt(s)" : ""));
        }
        failures = Backoff.NONE;
        return true;
    }
}
