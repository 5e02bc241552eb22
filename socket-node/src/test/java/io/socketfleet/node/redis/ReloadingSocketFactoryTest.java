package io.socketfleet.node.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocketFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * When the TLS context is rebuilt: only when the files' content changed, never for a file that
 * does not load (the last good one stays), and again once a good one is back. Certificates made
 * with the JDK's own keytool.
 */
class ReloadingSocketFactoryTest {

    @TempDir
    Path dir;

    private Path certificate(String alias) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        Path pem = dir.resolve(alias + ".crt");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-dname", "CN=" + alias, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", store.toString(), "-storepass", "changeit",
                "-file", pem.toString());
        return pem;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }

    @Test
    void aNewContextOnlyForChangedFilesThatLoad() throws Exception {
        Path ca = dir.resolve("ca.crt");
        Files.copy(certificate("first-ca"), ca);
        ReloadingSocketFactory factory = new ReloadingSocketFactory(new RedisSettings.Tls(true, ca, null, null, true));
        SSLSocketFactory first = factory.current();
        assertSame(first, factory.current(), "unchanged files: the same context");

        Files.copy(certificate("second-ca"), ca, StandardCopyOption.REPLACE_EXISTING);
        SSLSocketFactory second = factory.current();
        assertNotSame(first, second, "a rotated CA bundle: a new context");

        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nhalf written");
        assertSame(second, factory.current(), "a file that does not load leaves the last good context in use");
        assertSame(second, factory.current());

        Files.copy(certificate("third-ca"), ca, StandardCopyOption.REPLACE_EXISTING);
        assertNotSame(second, factory.current(), "a good file again: loaded");

        Files.delete(ca);
        assertSame(factory.current(), factory.current(), "a file gone for a moment: the last good context");
    }

    @Test
    void aBadFileAtStartStopsTheNodeThere() throws Exception {
        Path ca = dir.resolve("ca.crt");
        Files.writeString(ca, "not a certificate");
        assertThrows(IllegalArgumentException.class, () -> new ReloadingSocketFactory(new RedisSettings.Tls(true, ca, null, null, true)));
    }
}
