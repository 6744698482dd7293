package dev.apiguard.semantics;

/** Allocation-free helpers over the parser's character buffers. */
final class Text {
    private Text() {}

    static char lower(char c) {
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        // Cyrillic capitals, so Russian-style messages meet the lower-case lexicon.
        return c >= '\u0410' && c <= '\u042F' ? (char) (c + 32) : c == '\u0401' ? '\u0451' : c;
    }

    static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** {@code lowerWord} must be lower case. */
    static boolean equalsIgnoreCase(char[] buf, int off, int len, String lowerWord) {
        if (len != lowerWord.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (lower(buf[off + i]) != lowerWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean startsWithIgnoreCase(char[] buf, int off, int len, String lowerWord) {
        if (len < lowerWord.length()) {
            return false;
        }
        for (int i = 0; i < lowerWord.length(); i++) {
            if (lower(buf[off + i]) != lowerWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean endsWithIgnoreCase(char[] buf, int off, int len, String lowerWord) {
        int n = lowerWord.length();
        return len >= n && startsWithIgnoreCase(buf, off + len - n, n, lowerWord);
    }

    /** True when some alphanumeric token of the text equals one of {@code lowerTokens}. */
    static boolean hasToken(char[] buf, int off, int len, String[] lowerTokens) {
        int end = off + len;
        int i = off;
        while (i < end) {
            while (i < end && !isAlnum(buf[i])) {
                i++;
            }
            int start = i;
            while (i < end && isAlnum(buf[i])) {
                i++;
            }
            if (i > start) {
                for (String token : lowerTokens) {
                    if (equalsIgnoreCase(buf, start, i - start, token)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static boolean equalsAny(char[] buf, int off, int len, String[] lowerWords) {
        for (String word : lowerWords) {
            if (equalsIgnoreCase(buf, off, len, word)) {
                return true;
            }
        }
        return false;
    }

    /** Substring search in {@code hay[from, to)}; both already lower case. */
    static boolean contains(char[] hay, int from, int to, String needle) {
        int n = needle.length();
        char first = needle.charAt(0);
        outer:
        for (int i = from; i + n <= to; i++) {
            if (hay[i] != first) {
                continue;
            }
            for (int j = 1; j < n; j++) {
                if (hay[i + j] != needle.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** {@code lowerNeedle} (lower case) occurs in the text, ignoring case. */
    static boolean containsIgnoreCase(char[] buf, int off, int len, String lowerNeedle) {
        int n = lowerNeedle.length();
        outer:
        for (int i = off; i + n <= off + len; i++) {
            for (int j = 0; j < n; j++) {
                if (lower(buf[i + j]) != lowerNeedle.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The text as a decimal integer code ("0", "00", "-1", "40004"), or {@link Long#MIN_VALUE} when it is not one. */
    static long parseCode(char[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = i < end && buf[i] == '-';
        if (negative) {
            i++;
        }
        if (i >= end || end - i > 18) {
            return Long.MIN_VALUE;
        }
        long n = 0;
        for (; i < end; i++) {
            char c = buf[i];
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            n = n * 10 + (c - '0');
        }
        return negative ? -n : n;
    }
}
