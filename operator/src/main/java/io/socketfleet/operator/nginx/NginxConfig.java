package io.socketfleet.operator.nginx;

import io.socketfleet.operator.api.NginxSpec;
import io.socketfleet.operator.api.SocketFleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * Renders the complete nginx.conf for a fleet: a pure function of (fleet spec, ready backends,
 * runtime). Same input, same bytes; backends are sorted, so the output only changes when the
 * set of ready backends (or the spec) does.
 *
 * <p>New connections are spread by {@code hash <key> consistent} (default key: the random
 * Sec-WebSocket-Key). Requests carrying an Engine.IO {@code sid} (long-polling and the
 * upgrade) go to the node that issued it, found by the sid's route-token prefix in a map
 * that lists exactly the backends — the sid never becomes an address by itself.
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

    public static String render(SocketFleet fleet, List<Backend> readyBackends, NginxRuntime runtime) {
        NginxSpec nginx = fleet.getSpec().getNginx();
        TreeSet<Backend> backends = new TreeSet<>(readyBackends);
        String fleetName = fleet.getMetadata().getNamespace() == null
                ? fleet.getMetadata().getName()
                : fleet.getMetadata().getNamespace() + "/" + fleet.getMetadata().getName();
        StringBuilder out = new StringBuilder(2048);
        out.append("# nginx.conf for SocketFleet ").append(fleetName).append(", written by socketfleet.\n")
           .append("# Do not edit: it is rewritten whenever the fleet's ready backends change.\n")
           .append("# Ready backends: ").append(backends.size()).append('\n')
           .append("worker_processes auto;\n")
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
        if (backends.isEmpty()) {
            appendNoBackendsServer(out, runtime, fleetName);
        } else {
            appendRouting(out, nginx, backends);
            appendServer(out, nginx, runtime);
        }
        String text = out.append("}\n").toString();
        // Name this exact config on the health endpoint, so whoever reloads nginx can tell when it is live.
        return text.replace(CONFIG_ID_PLACEHOLDER, configId(text));
    }

    /** The id the rendered config announces: derived from its text, the same for the same input. */
    public static String configId(String config) {
        String withoutId = config.replaceAll(CONFIG_ID_HEADER + " ([0-9a-f]{16}|" + CONFIG_ID_PLACEHOLDER + ")", CONFIG_ID_HEADER);
        return hash(withoutId).substring(0, 16);
    }

    private static void appendRouting(StringBuilder out, NginxSpec nginx, TreeSet<Backend> backends) {
        out.append("    # Requests of an existing Engine.IO session go to the node that owns it.\n")
           .append("    map $arg_sid $fleet_peer {\n")
           .append("        default socket_nodes;\n");
        for (Backend backend : backends) {
            out.append("        \"~^").append(backend.routeToken()).append("\\.\" ").append(backend.address())
               .append(";  # ").append(backend.name()).append('\n');
        }
        out.append("    }\n\n")
           .append("    # New connections: consistent hash of ").append(nginx.getHashKey()).append(".\n")
           .append("    upstream socket_nodes {\n")
           .append("        hash ").append(nginx.getHashKey()).append(" consistent;\n");
        String weight = nginx.getServerWeight() > 1 ? " weight=" + nginx.getServerWeight() : "";
        for (Backend backend : backends) {
            out.append("        server ").append(backend.address()).append(weight)
               .append(" max_fails=1 fail_timeout=5s;\n");
        }
        out.append("    }\n\n");
    }

    private static void appendServer(StringBuilder out, NginxSpec nginx, NginxRuntime runtime) {
        String proxy = proxySettings(nginx);
        out.append("    server {\n")
           .append("        listen ").append(runtime.listen()).append(";\n\n")
           .append(HEALTH_LOCATION)
           .append("        location /socket.io/ {\n")
           .append("            proxy_pass http://$fleet_peer;\n")
           .append(proxy)
           .append("        }\n\n")
           .append("        location / {\n")
           .append("            proxy_pass http://socket_nodes;\n")
           .append(proxy)
           .append("        }\n")
           .append("    }\n");
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
           .append("    server {\n")
           .append("        listen ").append(runtime.listen()).append(";\n\n")
           .append(HEALTH_LOCATION)
           .append("        location / {\n")
           .append("            default_type application/json;\n")
           .append("            return 503 '{\"error\":\"no ready socket-node in fleet ").append(fleetName).append("\"}';\n")
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
