package io.socketfleet.node.adapter;

/**
 * Offsets of stored broadcasts are Redis stream ids, {@code <milliseconds>-<sequence>} (the
 * in-memory store issues the same form), so they order numerically part by part.
 */
public final class Offsets {

    private Offsets() {
    }

    /** Whether this text is an offset at all (socket.io-client sends back whatever string came last). */
    public static boolean valid(String offset) {
        return offset != null && offset.matches("[0-9]{1,19}-[0-9]{1,19}");
    }

    /** Negative, zero or positive as {@code a} comes before, is, or comes after {@code b}; both valid. */
    public static int compare(String a, String b) {
        int dash = a.indexOf('-');
        int otherDash = b.indexOf('-');
        int byTime = Long.compareUnsigned(Long.parseUnsignedLong(a, 0, dash, 10), Long.parseUnsignedLong(b, 0, otherDash, 10));
        return byTime != 0 ? byTime : Long.compareUnsigned(Long.parseUnsignedLong(a, dash + 1, a.length(), 10),
                Long.parseUnsignedLong(b, otherDash + 1, b.length(), 10));
    }

    /** The largest offset before this one (XREAD's exclusive start for reading this one too). */
    public static String previous(String offset) {
        int dash = offset.indexOf('-');
        long millis = Long.parseUnsignedLong(offset.substring(0, dash));
        long sequence = Long.parseUnsignedLong(offset.substring(dash + 1));
        return sequence != 0 ? millis + "-" + Long.toUnsignedString(sequence - 1)
                : Long.toUnsignedString(millis - 1) + "-" + Long.toUnsignedString(-1L);
    }

    /** The smallest offset after this one (XRANGE's exclusive start, spelled for Redis before 6.2). */
    public static String next(String offset) {
        int dash = offset.indexOf('-');
        return offset.substring(0, dash + 1) + Long.toUnsignedString(Long.parseUnsignedLong(offset.substring(dash + 1)) + 1);
    }
}
