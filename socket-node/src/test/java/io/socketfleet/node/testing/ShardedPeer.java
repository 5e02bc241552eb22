package io.socketfleet.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.socketfleet.node.socketio.parser.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Node socket.io 4.8 server on {@code createShardedAdapter} (src/test/js/sharded-peer.js),
 * driven command by command: its server API (fetchSockets, serverSideEmit, emitWithAck…) and the
 * official socket.io-clients it runs against any server.
 */
public final class ShardedPeer implements AutoCloseable {

    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(1000);
    private final int port;
    private int nextId;

    private ShardedPeer(Process process, int port) {
        this.process = process;
        this.port = port;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "sharded-peer-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the peer; {@code cluster} when the URL names a node of a Redis Cluster. */
    public static ShardedPeer start(String redisUrlWithPassword, String subscriptionMode, boolean cluster) throws Exception {
        int port = RedisServer.freePort();
        Process process = NodeScripts.node(NodeScripts.script("sharded-peer.js").toString(), Integer.toString(port),
                redisUrlWithPassword, subscriptionMode, cluster ? "cluster" : "single")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ShardedPeer peer = new ShardedPeer(process, port);
        String first = peer.lines.poll(60, TimeUnit.SECONDS);
        if (!"listening".equals(first)) {
            process.destroyForcibly();
            throw new IllegalStateException("the Node sharded peer did not start: " + first);
        }
        return peer;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Runs one command and returns its result; an error the script reports fails the call. */
    public synchronized JsonNode call(String op, Map<String, ?> args) {
        try {
            ObjectNode command = Json.MAPPER.valueToTree(args);
            int id = ++nextId;
            command.put("id", id).put("op", op);
            in.write(Json.MAPPER.writeValueAsString(command) + "\n");
            in.flush();
            while (true) {
                String line = lines.poll(60, TimeUnit.SECONDS);
                if (line == null) {
                    throw new AssertionError("the Node sharded peer did not answer " + op + " " + args);
                }
                JsonNode answer = Json.MAPPER.readTree(line);
                if (answer.path("id").asInt() != id) {
                    continue;
                }
                if (answer.has("error")) {
                    throw new AssertionError(op + " " + args + " failed in the Node peer: " + answer.get("error").asText());
                }
                return answer.get("result");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode call(String op) {
        return call(op, Map.of());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
