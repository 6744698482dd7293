package dev.apiguard.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Direct-mapped cache from short byte strings to Strings, so that methods, content types and
 * encodings, which repeat endlessly, are not allocated per message. Bounded by its slot count; a
 * collision simply replaces the slot. Single-threaded, like the tracker that owns it.
 */
final class StringCache {
    private static final int SLOTS = 256;
    private static final int MAX_CACHED_LENGTH = 64;

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];

    String get(byte[] b, int from, int to) {
        int length = to - from;
        if (length > MAX_CACHED_LENGTH) {
            return new String(b, from, length, StandardCharsets.ISO_8859_1);
        }
        int hash = 1;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + b[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, from, to)) {
            return values[slot];
        }
        String value = new String(b, from, length, StandardCharsets.ISO_8859_1);
        keys[slot] = Arrays.copyOfRange(b, from, to);
        values[slot] = value;
        return value;
    }
}
