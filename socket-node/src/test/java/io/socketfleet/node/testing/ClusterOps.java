package io.socketfleet.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.socketio.Replies;
import io.socketfleet.node.socketio.Ack;
import io.socketfleet.node.socketio.BroadcastOperator;
import io.socketfleet.node.socketio.RemoteSocket;
import io.socketfleet.node.socketio.Socket;
import io.socketfleet.node.socketio.SocketIoServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fleet-wide operations, run on this node at a client's request: the same events as
 * node-peer.js answers, so one client scenario (scenarios.js "clusterOps") drives either
 * server and compares what each sees.
 */
final class ClusterOps {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final SocketIoServer io;
    private final String nodeName;
    private final List<String> notes = new CopyOnWriteArrayList<>();

    private ClusterOps(SocketIoServer io, String nodeName) {
        this.io = io;
        this.nodeName = nodeName;
    }

    static void install(SocketIoServer io, String nodeName) {
        ClusterOps ops = new ClusterOps(io, nodeName);
        io.onServerSideEmit("ping", (args, ack) -> ack.send(Map.of("node", nodeName, "got", args.get(0))));
        io.onServerSideEmit("note", (args, ack) -> ops.notes.add(args.get(0).asText()));
        io.mainNamespace().onConnection(ops::onConnection);
    }

    private void onConnection(Socket socket) {
        JsonNode user = socket.handshake().auth().path("user");
        if (user.isTextual()) {
            socket.data().put("user", user.asText());
        }
        socket.on("fetch", (args, ack) -> target(args.get(0)).fetchSockets()
                .thenAccept(sockets -> ack.send(sockets.stream().map(ClusterOps::describe).toList())));
        socket.on("sockets-join", (args, ack) -> {
            target(args.get(0)).socketsJoin(args.get(1).asText());
            ack.send();
        });
        socket.on("sockets-leave", (args, ack) -> {
            target(args.get(0)).socketsLeave(args.get(1).asText());
            ack.send();
        });
        socket.on("disconnect-sockets", (args, ack) -> {
            target(args.get(0)).disconnectSockets(args.get(1).asBoolean());
            ack.send();
        });
        socket.on("ask-all", (args, ack) -> settled(target(args.get(0)).emitWithAck("question", "who?"), ack));
        socket.on("server-ping", (args, ack) -> settled(io.serverSideEmitWithAck(TIMEOUT, "ping", args.get(0)), ack));
        socket.on("server-note", (args, ack) -> {
            io.serverSideEmit("note", args.get(0));
            ack.send();
        });
        socket.on("notes", (args, ack) -> ack.send(List.copyOf(notes)));
        socket.on("remote-direct", (args, ack) -> byUser(args.get(0).asText()).thenAccept(remote -> {
            remote.emit("direct", args.get(1));
            remote.join("touched");
            ack.send();
        }));
        socket.on("remote-ask", (args, ack) -> byUser(args.get(0).asText())
                .thenCompose(remote -> remote.emitWithAck(TIMEOUT, "question", "just you?"))
                .whenComplete((answer, error) -> ack.send(error == null ? answer : Map.of("error", error.toString()))));
    }

    private BroadcastOperator target(JsonNode opts) {
        BroadcastOperator operator = io.timeout(TIMEOUT);
        for (JsonNode room : opts.path("rooms")) {
            operator = operator.to(room.asText());
        }
        for (JsonNode room : opts.path("except")) {
            operator = operator.except(room.asText());
        }
        return operator;
    }

    private CompletableFuture<RemoteSocket> byUser(String user) {
        return io.fetchSockets().thenApply(sockets -> sockets.stream()
                .filter(s -> user.equals(s.data().path("user").asText(null)))
                .findFirst().orElseThrow());
    }

    private static Map<String, Object> describe(RemoteSocket socket) {
        Map<String, Object> described = new HashMap<>();
        described.put("id", socket.id());
        described.put("user", Optional.ofNullable(socket.data().path("user").textValue()).orElse(""));
        described.put("rooms", new ArrayList<>(new TreeSet<>(socket.rooms())));
        described.put("address", socket.handshake().path("address").asText());
        described.put("authUser", socket.handshake().path("auth").path("user").asText());
        described.put("query", socket.handshake().path("query").path("EIO").asText());
        return described;
    }

    private static void settled(CompletableFuture<Replies<JsonNode>> replies, Ack ack) {
        replies.thenAccept(r -> ack.send(Map.of("complete", r.complete(), "answers", r.values())));
    }
}
