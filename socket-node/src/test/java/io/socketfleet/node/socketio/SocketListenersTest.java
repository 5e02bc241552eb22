package io.socketfleet.node.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.socketfleet.node.engineio.DisconnectReason;
import io.socketfleet.node.socketio.parser.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A socket's listeners, kept as snapshots that cost nothing until something registers: the order
 * and once/off rules of Node's EventEmitter, and registrations racing with dispatch.
 */
class SocketListenersTest {

    private final SocketListeners listeners = new SocketListeners("/");
    private final List<String> calls = new ArrayList<>();

    private void dispatch(String event) {
        listeners.dispatch(event, List.of(), Ack.NONE, Runnable::run, () -> true);
    }

    private EventHandler recording(String name) {
        return (args, ack) -> calls.add(name);
    }

    @Test
    void nothingRegisteredDispatchesToNothing() {
        dispatch("chat");
        listeners.outgoing(Json.event("x"));
        listeners.error(new IllegalStateException("no handler"));
        listeners.disconnecting(DisconnectReason.TRANSPORT_CLOSE);
        listeners.disconnected(DisconnectReason.TRANSPORT_CLOSE);
        listeners.upgraded("websocket");
        assertEquals(List.of(), calls);
    }

    @Test
    void handlersRunInRegistrationOrderAndOnceHandlersOnlyOnce() {
        listeners.on("chat", recording("a"), false);
        listeners.on("chat", recording("once"), true);
        listeners.on("chat", recording("b"), false);
        listeners.on("other", recording("other"), false);
        dispatch("chat");
        dispatch("chat");
        assertEquals(List.of("a", "once", "b", "a", "b"), calls);
    }

    @Test
    void offRemovesTheLatestRegistrationOfThatHandlerAndOffAllEveryOne() {
        EventHandler twice = recording("twice");
        listeners.on("chat", twice, false);
        listeners.on("chat", recording("between"), false);
        listeners.on("chat", twice, false);
        listeners.off("chat", twice);
        dispatch("chat");
        assertEquals(List.of("twice", "between"), calls);
        listeners.offAll("chat");
        listeners.off("never registered", twice);
        dispatch("chat");
        assertEquals(List.of("twice", "between"), calls);
    }

    @Test
    void catchAllAndLifecycleListenersComeAndGo() {
        AnyEventHandler any = (event, args, ack) -> calls.add("any " + event);
        listeners.onAny(any);
        listeners.onAny((event, args, ack) -> calls.add("any2 " + event));
        OutgoingEventHandler out = (event, args) -> calls.add("out " + event + " " + args);
        listeners.onAnyOutgoing(out);
        listeners.onDisconnecting(reason -> calls.add("disconnecting " + reason.text()));
        listeners.onDisconnect(reason -> calls.add("disconnect " + reason.text()));
        listeners.onUpgrade(transport -> calls.add("upgrade " + transport));
        listeners.onError(error -> calls.add("error " + error.getMessage()));
        dispatch("chat");
        listeners.outgoing(Json.event("news", 1));
        listeners.upgraded("websocket");
        listeners.error(new IllegalStateException("bad"));
        listeners.disconnecting(DisconnectReason.PING_TIMEOUT);
        listeners.disconnected(DisconnectReason.PING_TIMEOUT);
        assertEquals(List.of("any chat", "any2 chat", "out news [1]", "upgrade websocket", "error bad",
                "disconnecting ping timeout", "disconnect ping timeout"), calls);

        calls.clear();
        listeners.offAny(any);
        listeners.offAnyOutgoing(out);
        dispatch("chat");
        listeners.outgoing(Json.event("news"));
        assertEquals(List.of("any2 chat"), calls);
        listeners.offAny();
        dispatch("chat");
        assertEquals(List.of("any2 chat"), calls);
    }

    @Test
    void aHandlerMayRegisterAndRemoveWhileItRuns() {
        listeners.on("chat", (args, ack) -> {
            calls.add("first");
            listeners.on("chat", recording("added meanwhile"), false);
            listeners.offAll("gone");
        }, true);
        listeners.on("gone", recording("gone"), false);
        dispatch("chat");
        assertEquals(List.of("first"), calls, "a handler added during a dispatch runs from the next one");
        dispatch("chat");
        dispatch("gone");
        assertEquals(List.of("first", "added meanwhile"), calls);
    }

    @Test
    void aOnceHandlerRunsOnceUnderConcurrentDispatchAndRegistration() throws Exception {
        for (int round = 0; round < 50; round++) {
            SocketListeners racing = new SocketListeners("/");
            AtomicInteger onceCalls = new AtomicInteger();
            AtomicInteger steadyCalls = new AtomicInteger();
            racing.on("tick", (args, ack) -> onceCalls.incrementAndGet(), true);
            racing.on("tick", (args, ack) -> steadyCalls.incrementAndGet(), false);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 25; i++) {
                        racing.dispatch("tick", List.<JsonNode>of(), Ack.NONE, Runnable::run, () -> true);
                        racing.on("other" + thread, (args, ack) -> { }, false);
                    }
                });
            }
            start.countDown();
            threads.shutdown();
            assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(1, onceCalls.get(), "round " + round);
            assertEquals(100, steadyCalls.get(), "round " + round);
        }
    }
}
