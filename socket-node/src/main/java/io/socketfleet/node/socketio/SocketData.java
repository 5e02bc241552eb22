package io.socketfleet.node.socketio;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A socket's {@code data}: a concurrent map that tells its listeners the key of every change made
 * through its own methods — put, remove, replace, compute, merge, clear — and an entry's
 * {@code setValue}. Not seen: removals through a view's iterator or {@code removeIf}, and a value object
 * changed in place ({@code ((Map) data.get("user")).put(…)}); put the value again to report it.
 * (socket.io's admin UI wraps {@code socket.data} in a Proxy for the same purpose.)
 */
final class SocketData extends ConcurrentHashMap<String, Object> {

    /** An immutable snapshot, the shared empty list until a listener comes (most sockets never get one). */
    private transient volatile List<Consumer<String>> listeners = List.of();

    synchronized void onChange(Consumer<String> listener) {
        List<Consumer<String>> more = new ArrayList<>(listeners);
        more.add(listener);
        listeners = List.copyOf(more);
    }

    private void changed(Object key) {
        if (key instanceof String name) {
            for (Consumer<String> listener : listeners) {
                listener.accept(name);
            }
        }
    }

    @Override
    public Object put(String key, Object value) {
        Object previous = super.put(key, value);
        changed(key);
        return previous;
    }

    @Override
    public void putAll(Map<? extends String, ?> values) {
        values.forEach(this::put);
    }

    @Override
    public Object putIfAbsent(String key, Object value) {
        Object previous = super.putIfAbsent(key, value);
        if (previous == null) {
            changed(key);
        }
        return previous;
    }

    @Override
    public Object remove(Object key) {
        Object previous = super.remove(key);
        if (previous != null) {
            changed(key);
        }
        return previous;
    }

    @Override
    public boolean remove(Object key, Object value) {
        boolean removed = super.remove(key, value);
        if (removed) {
            changed(key);
        }
        return removed;
    }

    @Override
    public Object replace(String key, Object value) {
        Object previous = super.replace(key, value);
        if (previous != null) {
            changed(key);
        }
        return previous;
    }

    @Override
    public boolean replace(String key, Object oldValue, Object newValue) {
        boolean replaced = super.replace(key, oldValue, newValue);
        if (replaced) {
            changed(key);
        }
        return replaced;
    }

    @Override
    public void clear() {
        for (String key : keySet()) {
            remove(key);
        }
    }

    @Override
    public Object compute(String key, BiFunction<? super String, ? super Object, ?> remapping) {
        Object result = super.compute(key, remapping);
        changed(key);
        return result;
    }

    @Override
    public Object computeIfAbsent(String key, Function<? super String, ?> mapping) {
        boolean absent = !containsKey(key);
        Object result = super.computeIfAbsent(key, mapping);
        if (absent && result != null) {
            changed(key);
        }
        return result;
    }

    @Override
    public Object computeIfPresent(String key, BiFunction<? super String, ? super Object, ?> remapping) {
        boolean present = containsKey(key);
        Object result = super.computeIfPresent(key, remapping);
        if (present) {
            changed(key);
        }
        return result;
    }

    @Override
    public Object merge(String key, Object value, BiFunction<? super Object, ? super Object, ?> remapping) {
        Object result = super.merge(key, value, remapping);
        changed(key);
        return result;
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
        super.replaceAll(function);
        keySet().forEach(this::changed);
    }
}
