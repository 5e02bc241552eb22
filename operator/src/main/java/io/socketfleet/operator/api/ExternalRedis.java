package io.socketfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** A Redis the user runs; its password comes from a Secret, never from the resource itself. */
@ValidationRule(value = "has(self.url) != has(self.sentinel)",
        message = "redis.external needs exactly one of url and sentinel")
@ValidationRule(value = "!(has(self.sentinel) && has(self.cluster) && self.cluster)",
        message = "redis.external: a Redis Cluster is not reached through Sentinel")
public class ExternalRedis {

    @JsonPropertyDescription("Redis URL without the password, e.g. redis://redis.shared.svc:6379/0, or rediss:// for TLS. "
            + "Not with sentinel.")
    @Pattern("^rediss?://[^\\s@]+$")
    private String url;

    @JsonPropertyDescription("ACL user the nodes log in as (default: the 'default' user).")
    @Pattern("^[^\\s]+$")
    private String username;

    @JsonPropertyDescription("Secret key holding the Redis password.")
    private SecretKeyRef passwordSecret;

    @JsonPropertyDescription("TLS to Redis and its Sentinels; implied by a rediss:// url.")
    private RedisTls tls;

    @JsonPropertyDescription("Reach Redis through Sentinel instead of a url; the nodes follow failovers by themselves.")
    private RedisSentinel sentinel;

    @JsonPropertyDescription("The url names a node of a Redis Cluster; the nodes find the others.")
    private boolean cluster;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public SecretKeyRef getPasswordSecret() {
        return passwordSecret;
    }

    public void setPasswordSecret(SecretKeyRef passwordSecret) {
        this.passwordSecret = passwordSecret;
    }

    public RedisTls getTls() {
        return tls;
    }

    public void setTls(RedisTls tls) {
        this.tls = tls;
    }

    public RedisSentinel getSentinel() {
        return sentinel;
    }

    public void setSentinel(RedisSentinel sentinel) {
        this.sentinel = sentinel;
    }

    public boolean isCluster() {
        return cluster;
    }

    public void setCluster(boolean cluster) {
        this.cluster = cluster;
    }
}
