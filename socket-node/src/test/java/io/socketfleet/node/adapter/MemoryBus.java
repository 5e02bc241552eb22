package io.socketfleet.node.adapter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Pub/sub in memory with Redis's rules: every node hears the broadcast channels
 * ({@code socket.io#…}, its pattern subscription), other channels only once subscribed; a
 * counted publish answers with how many subscribers of the channel received it. Delivery is
 * synchronous, so a reply can reach a requester before its publish returned.
 */
final class MemoryBus {

    /** Every channel published on, in order. */
    final List<String> channels = new CopyOnWriteArrayList<>();
    private final List<Member> members = new CopyOnWriteArrayList<>();
    /** Messages on these channels are lost on the way, as to a node that died after Redis counted it. */
    final Set<String> lost = ConcurrentHashMap.newKeySet();
    volatile boolean down;

    private final class Member implements PubSub {
        final String uid;
        final List<BiConsumer<String, byte[]>> listeners = new CopyOnWriteArrayList<>();
        final Set<String> subscribed = ConcurrentHashMap.newKeySet();
        volatile boolean deaf;

        Member(String uid) {
            this.uid = uid;
        }

        @Override
        public String uid() {
            return uid;
        }

        @Override
        public void publish(String channel, byte[] message) {
            if (!down) {
                deliver(channel, message);
            }
        }

        @Override
        public CompletableFuture<Long> publishCounted(String channel, byte[] message) {
            if (down) {
                return CompletableFuture.failedFuture(new IllegalStateException("bus down"));
            }
            return CompletableFuture.completedFuture(deliver(channel, message));
        }

        @Override
        public void subscribe(String channel) {
            subscribed.add(channel);
        }

        @Override
        public void unsubscribe(String channel) {
            subscribed.remove(channel);
        }

        @Override
        public void addListener(BiConsumer<String, byte[]> listener) {
            listeners.add(listener);
        }

        @Override
        public void removeListener(BiConsumer<String, byte[]> listener) {
            listeners.remove(listener);
        }

        boolean hears(String channel) {
            return channel.startsWith("socket.io#") || subscribed.contains(channel);
        }
    }

    PubSub node(String uid) {
        Member member = new Member(uid);
        members.add(member);
        return member;
    }

    /** This node still counts as a subscriber but handles nothing, as one that is dying. */
    void deafen(PubSub node) {
        ((Member) node).deaf = true;
    }

    private long deliver(String channel, byte[] message) {
        channels.add(channel);
        List<Member> receivers = new ArrayList<>();
        members.forEach(m -> {
            if (m.hears(channel)) {
                receivers.add(m);
            }
        });
        for (Member member : receivers) {
            if (!member.deaf) {
                member.listeners.forEach(listener -> listener.accept(channel, message));
            }
        }
        return receivers.stream().filter(m -> m.subscribed.contains(channel)).count();
    }
}
