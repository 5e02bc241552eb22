package io.socketfleet.node.engineio;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * engine.io's {@code cookie} option: the handshake response of a long-polling session sets a cookie
 * holding the session id (a load balancer may route on it). Off unless given; the defaults are
 * engine.io 6's: {@code io=<sid>; Path=/; HttpOnly; SameSite=Lax}. As engine.io 6.6, a session
 * opened directly on a websocket gets no cookie.
 *
 * @param name     the cookie's name
 * @param path     its {@code Path}; null leaves it out
 * @param httpOnly whether scripts may not read it
 * @param sameSite {@code Lax}, {@code Strict} or {@code None}; null leaves it out
 * @param domain   its {@code Domain}; null leaves it out
 * @param maxAge   its {@code Max-Age}; null for a session cookie
 * @param secure   whether it is sent over HTTPS only
 */
public record SessionCookie(String name, String path, boolean httpOnly, SameSite sameSite, String domain,
                            Duration maxAge, boolean secure) {

    public enum SameSite {
        LAX("Lax"), STRICT("Strict"), NONE("None");

        private final String text;

        SameSite(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public SessionCookie {
        Objects.requireNonNull(name);
        if (name.isEmpty() || !name.chars().allMatch(SessionCookie::isTokenChar)) {
            throw new IllegalArgumentException("not a cookie name: " + name);
        }
    }

    public static SessionCookie defaults() {
        return new SessionCookie("io", "/", true, SameSite.LAX, null, null, false);
    }

    public SessionCookie withName(String name) {
        return new SessionCookie(name, path, httpOnly, sameSite, domain, maxAge, secure);
    }

    public SessionCookie withPath(String path) {
        return new SessionCookie(name, path, httpOnly, sameSite, domain, maxAge, secure);
    }

    public SessionCookie withHttpOnly(boolean httpOnly) {
        return new SessionCookie(name, path, httpOnly, sameSite, domain, maxAge, secure);
    }

    public SessionCookie withSameSite(SameSite sameSite) {
        return new SessionCookie(name, path, httpOnly, sameSite, domain, maxAge, secure);
    }

    public SessionCookie withDomain(String domain) {
        return new SessionCookie(name, path, httpOnly, sameSite, domain, maxAge, secure);
    }

    public SessionCookie withMaxAge(Duration maxAge) {
        return new SessionCookie(name, path, httpOnly, sameSite, domain, maxAge, secure);
    }

    public SessionCookie withSecure(boolean secure) {
        return new SessionCookie(name, path, httpOnly, sameSite, domain, maxAge, secure);
    }

    /** The {@code Set-Cookie} value for this session id, attributes in the order the {@code cookie} package writes them. */
    public String header(String sid) {
        StringBuilder out = new StringBuilder(name).append('=').append(encode(sid));
        if (maxAge != null) {
            out.append("; Max-Age=").append(maxAge.toSeconds());
        }
        if (domain != null) {
            out.append("; Domain=").append(domain);
        }
        if (path != null) {
            out.append("; Path=").append(path);
        }
        if (httpOnly) {
            out.append("; HttpOnly");
        }
        if (secure) {
            out.append("; Secure");
        }
        if (sameSite != null) {
            out.append("; SameSite=").append(sameSite.text());
        }
        return out.toString();
    }

    /** As JavaScript's encodeURIComponent, which the cookie package applies to the value. */
    private static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-_.!~*'()".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
}
