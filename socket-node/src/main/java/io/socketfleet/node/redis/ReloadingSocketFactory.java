package io.socketfleet.node.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * TLS sockets made from whatever the CA bundle and client certificate files hold when a
 * connection is opened, so certificates rotated on disk (a Secret re-mounted by the kubelet,
 * cert-manager renewing) are used by the next connection without a restart. Connections are
 * opened rarely (at start, on reconnect, after a failover), so each one rereads the few small
 * files and builds a new TLS context only when their content changed; files that do not load
 * (a rotation caught half-way) leave the last good context in use and are tried again next time.
 */
final class ReloadingSocketFactory extends SSLSocketFactory {

    private static final Logger log = LoggerFactory.getLogger(ReloadingSocketFactory.class);

    private final RedisSettings.Tls tls;
    private SSLSocketFactory current;
    private byte[] loadedDigest;
    private byte[] refusedDigest;

    /** Loads the files now: a bad file at start stops the node instead of failing each connection later. */
    ReloadingSocketFactory(RedisSettings.Tls tls) {
        this.tls = tls;
        this.loadedDigest = digest();
        this.current = RedisTls.socketFactory(tls);
    }

    /** The factory for the files' current content. */
    synchronized SSLSocketFactory current() {
        byte[] now;
        try {
            now = digest();
        } catch (UncheckedIOException unreadable) {
            log.warn("Redis TLS files unreadable ({}); new connections keep the certificates loaded before", unreadable.getMessage());
            return current;
        }
        if (Arrays.equals(now, loadedDigest) || Arrays.equals(now, refusedDigest)) {
            return current;
        }
        try {
            current = RedisTls.socketFactory(tls);
            loadedDigest = now;
            refusedDigest = null;
            log.info("Redis TLS files changed: new connections use the new CA bundle / client certificate");
        } catch (IllegalArgumentException notLoadable) {
            refusedDigest = now;
            log.warn("Redis TLS files changed but do not load ({}); new connections keep the certificates loaded before",
                    notLoadable.getMessage());
        }
        return current;
    }

    /** SHA-256 over the files' bytes, in a fixed order. */
    private byte[] digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path file : Stream.of(tls.caFile(), tls.certFile(), tls.keyFile()).toList()) {
                if (file != null) {
                    sha.update(Files.readAllBytes(file));
                    sha.update((byte) 0);
                }
            }
            return sha.digest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return current().getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return current().getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return current().createSocket(socket, host, port, autoClose);
    }

    @Override
    public Socket createSocket() throws IOException {
        return current().createSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return current().createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return current().createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return current().createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return current().createSocket(address, port, localAddress, localPort);
    }
}
