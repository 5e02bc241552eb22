package io.socketfleet.bench;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** One benchmark client connection: a websocket speaking Engine.IO v4 / Socket.IO v5 by hand. */
final class Connection {

    final Channel channel;
    final CompletableFuture<Connection> connected = new CompletableFuture<>();
    volatile String node = "";
    volatile Consumer<String> onEvent = text -> { };
    private final AtomicInteger nextAck = new AtomicInteger();
    private final Map<Integer, CompletableFuture<String>> acks = new ConcurrentHashMap<>();

    Connection(Channel channel) {
        this.channel = channel;
    }

    /** Emits {@code 42["event",payloadJson]} and completes with the ack's payload text. */
    CompletableFuture<String> emitWithAck(String event, String payloadJson) {
        int id = nextAck.getAndIncrement();
        CompletableFuture<String> ack = new CompletableFuture<>();
        acks.put(id, ack);
        channel.writeAndFlush(new TextWebSocketFrame("42" + id + "[\"" + event + "\"" + (payloadJson == null ? "" : "," + payloadJson) + "]"));
        return ack;
    }

    /** Handles one text frame from the server. */
    void receive(String text) {
        if (text.equals("2")) {
            channel.writeAndFlush(new TextWebSocketFrame("3"));
        } else if (text.startsWith("0{")) {
            channel.writeAndFlush(new TextWebSocketFrame("40"));
        } else if (text.startsWith("40")) {
            connected.complete(this);
        } else if (text.startsWith("42")) {
            onEvent.accept(text);
        } else if (text.startsWith("43")) {
            int end = 2;
            while (end < text.length() && Character.isDigit(text.charAt(end))) {
                end++;
            }
            CompletableFuture<String> ack = acks.remove(Integer.parseInt(text.substring(2, end)));
            if (ack != null) {
                ack.complete(text.substring(end));
            }
        } else if (text.startsWith("44")) {
            connected.completeExceptionally(new IllegalStateException("connect refused: " + text));
        }
    }

    void close() {
        channel.close();
    }
}
