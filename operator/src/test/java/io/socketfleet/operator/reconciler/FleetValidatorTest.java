package io.socketfleet.operator.reconciler;

import io.socketfleet.operator.api.ExternalRedis;
import io.socketfleet.operator.api.SecretKeyRef;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.testing.Fleets;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each invalid value is reported with the field it concerns. */
class FleetValidatorTest {

    private static List<String> problems(Consumer<SocketFleet> change) {
        SocketFleet fleet = Fleets.fleet("chat", "default", 3);
        change.accept(fleet);
        return FleetValidator.validate(fleet);
    }

    private static void rejected(String field, Consumer<SocketFleet> change) {
        List<String> problems = problems(change);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(field)), field + " not named in " + problems);
    }

    @Test
    void defaultsAreValid() {
        assertEquals(List.of(), problems(f -> { }));
    }

    @Test
    void namesTheFieldOfEachProblem() {
        rejected("spec.replicas", f -> f.getSpec().setReplicas(-1));
        rejected("spec.replicas", f -> f.getSpec().setReplicas(null));
        rejected("spec.node.port", f -> f.getSpec().getNode().setPort(80));
        rejected("spec.node.pingIntervalMs", f -> f.getSpec().getNode().setPingIntervalMs(10));
        rejected("spec.node.drainSeconds", f -> f.getSpec().getNode().setDrainSeconds(-5));
        rejected("spec.node.image", f -> f.getSpec().getNode().setImage("two words"));
        rejected("spec.nginx.hashKey", f -> f.getSpec().getNginx().setHashKey("$a; include /etc/passwd"));
        rejected("spec.nginx.hashKey", f -> f.getSpec().getNginx().setHashKey("literal"));
        rejected("spec.nginx.serverWeight", f -> f.getSpec().getNginx().setServerWeight(0));
        rejected("spec.nginx.replicas", f -> f.getSpec().getNginx().setReplicas(0));
        rejected("spec.nginx.proxyReadTimeoutSeconds", f -> f.getSpec().getNginx().setProxyReadTimeoutSeconds(45));
        rejected("spec.redis.external.url", f -> f.getSpec().getRedis().setExternal(external("http://x", "s")));
        rejected("spec.redis.external.url", f -> f.getSpec().getRedis().setExternal(external("redis://:pw@x:6379", "s")));
        rejected("spec.redis.external.passwordSecret", f -> f.getSpec().getRedis().setExternal(external("redis://x:6379", null)));
        rejected("spec.node", f -> f.getSpec().setNode(null));
    }

    @Test
    void proxyTimeoutJustAboveThePingWindowIsAccepted() {
        assertEquals(List.of(), problems(f -> f.getSpec().getNginx().setProxyReadTimeoutSeconds(46)));
    }

    private static ExternalRedis external(String url, String secret) {
        ExternalRedis external = new ExternalRedis();
        external.setUrl(url);
        if (secret != null) {
            SecretKeyRef ref = new SecretKeyRef();
            ref.setName(secret);
            external.setPasswordSecret(ref);
        }
        return external;
    }
}
