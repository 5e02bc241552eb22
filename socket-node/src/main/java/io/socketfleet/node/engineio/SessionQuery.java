package io.socketfleet.node.engineio;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The query of a session's handshake request as the session keeps it, read-only. Every handshake
 * carries {@code EIO=4} and {@code transport=polling|websocket} (the request was refused otherwise),
 * so those two are not stored per session but shown again from constants after the application's
 * own parameters, as socket.io's {@code handshake.query} lists them; a session whose client sent
 * nothing else keeps no map at all. A query that repeats either key is kept as it came.
 */
final class SessionQuery extends AbstractMap<String, List<String>> {

    static final String PROTOCOL = "EIO";
    static final String TRANSPORT = "transport";
    private static final List<String> PROTOCOL_4 = List.of("4");
    private static final List<String> POLLING = List.of(TransportOptions.POLLING);
    private static final List<String> WEBSOCKET = List.of(TransportOptions.WEBSOCKET);

    private final Map<String, List<String>> rest;
    private final List<String> transport;

    private SessionQuery(Map<String, List<String>> rest, List<String> transport) {
        this.rest = rest;
        this.transport = transport;
    }

    /** The query to keep for a session opened with {@code query}. */
    static Map<String, List<String>> of(Map<String, List<String>> query) {
        List<String> transport = constant(query.get(TRANSPORT));
        if (!PROTOCOL_4.equals(query.get(PROTOCOL)) || transport == null) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(query));
        }
        if (query.size() == 2) {
            return new SessionQuery(Map.of(), transport);
        }
        Map<String, List<String>> rest = new LinkedHashMap<>(query);
        rest.remove(PROTOCOL);
        rest.remove(TRANSPORT);
        return new SessionQuery(Collections.unmodifiableMap(rest), transport);
    }

    private static List<String> constant(List<String> transport) {
        if (POLLING.equals(transport)) {
            return POLLING;
        }
        return WEBSOCKET.equals(transport) ? WEBSOCKET : null;
    }

    @Override
    public List<String> get(Object key) {
        if (PROTOCOL.equals(key)) {
            return PROTOCOL_4;
        }
        return TRANSPORT.equals(key) ? transport : rest.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return PROTOCOL.equals(key) || TRANSPORT.equals(key) || rest.containsKey(key);
    }

    @Override
    public int size() {
        return rest.size() + 2;
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, List<String>>> iterator() {
                Iterator<Entry<String, List<String>>> own = rest.entrySet().iterator();
                return new Iterator<>() {
                    private int constantsLeft = 2;

                    @Override
                    public boolean hasNext() {
                        return own.hasNext() || constantsLeft > 0;
                    }

                    @Override
                    public Entry<String, List<String>> next() {
                        if (own.hasNext()) {
                            return own.next();
                        }
                        if (constantsLeft == 0) {
                            throw new NoSuchElementException();
                        }
                        return constantsLeft-- == 2 ? Map.entry(PROTOCOL, PROTOCOL_4) : Map.entry(TRANSPORT, transport);
                    }
                };
            }

            @Override
            public int size() {
                return SessionQuery.this.size();
            }
        };
    }
}
