package io.socketfleet.operator.nginx;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.socketfleet.operator.api.NginxSpec;

import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where nginx runs: what it listens on, how many workers it starts, and where it keeps its pid,
 * temp files and logs. Differs between the nginx pod and local mode; the proxying itself does not.
 * Every value is checked here, as it is written into nginx.conf verbatim.
 *
 * @param listen          the {@code listen} argument: a port (IPv4), or address:port
 * @param ipv6            also listen on {@code [::]} at the same port (only with a bare port)
 * @param workerProcesses nginx worker processes
 * @param pidFile         path of the pid file
 * @param tempDir         directory for nginx's temp paths (writable by a non-root nginx)
 * @param errorLog        error log target, optionally followed by a level ("/dev/stderr warn")
 * @param accessLog       access log target, or "off"
 * @param statusListen    where nginx serves its {@code stub_status} counters ({@code ADDRESS:PORT}, never the public
 *                        listener), or null for none
 */
public record NginxRuntime(String listen, boolean ipv6, int workerProcesses, String pidFile, String tempDir, String errorLog,
                           String accessLog, String statusListen) {

    /**
     * Where nginx serves {@code stub_status} in the pod: loopback only, so nothing outside the pod
     * reaches it; the metrics exporter beside nginx shares the pod's network and reads it there.
     */
    public static final String POD_STATUS_LISTEN = "127.0.0.1:" + NginxSpec.STATUS_PORT;
    /** The path of nginx's counters on {@link #statusListen}. */
    public static final String STATUS_PATH = "/stub_status";

    /** Outside a pod nothing limits nginx's CPU; two workers carry a laptop's fleet. */
    public static final int LOCAL_WORKERS = Math.min(2, Runtime.getRuntime().availableProcessors());

    private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");
    /** An IPv4 literal, a bracketed IPv6 literal or a host name, then a port. */
    private static final Pattern ADDRESS_AND_PORT = Pattern.compile("([0-9A-Za-z.-]+|\\[[0-9A-Fa-f:.]+\\]):[1-9][0-9]{0,4}");
    /** Paths and log levels: no space, quote, ';', '{', '}', '#', '$' or control character can reach the config. */
    private static final Pattern SAFE_TOKEN = Pattern.compile("[A-Za-z0-9_./@+=,:-]+");

    public NginxRuntime {
        if (listen == null || !(PORT.matcher(listen).matches() || ADDRESS_AND_PORT.matcher(listen).matches())) {
            throw new IllegalArgumentException("nginx listen must be PORT or ADDRESS:PORT, got '" + listen + "'");
        }
        if (ipv6 && !PORT.matcher(listen).matches()) {
            throw new IllegalArgumentException("IPv6 listening needs a bare port, got '" + listen + "'");
        }
        if (statusListen != null && !ADDRESS_AND_PORT.matcher(statusListen).matches()) {
            throw new IllegalArgumentException("nginx status listen must be ADDRESS:PORT, got '" + statusListen + "'");
        }
        if (statusListen != null && (statusListen.equals(listen) || statusListen.endsWith(":" + listen))) {
            throw new IllegalArgumentException("nginx's status must not share the public listener " + listen);
        }
        if (workerProcesses < 1) {
            throw new IllegalArgumentException("nginx needs at least one worker process, got " + workerProcesses);
        }
        for (String value : List.of(pidFile, tempDir, errorLog, accessLog)) {
            for (String token : value.split(" ", -1)) {
                if (!SAFE_TOKEN.matcher(token).matches()) {
                    throw new IllegalArgumentException("unsafe character in nginx runtime setting '" + value + "'");
                }
            }
        }
    }

    /** A runtime listening on IPv4 only with {@link #LOCAL_WORKERS} workers, as local mode and tests run nginx. */
    public NginxRuntime(String listen, String pidFile, String tempDir, String errorLog, String accessLog) {
        this(listen, false, LOCAL_WORKERS, pidFile, tempDir, errorLog, accessLog, null);
    }

    /** A runtime without a status listener. */
    public NginxRuntime(String listen, boolean ipv6, int workerProcesses, String pidFile, String tempDir, String errorLog,
                        String accessLog) {
        this(listen, ipv6, workerProcesses, pidFile, tempDir, errorLog, accessLog, null);
    }

    /** The same runtime serving {@code stub_status} on {@code statusListen} too. */
    public NginxRuntime withStatus(String statusListen) {
        return new NginxRuntime(listen, ipv6, workerProcesses, pidFile, tempDir, errorLog, accessLog, statusListen);
    }

    /**
     * The nginx pod: unprivileged image, read-only root file system, writable /tmp; IPv4 and
     * IPv6 (a single-stack cluster has either), one worker per CPU of the container's limit, and
     * {@code stub_status} on loopback for the metrics exporter.
     */
    public static NginxRuntime inPod(NginxSpec nginx) {
        return new NginxRuntime(Integer.toString(nginx.getPort()), true, workersFor(nginx.getResources()), "/tmp/nginx.pid", "/tmp",
                "/dev/stderr warn", "/dev/stdout", POD_STATUS_LISTEN);
    }

    /**
     * One worker per CPU the container may use: its CPU limit, else its request, rounded up;
     * 1 when neither is set. ("auto" would count the host's CPUs, not the container's share.)
     */
    static int workersFor(ResourceRequirements resources) {
        Quantity cpu = cpu(resources == null ? null : resources.getLimits());
        if (cpu == null) {
            cpu = cpu(resources == null ? null : resources.getRequests());
        }
        if (cpu == null) {
            return 1;
        }
        int cpus = Quantity.getAmountInBytes(cpu).setScale(0, RoundingMode.CEILING).intValueExact();
        return Math.max(1, Math.min(cpus, 64));
    }

    private static Quantity cpu(Map<String, Quantity> amounts) {
        return amounts == null ? null : amounts.get("cpu");
    }

    /** The arguments of the server's {@code listen} directives. */
    public List<String> listenDirectives() {
        List<String> directives = new ArrayList<>(List.of(listen));
        if (ipv6) {
            directives.add("[::]:" + listen);
        }
        return directives;
    }
}
