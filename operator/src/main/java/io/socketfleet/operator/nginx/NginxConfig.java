package io.socketfleet.operator.nginx;

import io.socketfleet.operator.api.FleetNameRules;
import io.socketfleet.operator.api.NginxSpec;
import io.socketfleet.operator.api.SocketFleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renders the complete nginx.conf for a fleet: a pure function of (fleet spec, backends,
 * runtime). Same input, same bytes; backends are sorted, so the output only changes when the
 * set of backends (or the spec) does. Nothing user-supplied reaches the text unchecked: names
 * must be DNS labels, the hash key nginx variables, addresses IP literals, runtime paths plain.
 *
 * <p>New connections are spread by {@code hash <key> consistent} (default key: the random
 * Sec-WebSocket-Key). Requests carrying an Engine.IO {@code sid} (long-polling and the
 * upgrade) go to the node that issued it, found by the sid's route-token prefix in a map
 * that lists exactly the backends — the sid never becomes an address by itself. A draining
 * node stays in that map but not in the upstream: its sessions keep working while it closes
 * them, and new connections go to the others.
 */
public final class NginxConfig {

    /** Response header of /nginx-healthz naming the config nginx is running. */
    public static final String CONFIG_ID_HEADER = "X-Socketfleet-Config";
    private static final String CONFIG_ID_PLACEHOLDER = "@CONFIG_ID@";
    private static final String HEALTH_LOCATION = "        location = /nginx-healthz {\n"
            + "            access_log off;\n"
            + "            add_header " + CONFIG_ID_HEADER + " " + CONFIG_ID_PLACEHOLDER + " always;\n"
            + "            return 200 \"ok\\n\";\n"
            + "        }\n\n";

    private NginxConfig() {
    }

