package io.socketfleet.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.socketfleet.contract.NodeSetting;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code spec.redis.pubsub}: the CRD offers the node setting's choices, and the nodes receive the one made. */
class RedisPubSubTest {

    @Test
    void theCrdOffersWhatTheNodesAcceptDefaultingToClassic() throws Exception {
        JSONSchemaProps field = CrdTest.version().getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties()
                .get("redis").getProperties().get("pubsub");
        assertEquals(NodeSetting.REDIS_PUBSUB.choices(), field.getEnum().stream().map(JsonNode::asText).toList());
        assertEquals(NodeSetting.REDIS_PUBSUB.defaultValue(), field.getDefault().asText());
        assertEquals(List.of("classic", "sharded"), java.util.Arrays.stream(RedisSpec.PubSub.values()).map(Enum::name).toList());
    }

    @Test
    void aShardedFleetsNodesRunShardedPubSubAndAClassicFleetsKeepTheirSettings() {
        SocketFleetSpec spec = new SocketFleetSpec();
        assertEquals(Optional.empty(), spec.nodeSettings().given(NodeSetting.REDIS_PUBSUB),
                "classic is the nodes' default: a classic fleet's pods keep the environment they had");
        assertEquals(spec.getNode().settings(), spec.nodeSettings());

        spec.getRedis().setPubsub(RedisSpec.PubSub.sharded);
        assertEquals(Optional.of("sharded"), spec.nodeSettings().given(NodeSetting.REDIS_PUBSUB));
        assertEquals("sharded", spec.nodeSettings().environment().get("REDIS_PUBSUB"));
    }
}
