package io.socketfleet.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.socketfleet.node.SocketNode;
import io.socketfleet.node.engineio.DisconnectReason;
import io.socketfleet.node.socketio.AnyEventHandler;
import io.socketfleet.node.socketio.ConnectionRefusedException;
import io.socketfleet.node.socketio.EventHandler;
import io.socketfleet.node.socketio.Handshake;
import io.socketfleet.node.socketio.Namespace;
import io.socketfleet.node.socketio.OutgoingEventHandler;
import io.socketfleet.node.socketio.ParentNamespace;
import io.socketfleet.node.socketio.Socket;
import io.socketfleet.node.socketio.SocketIoServer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The server side of src/test/js/server-api.js: one handler per server API feature under test. */
public final class ServerApiApp {

    /** What a socket's "disconnecting" and "disconnect" handlers saw, in the order they ran. */
    public record Leaving(String socketId, String handler, DisconnectReason reason, Set<String> rooms) {
    }

    public final BlockingQueue<Leaving> leaving = new LinkedBlockingQueue<>();
    private static final Executor LATER = CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS);
    private static final String BIG = "zzzz" + "socket.io ".repeat(500);

    public void install(SocketNode node) {
        SocketIoServer io = node.io();
        io.mainNamespace().onConnection(socket -> {
            socket.on("echo", (args, ack) -> ack.send(args.toArray()));
            socket.on("join", (args, ack) -> {
                socket.join(args.get(0).asText());
                ack.send();
            });
            socket.on("kick-me", (args, ack) -> socket.disconnect());
            onceAndOff(socket);
            anyHandlers(socket, io);
            anyHandlerOrder(socket);
            packetMiddleware(socket);
            disconnecting(socket);
            socket.on("handshake?", (args, ack) -> ack.send(describe(socket)));
            socket.on("volatile-burst", (args, ack) -> {
                socket.emit("v", 1);
                socket.asVolatile().emit("v", 2);
                socket.emit("v", 3);
                io.to(socket.id()).emit("b", 1);
                io.to(socket.id()).asVolatile().emit("b", 2);
                io.to(socket.id()).emit("b", 3);
                socket.emit("burst-done");
            });
            socket.on("in-lobby", (args, ack) -> {
                io.in("lobby").emit("room-news", args.get(0));
                ack.send();
            });
            socket.on("socket-in-lobby", (args, ack) -> {
                socket.in("lobby").emit("room-news", args.get(0));
                ack.send();
            });
            socket.on("send-big", (args, ack) -> socket.emit("big", BIG));
            socket.on("send-big-plain", (args, ack) -> socket.compress(false).emit("big", BIG));
            socket.on("send-small", (args, ack) -> socket.emit("big", "zzzz small"));
        });
        dynamicNamespaces(io);
        asyncMiddleware(io);
    }

    private static void onceAndOff(Socket socket) {
        socket.once("once", (args, ack) -> ack.send("once"));
        EventHandler counter = (args, ack) -> ack.send("counted");
        socket.on("counted", counter);
        socket.on("drop-counted", (args, ack) -> {
            socket.off("counted", counter);
            ack.send("dropped");
        });
        socket.on("other", (args, ack) -> ack.send("other-1"));
        socket.on("other", (args, ack) -> ack.send("other-2"));
        socket.on("drop-all-other", (args, ack) -> {
            socket.off("other");
            ack.send("dropped-all");
        });
    }

    private static void anyHandlers(Socket socket, SocketIoServer io) {
        List<String> incoming = Collections.synchronizedList(new ArrayList<>());
        List<String> outgoing = Collections.synchronizedList(new ArrayList<>());
        AnyEventHandler recordIncoming = (event, args, ack) -> incoming.add(event + args);
        socket.onAny(recordIncoming);
        socket.onAnyOutgoing((event, args) -> outgoing.add(event + args));
        socket.on("incoming?", (args, ack) -> ack.send(List.copyOf(incoming)));
        socket.on("stop-any", (args, ack) -> {
            socket.offAny(recordIncoming);
            ack.send();
        });
        socket.on("send-some", (args, ack) -> {
            socket.emit("direct", 1);
            io.to(socket.id()).emit("broadcasted", 2);
            ack.send();
        });
        socket.on("outgoing?", (args, ack) -> ack.send(List.copyOf(outgoing)));
        socket.on("stop-outgoing", (args, ack) -> {
            socket.offAnyOutgoing();
            ack.send();
        });
    }

    /** prependAny/prependAnyOutgoing run first; listenersAny/listenersAnyOutgoing list them in running order. */
    private static void anyHandlerOrder(Socket socket) {
        List<String> incoming = Collections.synchronizedList(new ArrayList<>());
        List<String> outgoing = Collections.synchronizedList(new ArrayList<>());
        AnyEventHandler prepended = (event, args, ack) -> incoming.add("prepended:" + event);
        OutgoingEventHandler prependedOut = (event, args) -> outgoing.add("prepended:" + event);
        socket.onAny((event, args, ack) -> incoming.add("added:" + event));
        socket.prependAny(prepended);
        socket.onAnyOutgoing((event, args) -> outgoing.add("added:" + event));
        socket.prependAnyOutgoing(prependedOut);
        socket.on("any-order?", (args, ack) -> {
            socket.emit("order-out");
            ack.send(Map.of("incoming", List.copyOf(incoming), "outgoing", List.copyOf(outgoing),
                    "listenersAny", socket.listenersAny().size(),
                    "listenersAnyFirst", socket.listenersAny().get(0) == prepended,
                    "listenersAnyOutgoing", socket.listenersAnyOutgoing().size(),
                    "listenersAnyOutgoingFirst", socket.listenersAnyOutgoing().get(0) == prependedOut));
        });
    }

    private static void packetMiddleware(Socket socket) {
        socket.use(event -> {
            if (event.name().equals("forbidden")) {
                throw new IllegalStateException("unauthorized event");
            }
            if (event.name().equals("kick-forbidden")) {
                throw new IllegalStateException("kick me");
            }
            if (event.name().equals("decorate")) {
                event.args().add(TextNode.valueOf("decorated"));
            }
        });
        socket.useAsync(event -> event.name().equals("slow")
                ? CompletableFuture.runAsync(() -> event.args().add(TextNode.valueOf("waited")), LATER)
                : CompletableFuture.completedFuture(null));
        socket.onError(error -> {
            socket.emit("error-seen", error.getMessage());
            if (error.getMessage().equals("kick me")) {
                socket.disconnect();
            }
        });
        socket.on("forbidden", (args, ack) -> ack.send("reached the handler"));
        socket.on("decorate", (args, ack) -> ack.send(args));
        socket.on("slow", (args, ack) -> ack.send(args));
    }

    private void disconnecting(Socket socket) {
        socket.onDisconnecting(reason -> leaving.add(new Leaving(socket.id(), "disconnecting", reason, socket.rooms())));
        socket.onDisconnect(reason -> leaving.add(new Leaving(socket.id(), "disconnect", reason, socket.rooms())));
    }

    private static Map<String, Object> describe(Socket socket) {
        Handshake handshake = socket.handshake();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("time", handshake.time());
        info.put("issued", handshake.issuedMillis());
        info.put("url", handshake.url());
        info.put("secure", handshake.secure());
        info.put("xdomain", handshake.xdomain());
        info.put("address", handshake.address());
        info.put("host", handshake.headers().get("host"));
        info.put("query", handshake.query());
        info.put("requestMethod", socket.request().method());
        info.put("requestUrl", socket.request().url());
        info.put("requestUserAgent", socket.request().headers().get("user-agent"));
        return info;
    }

    private static void dynamicNamespaces(SocketIoServer io) {
        ParentNamespace numbered = io.of(Pattern.compile("^/dyn-\\d+$"))
                .use(socket -> {
                    if (!"ok".equals(socket.handshake().auth().path("token").asText())) {
                        throw new ConnectionRefusedException("no token", Map.of("namespace", socket.namespace().name()));
                    }
                })
                .onConnection(socket -> socket.emit("welcome", socket.namespace().name()))
                .onConnection(socket -> socket.on("second-handler?", (args, ack) -> ack.send("second")))
                .onConnection(socket -> socket.on("join", (args, ack) -> {
                    socket.join(args.get(0).asText());
                    ack.send();
                }));
        io.of((name, auth) -> CompletableFuture.supplyAsync(() -> name.startsWith("/async-"), LATER))
                .onConnection(socket -> socket.emit("async-welcome", socket.namespace().name()));
        io.mainNamespace().onConnection(socket -> {
            socket.on("parent-emit", (args, ack) -> {
                numbered.emit("to-children", args.get(0));
                ack.send();
            });
            socket.on("children?", (args, ack) -> ack.send(numbered.children().stream().map(Namespace::name).sorted().toList()));
            socket.on("parent-to", (args, ack) -> {
                numbered.to(args.get(0).asText()).emit("club-news", args.get(1));
                numbered.except(args.get(0).asText()).emit("not-club", args.get(1));
                ack.send();
            });
        });
    }

    private static void asyncMiddleware(SocketIoServer io) {
        io.of("/async-mw")
                .useAsync(socket -> CompletableFuture.runAsync(() -> {
                    JsonNode token = socket.handshake().auth().path("token");
                    switch (token.asText()) {
                        case "ok" -> socket.data().put("checked", "async");
                        case "explode" -> throw new IllegalStateException("store unreachable");
                        default -> throw new java.util.concurrent.CompletionException(
                                new ConnectionRefusedException("denied", Map.of("token", token.asText())));
                    }
                }, LATER))
                .use(socket -> socket.data().put("then", "sync"))
                .onConnection(socket -> socket.emit("welcome", new java.util.TreeMap<>(socket.data())));
    }
}
