package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

import java.util.ArrayList;
import java.util.List;

/** Redis reached through Sentinel: the nodes ask the Sentinels where the master is and follow failovers. */
public class RedisSentinel {

    @JsonPropertyDescription("Name the Sentinels monitor the master by (sentinel monitor NAME …).")
    @Required
    @Pattern("^[^\\s,]+$")
    private String masterName;

    // Each host:port is checked by the fleet validator: a CEL rule over an unbounded list costs more than the API server admits.
    @JsonPropertyDescription("host:port of each Sentinel, e.g. redis-sentinel-0.redis.data.svc:26379.")
    @Required
    @Size(min = 1)
    private List<String> addresses = new ArrayList<>();

    @JsonPropertyDescription("Secret key holding the Sentinels' own password, if they require one.")
    private SecretKeyRef passwordSecret;

    public String getMasterName() {
        return masterName;
    }

    public void setMasterName(String masterName) {
        this.masterName = masterName;
    }

    public List<String> getAddresses() {
        return addresses;
    }

    public void setAddresses(List<String> addresses) {
        this.addresses = addresses;
    }

    public SecretKeyRef getPasswordSecret() {
        return passwordSecret;
    }

    public void setPasswordSecret(SecretKeyRef passwordSecret) {
        this.passwordSecret = passwordSecret;
    }
}
