package io.socketfleet.operator.reconciler;

import io.socketfleet.operator.api.BackendStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The one-line description of a change in the ready backends: the decision behind the BackendsChanged Event. */
class BackendChangesTest {

    private static BackendStatus ready(String name, String address) {
        return new BackendStatus(name, address, true);
    }

    private static BackendStatus draining(String name, String address) {
        return new BackendStatus(name, address, false, true);
    }

    @Test
    void sameReadySetIsNoChange() {
        List<BackendStatus> backends = List.of(ready("chat-node-a", "10.0.0.1:3000"), ready("chat-node-b", "10.0.0.2:3000"));
        assertNull(BackendChanges.describe(backends, List.of(backends.get(1), backends.get(0))), "order does not matter");
        assertNull(BackendChanges.describe(null, List.of()), "no status yet and no backends");
    }

    @Test
    void namesWhatWasAddedAndRemoved() {
        List<BackendStatus> before = List.of(ready("chat-node-a", "10.0.0.1:3000"), ready("chat-node-b", "10.0.0.2:3000"));
        List<BackendStatus> after = List.of(ready("chat-node-b", "10.0.0.2:3000"), ready("chat-node-c", "10.0.0.3:3000"),
                ready("chat-node-d", "10.0.0.4:3000"));
        assertEquals("ready backends 2 -> 3; added 10.0.0.3:3000 (chat-node-c), 10.0.0.4:3000 (chat-node-d); "
                + "removed 10.0.0.1:3000 (chat-node-a); nginx config rewritten", BackendChanges.describe(before, after));
        assertEquals("ready backends 0 -> 1; added 10.0.0.1:3000 (chat-node-a); nginx config rewritten",
                BackendChanges.describe(null, List.of(ready("chat-node-a", "10.0.0.1:3000"))));
    }

    @Test
    void aNodeThatStartsDrainingLeavesTheReadySet() {
        List<BackendStatus> before = List.of(ready("chat-node-a", "10.0.0.1:3000"), ready("chat-node-b", "10.0.0.2:3000"));
        List<BackendStatus> after = List.of(ready("chat-node-a", "10.0.0.1:3000"), draining("chat-node-b", "10.0.0.2:3000"));
        assertEquals("ready backends 2 -> 1; removed 10.0.0.2:3000 (chat-node-b); nginx config rewritten",
                BackendChanges.describe(before, after));
        assertNull(BackendChanges.describe(after, List.of(ready("chat-node-a", "10.0.0.1:3000"))),
                "a draining node that goes away was not ready before either");
    }
}
