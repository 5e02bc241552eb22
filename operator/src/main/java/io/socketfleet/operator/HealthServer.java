package io.socketfleet.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.socketfleet.operator.metrics.OperatorMetrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The operator's /healthz, /readyz and /metrics for probes and Prometheus. */
public final class HealthServer implements AutoCloseable {

    private final HttpServer server;

    /** @param port the port to listen on, 0 for any free one ({@link #port()}) */
    public HealthServer(int port, Operator operator, OperatorMetrics metrics) throws IOException {
        metrics.started(() -> operator.getRuntimeInfo().isStarted());
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthz", exchange -> respond(exchange, 200, "ok\n"));
        server.createContext("/readyz", exchange -> {
            boolean ready = operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
            respond(exchange, ready ? 200 : 503, ready ? "ready\n" : "not ready\n");
        });
        server.createContext("/metrics", exchange -> respond(exchange, 200, metrics.scrape()));
        server.start();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
