package io.socketfleet.node.redis;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where the fleet's Redis is and how to talk to it. Exactly one topology: a {@code url} naming
 * one Redis (or, with {@code cluster}, one node of a Redis Cluster), or a {@code sentinel} naming
 * the master the Sentinels monitor.
 *
 * @param url      {@code redis://[user[:password]@]host[:port][/db]}, or {@code rediss://…} for TLS; null with Sentinel
 * @param username ACL user, overriding the URL's; null for the URL's (or none: the {@code default} user)
 * @param password overriding the URL's (so it can come from a Secret); null for the URL's
 * @param tls      TLS settings; in force when {@link Tls#enabled()} or the URL is {@code rediss://}
 * @param sentinel the Sentinels to ask where the master is, or null
 * @param cluster  whether {@code url} names a node of a Redis Cluster
 */
public record RedisSettings(URI url, String username, String password, Tls tls, Sentinel sentinel, boolean cluster) {

    public RedisSettings {
        Objects.requireNonNull(tls, "tls");
        if ((url == null) == (sentinel == null)) {
            throw new IllegalArgumentException("Redis needs exactly one of a URL and a Sentinel master");
        }
        if (url != null && !(("redis".equals(url.getScheme()) || "rediss".equals(url.getScheme())) && url.getHost() != null)) {
            throw new IllegalArgumentException("the Redis URL must be redis:// or rediss:// with a host, got " + url);
        }
        if (cluster && sentinel != null) {
            throw new IllegalArgumentException("a Redis Cluster is not reached through Sentinel: give one of them");
        }
    }

    /** One Redis at {@code url}, with the URL's user and this password (when not null), TLS as the scheme says. */
    public static RedisSettings of(URI url, String password) {
        return new RedisSettings(url, null, password, Tls.NONE, null, false);
    }

    /** The same, with these TLS settings. */
    public RedisSettings withTls(Tls tls) {
        return new RedisSettings(url, username, password, tls, sentinel, cluster);
    }

    /** The same, as this ACL user. */
    public RedisSettings withUsername(String username) {
        return new RedisSettings(url, username, password, tls, sentinel, cluster);
    }

    /** Whether connections use TLS: asked for, or implied by a {@code rediss://} URL. */
    public boolean usesTls() {
        return tls.enabled() || url != null && "rediss".equals(url.getScheme());
    }

    /**
     * TLS to Redis (and to the Sentinels). Without a CA file the JVM's trusted CAs decide.
     *
     * @param enabled        use TLS even without a rediss:// URL (needed with Sentinel)
     * @param caFile         PEM file of the CA certificates to trust, or null
     * @param certFile       PEM client certificate (with its chain) for servers that require one, or null
     * @param keyFile        PEM private key of {@code certFile}, unencrypted; given exactly when certFile is
     * @param verifyHostname whether the server's certificate must name the host dialled
     */
    public record Tls(boolean enabled, Path caFile, Path certFile, Path keyFile, boolean verifyHostname) {

        public static final Tls NONE = new Tls(false, null, null, null, true);

        public Tls {
            if ((certFile == null) != (keyFile == null)) {
                throw new IllegalArgumentException("a Redis client certificate needs its key file, and a key its certificate");
            }
        }
    }

    /**
     * The Sentinels that know where the master is.
     *
     * @param masterName the name they monitor it by
     * @param addresses  {@code host:port} of each Sentinel (at least one)
     * @param password   the Sentinels' own password ({@code requirepass} in sentinel.conf), or null
     */
    public record Sentinel(String masterName, List<String> addresses, String password) {

        public Sentinel {
            if (masterName == null || masterName.isBlank()) {
                throw new IllegalArgumentException("Sentinel needs the master's name");
            }
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("Sentinel needs at least one Sentinel address (host:port)");
            }
            for (String address : addresses) {
                int colon = address.lastIndexOf(':');
                if (colon <= 0 || !address.substring(colon + 1).matches("\\d{1,5}")) {
                    throw new IllegalArgumentException("a Sentinel address must be host:port, got '" + address + "'");
                }
            }
        }
    }
}
