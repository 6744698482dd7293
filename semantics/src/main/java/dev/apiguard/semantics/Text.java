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

    /**
     * A fixed set of lower-case words, grouped by length: a word of the text whose length no entry
     * has (most words of a long message) is rejected with one bit test instead of a compare per entry.
     */
    static final class Lexicon {
        private final String[][] byLength;
        private final long lengths;

        Lexicon(String... lowerTokens) {
            String[][] groups = new String[64][];
            long mask = 0;
            for (String token : lowerTokens) {
                int n = token.length();
                if (n == 0 || n >= 64) {
                    throw new IllegalArgumentException("lexicon entries are 1..63 characters: '" + token + "'");
                }
                String[] g = groups[n] == null ? new String[0] : groups[n];
                g = java.util.Arrays.copyOf(g, g.length + 1);
                g[g.length - 1] = token;
                groups[n] = g;
                mask |= 1L << n;
            }
            this.byLength = groups;
            this.lengths = mask;
        }

        boolean contains(char[] buf, int off, int len) {
            if (len >= 64 || (lengths & (1L << len)) == 0) {
                return false;
            }
            for (String token : byLength[len]) {
                if (equalsIgnoreCase(buf, off, len, token)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** True when some alphanumeric token of the text is in {@code lexicon}. */
    static boolean hasToken(char[] buf, int off, int len, Lexicon lexicon) {
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
            if (i > start && lexicon.contains(buf, start, i - start)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #hasToken} for several lexicons in one pass over the text: bit {@code k} is set when a
     * token is in {@code lexicons[k]} (at most 32 lexicons).
     */
    static int tokenMask(char[] buf, int off, int len, Lexicon[] lexicons) {
        int all = (1 << lexicons.length) - 1;
        int found = 0;
        int end = off + len;
        int i = off;
        while (i < end && found != all) {
            while (i < end && !isAlnum(buf[i])) {
                i++;
            }
            int start = i;
            while (i < end && isAlnum(buf[i])) {
                i++;
            }
            if (i > start) {
                for (int k = 0; k < lexicons.length; k++) {
                    if ((found & (1 << k)) == 0 && lexicons[k].contains(buf, start, i - start)) {
                        found |= 1 << k;
                    }
                }
            }
        }
        return found;
    }

    /**
     * {@link #containsIgnoreCase} for several needles in one pass: bit {@code k} is set when
     * {@code lowerNeedles[k]} occurs (at most 32 needles, each non-empty and lower case).
     */
    static int containsMask(char[] buf, int off, int len, String[] lowerNeedles) {
        int all = (1 << lowerNeedles.length) - 1;
        long firstLow = 0;
        long firstHigh = 0;
        for (String needle : lowerNeedles) {
            char c = needle.charAt(0);
            if (c < 64) {
                firstLow |= 1L << c;
            } else if (c < 128) {
                firstHigh |= 1L << (c - 64);
            } else {
                firstLow = firstHigh = -1L; // a non-ASCII first letter: no filter
            }
        }
        int found = 0;
        int end = off + len;
        for (int i = off; i < end && found != all; i++) {
            char first = lower(buf[i]);
            // Most positions start no needle: one bit test skips them.
            if (first < 128 && ((first < 64 ? firstLow >>> first : firstHigh >>> (first - 64)) & 1) == 0) {
                continue;
            }
            for (int k = 0; k < lowerNeedles.length; k++) {
                String needle = lowerNeedles[k];
                int n = needle.length();
                if ((found & (1 << k)) != 0 || needle.charAt(0) != first || i + n > end) {
                    continue;
                }
                int j = 1;
                while (j < n && lower(buf[i + j]) == needle.charAt(j)) {
                    j++;
                }
                if (j == n) {
                    found |= 1 << k;
                }
            }
        }
        return found;
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
