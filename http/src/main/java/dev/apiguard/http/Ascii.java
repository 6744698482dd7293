package dev.apiguard.http;

/** Byte-level helpers for HTTP/1.x text: no regex, no allocation. */
final class Ascii {
    private Ascii() {}

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) TOKEN[c] = true;
        for (int c = 'a'; c <= 'z'; c++) TOKEN[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) TOKEN[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TOKEN[c] = true;
    }

    /** RFC 9110 tchar. */
    static boolean isToken(byte c) {
        return TOKEN[c & 0xFF];
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

    static int indexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
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