    /**
     * The config for these backends: ready ones take new connections and route their sessions,
     * draining ones only route their sessions (see {@link Backend}).
     *
     * @throws IllegalArgumentException when the fleet's name or namespace is not a DNS label
     *                                  (the validator refuses such a fleet before anything renders)
     */
    public static String render(SocketFleet fleet, List<Backend> backends, NginxRuntime runtime) {
        String fleetName = fleetName(fleet);
        NginxSpec nginx = fleet.getSpec().getNginx();
        if (nginx.getHashKey() == null || !nginx.getHashKey().matches(NginxSpec.HASH_KEY_PATTERN)) {
            throw new IllegalArgumentException("spec.nginx.hashKey must be nginx variables only, got '" + nginx.getHashKey() + "'");
        }
        TreeSet<Backend> routed = routed(backends);
        List<Backend> ready = routed.stream().filter(b -> !b.draining()).toList();
        StringBuilder out = new StringBuilder(2048);
        out.append("# nginx.conf for SocketFleet ").append(fleetName).append(", written by socketfleet.\n")
           .append("# Do not edit: it is rewritten whenever the fleet's backends change.\n")
           .append("# Ready backends: ").append(ready.size()).append(", draining: ").append(routed.size() - ready.size()).append('\n')
           .append("worker_processes ").append(runtime.workerProcesses()).append(";\n")
           // After a reload the old workers keep their websockets (clients of surviving nodes stay connected);
           // the timeout bounds how long, so old worker generations cannot pile up without end.
           .append("worker_shutdown_timeout ").append(shutdownTimeoutSeconds(fleet)).append("s;\n")
           .append("pid ").append(runtime.pidFile()).append(";\n")
           .append("error_log ").append(runtime.errorLog()).append(";\n\n")
           .append("events {\n    worker_connections 16384;\n}\n\n")
           .append("http {\n")
           .append("    access_log ").append(runtime.accessLog()).append(";\n");
        for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            out.append("    ").append(temp).append("_temp_path ").append(runtime.tempDir()).append('/').append(temp)
               .append("_temp;\n");
        }
        out.append("    server_tokens off;\n\n")
           .append("    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        ''      close;\n    }\n\n");
        if (routed.isEmpty()) {
            appendNoBackendsServer(out, runtime, fleetName);
        } else {
            appendSessionMap(out, routed, !ready.isEmpty());
            if (!ready.isEmpty()) {
                appendUpstream(out, nginx, ready);
            }
            appendServer(out, nginx, runtime, ready.isEmpty() ? fleetName : null);
        }
        if (runtime.statusListen() != null) {
            appendStatusServer(out, runtime.statusListen());
        }
        String text = out.append("}\n").toString();
        // Name this exact config on the health endpoint, so whoever reloads nginx can tell when it is live.
        return text.replace(CONFIG_ID_PLACEHOLDER, configId(text));
    }

    /**
     * The seconds old nginx workers keep their connections after a reload. Not the drain period:
     * that would close every websocket of every surviving node shortly after each scale step.
     */
    public static int shutdownTimeoutSeconds(SocketFleet fleet) {
        Integer seconds = fleet.getSpec().getNginx().getWorkerShutdownTimeoutSeconds();
        return Math.max(1, seconds == null ? 1 : seconds); // 0 would mean no limit at all
    }

    /** "namespace/name", once both are known to be DNS labels (so safe in comments and strings). */
    private static String fleetName(SocketFleet fleet) {
        String name = fleet.getMetadata().getName();
        String namespace = fleet.getMetadata().getNamespace();
        String problem = FleetNameRules.nameProblem(name);
        if (problem == null && namespace != null) {
            problem = FleetNameRules.namespaceProblem(namespace);
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return namespace == null ? name : namespace + "/" + name;
    }

    /** One entry per address; a node listed both ready and draining (slices overlap briefly) counts as ready. */
    private static TreeSet<Backend> routed(List<Backend> backends) {
        Map<String, Backend> byAddress = new HashMap<>();
        for (Backend backend : backends) {
            byAddress.merge(backend.address(), backend, (a, b) -> a.draining() ? b : a);
        }
        return new TreeSet<>(byAddress.values());
    }

    /** The id the rendered config announces: derived from its text, the same for the same input. */
    public static String configId(String config) {
        String withoutId = config.replaceAll(CONFIG_ID_HEADER + " ([0-9a-f]{16}|" + CONFIG_ID_PLACEHOLDER + ")", CONFIG_ID_HEADER);
        return hash(withoutId).substring(0, 16);
    }

    private static void appendSessionMap(StringBuilder out, TreeSet<Backend> routed, boolean anyReady) {
        out.append("    # Requests of an existing Engine.IO session go to the node that owns it, draining or not.\n")
           .append("    map $arg_sid $fleet_peer {\n")
           .append("        default ").append(anyReady ? "socket_nodes" : "\"\"").append(";\n");
        for (Backend backend : routed) {
            out.append("        \"~^").append(backend.routeToken()).append("\\.\" ").append(backend.address())
               .append(";  # ").append(label(backend.name())).append(backend.draining() ? ", draining" : "").append('\n');
        }
        out.append("    }\n\n");
    }

    private static void appendUpstream(StringBuilder out, NginxSpec nginx, List<Backend> ready) {
        out.append("    # New connections: consistent hash of ").append(nginx.getHashKey()).append(" over the ready nodes.\n")
           .append("    upstream socket_nodes {\n")
           .append("        hash ").append(nginx.getHashKey()).append(" consistent;\n");
        String weight = nginx.getServerWeight() > 1 ? " weight=" + nginx.getServerWeight() : "";
        for (Backend backend : ready) {
            // No passive health checks: readiness decides who is listed, and each request still tries the next
            // node on an error, a timeout or a 503. Counted failures would take a node out of the hash for a
            // node's own flow control (a drain's or a full node's 503, one slow connect on a loaded host), and
            // only a request to it that ends would bring it back — a websocket held open never ends.
            out.append("        server ").append(backend.address()).append(weight).append(" max_fails=0;\n");
        }
        out.append("    }\n\n");
    }

    /** The proxying server; with {@code noReadyFleet} set, only sessions of draining nodes are served, the rest gets 503. */
    private static void appendServer(StringBuilder out, NginxSpec nginx, NginxRuntime runtime, String noReadyFleet) {
        String proxy = proxySettings(nginx);
        out.append("    server {\n");
        appendListen(out, runtime);
        out.append(HEALTH_LOCATION)
           .append("        location /socket.io/ {\n");
        if (noReadyFleet != null) {
            out.append("            if ($fleet_peer = \"\") {\n")
               .append("                ").append(noReadyAnswer(noReadyFleet))
               .append("            }\n");
        }
        out.append("            proxy_pass http://$fleet_peer;\n")
           .append(proxy)
           .append("        }\n\n")
           .append("        location / {\n");
        if (noReadyFleet != null) {
            out.append("            default_type application/json;\n")
               .append("            ").append(noReadyAnswer(noReadyFleet));
        } else {
            out.append("            proxy_pass http://socket_nodes;\n")
               .append(proxy);
        }
        out.append("        }\n")
           .append("    }\n");
    }

    private static void appendListen(StringBuilder out, NginxRuntime runtime) {
        for (String listen : runtime.listenDirectives()) {
            out.append("        listen ").append(listen).append(";\n");
        }
        out.append('\n');
    }

    /**
     * nginx's own counters (active connections, accepted, requests, reading/writing/waiting) for
     * the metrics exporter, on a listener of their own: the public one never serves them.
     */
    private static void appendStatusServer(StringBuilder out, String statusListen) {
        out.append("\n    # nginx's counters for the metrics exporter: never on the public listener.\n")
           .append("    server {\n")
           .append("        listen ").append(statusListen).append(";\n")
           .append("        access_log off;\n\n")
           .append("        location = ").append(NginxRuntime.STATUS_PATH).append(" {\n")
           .append("            stub_status;\n")
           .append("        }\n\n")
           .append("        location / {\n")
           .append("            return 404;\n")
           .append("        }\n")
           .append("    }\n");
    }

    private static String noReadyAnswer(String fleetName) {
        return "return 503 '{\"error\":\"no ready socket-node in fleet " + fleetName + "\"}';\n";
    }

    /** A backend's name as a comment may carry it: pod names come from the cluster, but a newline must never end the comment. */
    private static String label(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._:-]", "_");
        return safe.length() > 253 ? safe.substring(0, 253) : safe;
    }

    private static String proxySettings(NginxSpec nginx) {
        return "            proxy_http_version 1.1;\n"
             + "            proxy_set_header Upgrade $http_upgrade;\n"
             + "            proxy_set_header Connection $connection_upgrade;\n"
             + "            proxy_set_header Host $host;\n"
             + "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
             + "            proxy_set_header X-Forwarded-Proto $scheme;\n"
             + "            proxy_connect_timeout " + nginx.getProxyConnectTimeoutSeconds() + "s;\n"
             + "            proxy_read_timeout " + nginx.getProxyReadTimeoutSeconds() + "s;\n"
             + "            proxy_send_timeout " + nginx.getProxyReadTimeoutSeconds() + "s;\n"
             + "            proxy_buffering off;\n"
             // A node that refuses (draining, full) or is gone: try the next one on the ring.
             + "            proxy_next_upstream error timeout http_502 http_503;\n";
    }

    private static void appendNoBackendsServer(StringBuilder out, NginxRuntime runtime, String fleetName) {
        out.append("    # No ready socket-node: every request gets 503 until one is ready.\n")
           .append("    server {\n");
        appendListen(out, runtime);
        out.append(HEALTH_LOCATION)
           .append("        location / {\n")
           .append("            default_type application/json;\n")
           .append("            ").append(noReadyAnswer(fleetName))
           .append("        }\n")
           .append("    }\n");
    }

    /** SHA-256 of the rendered text, hex: what the operator stamps on the nginx pods. */
    public static String hash(String config) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
