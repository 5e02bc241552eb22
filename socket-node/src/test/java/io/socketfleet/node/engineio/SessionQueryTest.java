package io.socketfleet.node.engineio;

import io.netty.handler.codec.http.QueryStringDecoder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The query a session keeps: the application's parameters stored, EIO and transport shown from constants. */
class SessionQueryTest {

    private static Map<String, List<String>> kept(String uri) {
        return SessionQuery.of(new QueryStringDecoder(uri).parameters());
    }

    @Test
    void showsTheTransportKeysAfterTheApplicationsOwn() {
        Map<String, List<String>> query = kept("/socket.io/?token=abc&EIO=4&transport=websocket&tag=a&tag=b");
        assertEquals(List.of("token", "tag", "EIO", "transport"), new ArrayList<>(query.keySet()));
        assertEquals(Map.of("token", List.of("abc"), "tag", List.of("a", "b"), "EIO", List.of("4"), "transport", List.of("websocket")),
                query);
        assertEquals(List.of("4"), query.get("EIO"));
        assertEquals(List.of("websocket"), query.get("transport"));
        assertEquals(List.of("abc"), query.get("token"));
        assertTrue(query.containsKey("transport"));
        assertFalse(query.containsKey("sid"));
        assertNull(query.get("sid"));
        assertEquals(4, query.size());
    }

    @Test
    void aHandshakeWithNothingElseStoresNoMap() {
        Map<String, List<String>> query = kept("/socket.io/?EIO=4&transport=polling");
        assertEquals(Map.of("EIO", List.of("4"), "transport", List.of("polling")), query);
        assertEquals(2, query.size());
        // The same constant lists for every such session: nothing of it is per session but the small view.
        assertSame(query.get("EIO"), kept("/socket.io/?transport=websocket&EIO=4").get("EIO"));
    }

    @Test
    void isReadOnly() {
        Map<String, List<String>> query = kept("/socket.io/?EIO=4&transport=polling&token=abc");
        assertThrows(UnsupportedOperationException.class, () -> query.put("x", List.of("y")));
        assertThrows(UnsupportedOperationException.class, () -> query.remove("token"));
        assertThrows(UnsupportedOperationException.class, () -> query.get("EIO").add("5"));
    }

    @Test
    void aQueryRepeatingATransportKeyIsKeptAsItCame() {
        Map<String, List<String>> query = kept("/socket.io/?EIO=4&transport=polling&transport=websocket");
        assertEquals(Map.of("EIO", List.of("4"), "transport", List.of("polling", "websocket")), query);
    }
}
