package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A Redis the user runs; its password comes from a Secret, never from the resource itself. */
public class ExternalRedis {

    @JsonPropertyDescription("Redis URL without the password, e.g. redis://redis.shared.svc:6379/0.")
    @Required
    @Pattern("^rediss?://[^\\s@]+$")
    private String url;

    @JsonPropertyDescription("Secret key holding the Redis password.")
    private SecretKeyRef passwordSecret;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public SecretKeyRef getPasswordSecret() {
        return passwordSecret;
    }

    public void setPasswordSecret(SecretKeyRef passwordSecret) {
        this.passwordSecret = passwordSecret;
    }
}
