package io.socketfleet.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Presence from the other nodes' answers: every node by name, this one with its own count, nonsense left out. */
class PresenceTest {

    private static JsonNode answer(String node, int clients) {
        return JsonNodeFactory.instance.objectNode().put("node", node).put("clients", clients);
    }

    @Test
    void listsEveryNodeThatAnsweredAndThisOneByName() {
        assertEquals(List.of(new Presence.NodeCount("n1", 2), new Presence.NodeCount("n2", 5), new Presence.NodeCount("n3", 7)),
                Presence.of("n2", 5, List.of(answer("n3", 7), answer("n1", 2))));
    }

    @Test
    void aloneOrWithNoAnswerOnlyThisNodeIsKnown() {
        assertEquals(List.of(new Presence.NodeCount("n2", 3)), Presence.of("n2", 3, List.of()));
    }

    @Test
    void answersThatAreNotACountAreLeftOutAndThisNodesOwnCountWins() {
        List<JsonNode> answers = List.of(TextNode.valueOf("pong"), JsonNodeFactory.instance.nullNode(),
                JsonNodeFactory.instance.objectNode().put("node", "n4").put("clients", "many"),
                answer("n5", -1), answer("n2", 99), answer("n1", 1));
        assertEquals(List.of(new Presence.NodeCount("n1", 1), new Presence.NodeCount("n2", 3)),
                Presence.of("n2", 3, answers));
    }
}
