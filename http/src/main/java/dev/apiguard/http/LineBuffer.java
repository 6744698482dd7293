package dev.apiguard.http;

import java.util.Arrays;

/** Holds the part of a text line that arrived in an earlier event. Callers bound its size. */
final class LineBuffer {
    private static final byte[] EMPTY = new byte[0];
    private static final int KEEP_AT_MOST = 2048;

    private byte[] bytes = EMPTY;
    private int size;

    void append(byte[] b, int from, int to) {
        int n = to - from;
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + n, Math.max(128, bytes.length * 2)));
        }
        System.arraycopy(b, from, bytes, size, n);
        size += n;
    }

    byte[] array() {
        return bytes;
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
        if (bytes.length > KEEP_AT_MOST) {
            bytes = EMPTY; // a rare huge header should not pin memory on an idle connection
        }
    }
}
