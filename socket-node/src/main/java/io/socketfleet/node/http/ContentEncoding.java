package io.socketfleet.node.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP content codings a polling response may use, chosen from the request's
 * {@code Accept-Encoding} as engine.io does ({@code accepts(req).encodings(["gzip", "deflate"])}):
 * the one the client weighs highest, gzip on a tie, none when it accepts neither.
 */
enum ContentEncoding {
    GZIP("gzip"),
    /** zlib-wrapped deflate, as Node's {@code zlib.createDeflate} and RFC 9110 mean it. */
    DEFLATE("deflate"),
    IDENTITY("identity");

    private final String token;

    ContentEncoding(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    static ContentEncoding preferred(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isBlank()) {
            return IDENTITY;
        }
        double gzip = weight(acceptEncoding, "gzip");
        double deflate = weight(acceptEncoding, "deflate");
        if (gzip <= 0 && deflate <= 0) {
            return IDENTITY;
        }
        return gzip >= deflate ? GZIP : DEFLATE;
    }

    /** The q-value the header gives this coding (explicitly or through "*"), 0 when not accepted. */
    private static double weight(String acceptEncoding, String coding) {
        double wildcard = 0;
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.trim().split(";");
            String name = pieces[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < pieces.length; i++) {
                String parameter = pieces[i].trim();
                if (parameter.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (name.equals(coding)) {
                return q;
            }
            if (name.equals("*")) {
                wildcard = q;
            }
        }
        return wildcard;
    }

    byte[] encode(byte[] body) {
        if (this == IDENTITY) {
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 32);
        try (var compressor = this == GZIP ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
            compressor.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
