package io.socketfleet.node.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys from PEM files, as Kubernetes Secrets and cert-manager hold them:
 * certificate bundles, and unencrypted keys in PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA
 * ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC ({@code BEGIN EC PRIVATE KEY}) form. The JDK reads
 * only PKCS#8, so the other two are wrapped into it.
 */
final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] DER_NULL = {0x05, 0x00};
    private static final byte[] VERSION_ZERO = {0x02, 0x01, 0x00};

    private PemFiles() {
    }

    /** Every certificate in the file, in order; at least one. */
    static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        List<Certificate> certificates = new ArrayList<>(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))));
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no PEM certificate");
        }
        return certificates;
    }

    /** The first private key in the file. */
    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        Matcher block = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (block.find()) {
            String type = block.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(der);
                case "RSA PRIVATE KEY" -> pkcs8(sequence(VERSION_ZERO, sequence(RSA_ENCRYPTION, DER_NULL), octetString(der)));
                case "EC PRIVATE KEY" -> pkcs8(sequence(VERSION_ZERO, sequence(EC_PUBLIC_KEY, curveOf(der)), octetString(der)));
                default -> throw new GeneralSecurityException(file + " holds an " + type.toLowerCase()
                        + "; give the key unencrypted (openssl pkcs8 -topk8 -nocrypt)");
            };
        }
        throw new GeneralSecurityException(file + " holds no PEM private key");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException notThisOne) {
                // try the next algorithm
            }
        }
        throw new InvalidKeySpecException("not an RSA, EC or EdDSA private key");
    }

    /** The named curve's OID out of a SEC1 ECPrivateKey: SEQUENCE { version, privateKey, [0] parameters, … }. */
    private static byte[] curveOf(byte[] sec1) throws GeneralSecurityException {
        Der outer = new Der(sec1, 0);
        Der field = outer.firstChild();
        while (field != null) {
            if (field.tag == (byte) 0xa0) {
                return field.firstChild().encoded();
            }
            field = field.next(outer);
        }
        throw new InvalidKeySpecException("an EC private key without its named curve");
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] octetString(byte[] content) {
        return tlv(0x04, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** One DER element inside a buffer: just enough reading to walk a SEC1 key. */
    private static final class Der {
        final byte[] buffer;
        final int start;
        final byte tag;
        final int contentStart;
        final int end;

        Der(byte[] buffer, int start) throws InvalidKeySpecException {
            if (start + 2 > buffer.length) {
                throw new InvalidKeySpecException("truncated DER");
            }
            this.buffer = buffer;
            this.start = start;
            this.tag = buffer[start];
            int first = buffer[start + 1] & 0xff;
            int at = start + 2;
            int length;
            if (first < 0x80) {
                length = first;
            } else {
                int bytes = first & 0x7f;
                if (bytes == 0 || bytes > 3 || at + bytes > buffer.length) {
                    throw new InvalidKeySpecException("bad DER length");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (buffer[at++] & 0xff);
                }
            }
            this.contentStart = at;
            this.end = at + length;
            if (end > buffer.length) {
                throw new InvalidKeySpecException("truncated DER");
            }
        }

        Der firstChild() throws InvalidKeySpecException {
            return contentStart < end ? new Der(buffer, contentStart) : null;
        }

        Der next(Der parent) throws InvalidKeySpecException {
            return end < parent.end ? new Der(buffer, end) : null;
        }

        byte[] encoded() {
            return java.util.Arrays.copyOfRange(buffer, start, end);
        }
    }
}
