package io.socketfleet.node.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made by openssl for one test run: a CA, a Redis server certificate for
 * {@code localhost} and {@code 127.0.0.1}, one that names only {@code redis.test}, client
 * certificates with keys in the three PEM forms Secrets hold (PKCS#8, PKCS#1 RSA, SEC1 EC), and a
 * second CA nobody should trust.
 */
public final class TestCertificates {

    /** Where a key command writes its key. */
    private static final String KEY = "{key}";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates generate() throws IOException, InterruptedException {
        TestCertificates certs = new TestCertificates(Files.createTempDirectory("redis-tls"));
        certs.selfSigned("ca", "socketfleet test CA");
        certs.selfSigned("other-ca", "a CA nobody trusts");
        certs.signed("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth",
                List.of("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", KEY));
        certs.signed("server-elsewhere", "redis.test", "subjectAltName=DNS:redis.test\nextendedKeyUsage=serverAuth",
                List.of("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", KEY));
        certs.signed("client-pkcs8", "fleet-node", "extendedKeyUsage=clientAuth",
                List.of("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", KEY));
        certs.signed("client-rsa", "fleet-node", "extendedKeyUsage=clientAuth",
                List.of("genrsa", "-traditional", "-out", KEY, "2048"));
        certs.signed("client-ec", "fleet-node", "extendedKeyUsage=clientAuth",
                List.of("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", KEY));
        return certs;
    }

    public Path dir() {
        return dir;
    }

    public Path ca() {
        return dir.resolve("ca.crt");
    }

    public Path otherCa() {
        return dir.resolve("other-ca.crt");
    }

    public Path cert(String name) {
        return dir.resolve(name + ".crt");
    }

    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    /** TLS sockets trusting this run's CA, for the test's own clients. */
    public SSLSocketFactory trustingSocketFactory() {
        try (InputStream in = Files.newInputStream(ca())) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void selfSigned(String name, String subject) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + subject,
                "-keyout", key(name).toString(), "-out", cert(name).toString());
    }

    private void signed(String name, String commonName, String extensions, List<String> keyCommand)
            throws IOException, InterruptedException {
        openssl(keyCommand.stream().map(arg -> arg.equals(KEY) ? key(name).toString() : arg).toArray(String[]::new));
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extensions + "\n");
        openssl("req", "-new", "-key", key(name).toString(), "-subj", "/CN=" + commonName, "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca().toString(), "-CAkey", key("ca").toString(),
                "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out", cert(name).toString());
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Tools.require("openssl", "apt-get install openssl").toString());
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed; see " + log);
        }
    }
}
