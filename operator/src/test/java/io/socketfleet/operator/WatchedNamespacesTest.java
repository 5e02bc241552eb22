package io.socketfleet.operator;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** WATCH_NAMESPACES as the namespace-scoped install sets it. */
class WatchedNamespacesTest {

    @Test
    void aCommaSeparatedListNamesTheNamespacesAndNothingMeansAll() {
        assertEquals(Set.of("demo", "chat"), OperatorRuntime.watchedNamespaces(" demo, chat ,"));
        assertEquals(Set.of(), OperatorRuntime.watchedNamespaces(null));
        assertEquals(Set.of(), OperatorRuntime.watchedNamespaces("  "));
    }
}
