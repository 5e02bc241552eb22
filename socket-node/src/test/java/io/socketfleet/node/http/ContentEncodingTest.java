package io.socketfleet.node.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which coding a polling response gets for an Accept-Encoding, as engine.io's accepts(req).encodings(["gzip", "deflate"]). */
class ContentEncodingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "gzip, deflate, br     | GZIP",
            "deflate               | DEFLATE",
            "deflate, gzip;q=0.5   | DEFLATE",
            "gzip;q=0.2, deflate   | DEFLATE",
            "gzip;q=0, deflate;q=0 | IDENTITY",
            "br                    | IDENTITY",
            "*                     | GZIP",
            "identity              | IDENTITY",
            "none                  | IDENTITY",
            "GZIP                  | GZIP",
    })
    void picksTheCodingTheClientPrefers(String acceptEncoding, ContentEncoding expected) {
        assertEquals(expected, ContentEncoding.preferred(acceptEncoding));
    }

    @Test
    void encodesWhatStandardDecodersRead() throws IOException {
        byte[] body = "4hello ".repeat(300).getBytes(StandardCharsets.UTF_8);

        byte[] gzip = ContentEncoding.GZIP.encode(body);
        byte[] deflate = ContentEncoding.DEFLATE.encode(body);

        assertTrue(gzip.length < body.length / 10 && deflate.length < body.length / 10);
        assertEquals(new String(body, StandardCharsets.UTF_8), read(new GZIPInputStream(new ByteArrayInputStream(gzip))));
        // "deflate" is the zlib format (RFC 1950), as Node's zlib.createDeflate writes it.
        assertEquals(new String(body, StandardCharsets.UTF_8), read(new InflaterInputStream(new ByteArrayInputStream(deflate))));
        assertEquals(body, ContentEncoding.IDENTITY.encode(body));
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
