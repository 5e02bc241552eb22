package io.socketfleet.operator.dependent;

import io.socketfleet.operator.api.FleetNameRules;
import io.socketfleet.operator.api.SocketFleet;
import io.socketfleet.operator.testing.Fleets;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The longest name the rules allow still gives every child a valid Service-style name. */
class FleetNamesTest {

    @Test
    void everyChildOfALongestNamedFleetIsADns1035Label() {
        SocketFleet fleet = Fleets.fleet("c" + "0123456789".repeat(5) + "z", "default", 1);
        assertEquals(FleetNameRules.MAX_NAME_LENGTH, fleet.getMetadata().getName().length());
        List<String> children = List.of(FleetNames.nodeDeployment(fleet), FleetNames.nodeService(fleet),
                FleetNames.redisDeployment(fleet), FleetNames.redisService(fleet), FleetNames.redisNetworkPolicy(fleet),
                FleetNames.redisSecret(fleet), FleetNames.nginxDeployment(fleet), FleetNames.nginxService(fleet),
                FleetNames.nginxConfigMap(fleet));
        for (String child : children) {
            assertTrue(child.matches(FleetNameRules.DNS_1035_LABEL) && child.length() <= FleetNameRules.DNS_LABEL_MAX,
                    child + " (" + child.length() + " characters)");
        }
        int longestSuffix = children.stream().mapToInt(String::length).max().orElseThrow() - FleetNameRules.MAX_NAME_LENGTH;
        assertEquals(FleetNameRules.LONGEST_SUFFIX.length(), longestSuffix, "LONGEST_SUFFIX names the longest suffix");
        assertEquals(FleetNameRules.DNS_LABEL_MAX, FleetNameRules.MAX_NAME_LENGTH + FleetNameRules.LONGEST_SUFFIX.length());
    }
}
