package io.socketfleet.node.redis;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;

/** The TLS side of a Redis connection: whom to trust (a CA bundle), who we are (a client certificate). */
final class RedisTls {

    private static final char[] IN_MEMORY = new char[0];

    private RedisTls() {
    }

    /** A socket factory trusting the CA file (else the JVM's CAs) and presenting the client certificate, if any. */
    static SSLSocketFactory socketFactory(RedisSettings.Tls tls) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.caFile() == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore cas = emptyStore();
                List<Certificate> certificates = PemFiles.certificates(tls.caFile());
                for (int i = 0; i < certificates.size(); i++) {
                    cas.setCertificateEntry("ca-" + i, certificates.get(i));
                }
                trust.init(cas);
            }
            KeyManagerFactory keys = null;
            if (tls.certFile() != null) {
                KeyStore identity = emptyStore();
                identity.setKeyEntry("client", PemFiles.privateKey(tls.keyFile()), IN_MEMORY,
                        PemFiles.certificates(tls.certFile()).toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity, IN_MEMORY);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Redis TLS: " + e.getMessage(), e);
        }
    }

    /** With hostname verification, the server's certificate must name the host dialled (a DNS name or an IP SAN). */
    static SSLParameters parameters(RedisSettings.Tls tls) {
        SSLParameters parameters = new SSLParameters();
        if (tls.verifyHostname()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        return parameters;
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, IN_MEMORY);
        return store;
    }
}
