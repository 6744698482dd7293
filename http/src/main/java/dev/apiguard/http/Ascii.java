package dev.apiguard.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte-level helpers for HTTP/1.x text: no regex, no allocation. */
final class Ascii {
    private Ascii() {}

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    /** RFC 9110 tchar. */
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) TOKEN[c] = true;
        for (int c = 'a'; c <= 'z'; c++) TOKEN[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) TOKEN[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TOKEN[c] = true;
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Value of a hex digit, or -1. */
    static int hexValue(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** Eight bytes of an array as one little-endian long: the first byte is the lowest. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The first index of {@code value} in {@code b[from, to)}, or -1. Eight bytes per step (a header
     * line is 20-40 bytes: the line-end search was the largest single cost of parsing a response
     * head): {@code (x - ONES) & ~x & HIGHS} flags the zero bytes of {@code x}, the bytes equal to
     * {@code value} once XOR-ed with it; a borrow can flag a byte above a zero one, never below, so
     * the lowest flag is always a match.
     */
    static int indexOf(byte[] b, int from, int to, byte value) {
        int i = from;
        if (to - i >= 8) {
            long pattern = (value & 0xFFL) * ONES;
            for (; i <= to - 8; i += 8) {
                long x = (long) LONGS.get(b, i) ^ pattern;
                long found = (x - ONES) & ~x & HIGHS;
                if (found != 0) {
                    return i + (Long.numberOfTrailingZeros(found) >>> 3);
                }
            }
        }
        for (; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the ':' that ends a header field's name starting at {@code from}, or -1 when a byte
     * before it is not a token byte or there is none before {@code to}: one pass for both checks.
     */
    static int fieldNameEnd(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == ':') {
                return i;
            }
            if (!TOKEN[c & 0xFF]) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * True when {@code b[from, to)} equals {@code lower} ignoring ASCII case. {@code lower} holds only
     * lower-case letters and '-', and callers pass token bytes, so OR-ing 0x20 is exact here.
     */
    static boolean equalsLower(byte[] b, int from, int to, byte[] lower) {
        if (to - from != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            if ((b[from + i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code b[off..)} starts with {@code prefix} (exact case) within {@code len} bytes. */
    static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** A non-negative decimal of at most 18 digits, or -1 when {@code b[from, to)} is anything else. */
    static long parseDecimal(byte[] b, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            if (!isDigit(b[i])) {
                return -1;
            }
            value = value * 10 + (b[i] - '0');
        }
        return value;
    }

    static int skipSpaces(byte[] b, int from, int to) {
        while (from < to && (b[from] == SP || b[from] == HTAB)) from++;
        return from;
    }

    static int trimSpacesEnd(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == SP || b[to - 1] == HTAB)) to--;
        return to;
    }

    /** True when the last comma-separated element of {@code b[from, to)} is "chunked", any case. */
    static boolean lastCodingIsChunked(byte[] b, int from, int to) {
        int end = trimSpacesEnd(b, from, to);
        int start = end;
        while (start > from && b[start - 1] != ',') start--;
        start = skipSpaces(b, start, end);
        return equalsLower(b, start, end, CHUNKED);
    }

    private static final byte[] CHUNKED = bytes("chunked");

    static byte[] bytes(String ascii) {
        return ascii.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
