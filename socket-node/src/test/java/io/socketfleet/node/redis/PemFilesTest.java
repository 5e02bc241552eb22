package io.socketfleet.node.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Private keys in the PEM forms Secrets hold; the openssl-made ones are used for real in RedisTlsIT. */
class PemFilesTest {

    @TempDir
    Path dir;

    private Path pem(String type, byte[] der) throws Exception {
        Path file = dir.resolve(type.replace(' ', '-') + ".pem");
        Files.writeString(file, "comment before the block\n-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n");
        return file;
    }

    @Test
    void pkcs8KeysOfEachAlgorithmAreRead() throws Exception {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            KeyPair pair = KeyPairGenerator.getInstance(algorithm).generateKeyPair();
            PrivateKey read = PemFiles.privateKey(pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            assertArrayEquals(pair.getPrivate().getEncoded(), read.getEncoded(), algorithm);
        }
    }

    @Test
    void aPkcs1RsaKeyIsWrappedIntoPkcs8() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey key = generator.generateKeyPair().getPrivate();
        byte[] pkcs8 = key.getEncoded();
        // PKCS#8 ends with OCTET STRING { RSAPrivateKey }: the PKCS#1 key, as "BEGIN RSA PRIVATE KEY" holds it.
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        assertEquals(0x30, pkcs1[0]);
        assertArrayEquals(pkcs8, PemFiles.privateKey(pem("RSA PRIVATE KEY", pkcs1)).getEncoded());
    }

    @Test
    void whatCannotBeUsedIsRefusedSayingWhy() throws Exception {
        GeneralSecurityException encrypted = assertThrows(GeneralSecurityException.class,
                () -> PemFiles.privateKey(pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00})));
        assertTrue(encrypted.getMessage().contains("unencrypted"), encrypted.getMessage());
        GeneralSecurityException noKey = assertThrows(GeneralSecurityException.class,
                () -> PemFiles.privateKey(pem("CERTIFICATE", new byte[] {0x30, 0x00})));
        assertTrue(noKey.getMessage().contains("no PEM private key"), noKey.getMessage());
        GeneralSecurityException noCurve = assertThrows(GeneralSecurityException.class,
                () -> PemFiles.privateKey(pem("EC PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01})));
        assertTrue(noCurve.getMessage().contains("named curve"), noCurve.getMessage());
    }
}
