package io.socketfleet.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.socketfleet.contract.NodeSetting;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code spec.redis.pubsub} and {@code subscriptionMode}: the CRD offers the node setting's choices, and the nodes receive the one made. */
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
        assertEquals(Optional.empty(), spec.nodeSettings().given(NodeSetting.REDIS_SUBSCRIPTION_MODE),
                "dynamic is the nodes' default");

        spec.getRedis().setSubscriptionMode(RedisSpec.SubscriptionMode.DYNAMIC_PRIVATE);
        assertEquals("dynamic-private", spec.nodeSettings().environment().get("REDIS_SUBSCRIPTION_MODE"));

        spec.getRedis().setPubsub(RedisSpec.PubSub.classic);
        assertEquals(spec.getNode().settings(), spec.nodeSettings(), "a classic fleet has no subscription mode");
    }

    @Test
    void theCrdOffersNodesSubscriptionModesUnderNodesNames() throws Exception {
        JSONSchemaProps field = CrdTest.version().getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties()
                .get("redis").getProperties().get("subscriptionMode");
        // the generator lists an enum's values sorted
        assertEquals(java.util.Set.copyOf(NodeSetting.REDIS_SUBSCRIPTION_MODE.choices()),
                java.util.Set.copyOf(field.getEnum().stream().map(JsonNode::asText).toList()));
        assertEquals(NodeSetting.REDIS_SUBSCRIPTION_MODE.defaultValue(), field.getDefault().asText());
        assertEquals(NodeSetting.REDIS_SUBSCRIPTION_MODE.choices(),
                java.util.Arrays.stream(RedisSpec.SubscriptionMode.values()).map(RedisSpec.SubscriptionMode::wireName).toList());
    }
}
