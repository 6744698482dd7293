package dev.apiguard.semantics.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A JSON token reader over a byte range, for the learner's scan: it checks the grammar as it goes and stops (returns
 * null) at the end of the bytes, at a token the range cuts, or at anything malformed, so a captured prefix reads
 * as far as it is whole. It allocates nothing per token: string and number tokens stay byte ranges until
 * {@link #text} or {@link #name} is asked for them.
 *
 * <p>Why not Jackson here: its non-blocking parser (the one that reads a cut prefix without an exception) was most
 * of the learner's time on the agent's hot path, and the learner reads only names and short scalar texts.
 */
public final class JsonLexer {
    public enum Token { START_OBJECT, END_OBJECT, START_ARRAY, END_ARRAY, NAME, STRING, NUMBER, TRUE, FALSE, NULL }

    /** Containers deeper than this end the scan (Jackson's default limit is 1,000; the learner reads 2 levels). */
    static final int MAX_DEPTH = 256;

    private static final int EXPECT_VALUE = 0; // a value (or, right after '[', the ']')
    private static final int EXPECT_NAME = 1; // a member name (or, right after '{', the '}')
    private static final int AFTER_VALUE = 2; // ',' or the container's end
    private static final int DONE = 3; // the root value ended, or the input is cut or malformed

    private final byte[] b;
    private final int end;
    private int pos;
    private int state = EXPECT_VALUE;
    private boolean first; // just after '{' or '[': the container may close at once
    /** One bit per open container: 1 = object, 0 = array. */
    private final boolean[] objects = new boolean[MAX_DEPTH];
    private int depth;

    // The current string or number token: bytes [start, stop), and whether it needs unescaping or UTF-8 decoding.
    private int start;
    private int stop;
    private boolean escaped;
    private boolean ascii;

    public JsonLexer(byte[] bytes, int offset, int length) {
        this.b = bytes;
        this.pos = offset;
        this.end = offset + length;
    }

    /** The next token, or null at the end of the input, at a cut token or at malformed JSON. */
    public Token next() {
        while (true) {
            skipWhitespace();
            if (state == DONE || pos >= end) {
                state = DONE;
                return null;
            }
            int c = b[pos];
            switch (state) {
                case AFTER_VALUE -> {
                    if (c == ',') {
                        pos++;
                        state = objects[depth - 1] ? EXPECT_NAME : EXPECT_VALUE;
                        first = false;
                        continue;
                    }
                    return close(c);
                }
                case EXPECT_NAME -> {
                    if (c == '}' && first) {
                        return close(c);
                    }
                    if (c != '"' || !string()) {
                        return fail();
                    }
                    skipWhitespace();
                    if (pos >= end || b[pos] != ':') {
                        return fail();
                    }
                    pos++;
                    state = EXPECT_VALUE;
                    first = false;
                    return Token.NAME;
                }
                default -> {
                    if (c == ']' && first && depth > 0 && !objects[depth - 1]) {
                        return close(c);
                    }
                    return value(c);
                }
            }
        }
    }

    /** The current string token as text (unescaped, UTF-8 decoded). */
    public String text() {
        if (!escaped) {
            return new String(b, start, stop - start, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        }
        return unescape();
    }

    /** The current token as text, at most {@code max} characters. */
    public String text(int max) {
        if (!escaped && ascii) {
            return new String(b, start, Math.min(stop - start, max), StandardCharsets.ISO_8859_1);
        }
        String s = text();
        return s.length() > max ? s.substring(0, max) : s;
    }

    /** The current token's bytes as written (a name or string without its quotes), for lookups. */
    public int start() {
        return start;
    }

    public int length() {
        return stop - start;
    }

    /** True when the current name or string is plain ASCII without escapes: its bytes are its characters. */
    public boolean plain() {
        return !escaped && ascii;
    }

    public byte[] bytes() {
        return b;
    }

    private Token close(int c) {
        if (depth == 0 || (c == '}') != objects[depth - 1] || (c != '}' && c != ']')) {
            return fail();
        }
        pos++;
        depth--;
        first = false;
        state = depth == 0 ? DONE : AFTER_VALUE;
        return c == '}' ? Token.END_OBJECT : Token.END_ARRAY;
    }

    private Token value(int c) {
        first = false;
        switch (c) {
            case '{', '[' -> {
                if (depth == MAX_DEPTH) {
                    return fail();
                }
                objects[depth++] = c == '{';
                pos++;
                state = c == '{' ? EXPECT_NAME : EXPECT_VALUE;
                first = true;
                return c == '{' ? Token.START_OBJECT : Token.START_ARRAY;
            }
            case '"' -> {
                return string() ? scalar(Token.STRING) : fail();
            }
            case 't' -> {
                return literal("true") ? scalar(Token.TRUE) : fail();
            }
            case 'f' -> {
                return literal("false") ? scalar(Token.FALSE) : fail();
            }
            case 'n' -> {
                return literal("null") ? scalar(Token.NULL) : fail();
            }
            default -> {
                return number() ? scalar(Token.NUMBER) : fail();
            }
        }
    }

    private Token scalar(Token t) {
        state = depth == 0 ? DONE : AFTER_VALUE;
        return t;
    }

    private Token fail() {
        state = DONE;
        return null;
    }

    /** Reads a string starting at the quote; false when the input ends inside it or it holds a raw control byte. */
    private boolean string() {
        int i = pos + 1;
        boolean esc = false;
        boolean asc = true;
        while (true) {
            // Eight ordinary bytes at a time: most of a body is long runs of plain string characters.
            while (i + 8 <= end) {
                long special = special((long) LONGS.get(b, i));
                if (special != 0) {
                    i += Long.numberOfTrailingZeros(special) >>> 3;
                    break;
                }
                i += 8;
            }
            if (i >= end) {
                return false;
            }
            int c = b[i];
            if (c == '"') {
                start = pos + 1;
                stop = i;
                escaped = esc;
                ascii = asc;
                pos = i + 1;
                return true;
            }
            if (c == '\\') {
                int n = escapeLength(i + 1);
                if (n < 0) {
                    return false; // cut inside the escape, or not one of JSON's escapes
                }
                esc = true;
                i += 1 + n;
            } else if (c < 0) {
                asc = false; // a byte of a UTF-8 sequence
                i++;
            } else if (c < 0x20) {
                return false;
            } else {
                i++;
            }
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;

    /**
     * The high bit of each byte of {@code w} (little-endian) that is a quote, a backslash, a control byte or not ASCII.
     * Only the lowest set bit is exact (a borrow may set bits above it), and only the lowest is used.
     */
    private static long special(long w) {
        long quote = w ^ (ONES * '"');
        long backslash = w ^ (ONES * '\\');
        return ((quote - ONES) & ~quote | (backslash - ONES) & ~backslash | (w - ONES * 0x20) & ~w | w) & HIGH;
    }

    /** The length of the escape after a backslash at {@code i} (1, or 5 for {@code uXXXX}); -1 when invalid or cut. */
    private int escapeLength(int i) {
        if (i >= end) {
            return -1;
        }
        switch (b[i]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return 1;
            }
            case 'u' -> {
                if (i + 4 >= end) {
                    return -1;
                }
                for (int k = i + 1; k <= i + 4; k++) {
                    if (Character.digit(b[k], 16) < 0) {
                        return -1;
                    }
                }
                return 5;
            }
            default -> {
                return -1;
            }
        }
    }

    /**
     * Reads a number (JSON's grammar: optional minus, no leading zero, fraction, exponent) followed by a delimiter.
     * A number that runs to the end of the bytes is not read: the range may cut it.
     */
    private boolean number() {
        int i = pos;
        if (i < end && b[i] == '-') {
            i++;
        }
        if (i >= end || b[i] < '0' || b[i] > '9') {
            return false;
        }
        i = b[i] == '0' ? i + 1 : digits(i);
        if (i < end && b[i] == '.') {
            int after = digits(i + 1);
            if (after == i + 1) {
                return false;
            }
            i = after;
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int after = digits(i);
            if (after == i) {
                return false;
            }
            i = after;
        }
        if (i >= end || !delimiter(b[i])) {
            return false; // 01, 1x, 1.2.3, or cut: 4 of 429 cannot be told from a whole 4
        }
        start = pos;
        stop = i;
        escaped = false;
        ascii = true;
        pos = i;
        return true;
    }

    /** The index after the run of decimal digits starting at {@code i}. */
    private int digits(int i) {
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i;
    }

    private boolean literal(String word) {
        int n = word.length();
        if (pos + n > end) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (b[pos + k] != word.charAt(k)) {
                return false;
            }
        }
        if (pos + n >= end || !delimiter(b[pos + n])) { // at the end of a cut prefix, read nothing as whole
            return false;
        }
        start = pos;
        stop = pos + n;
        escaped = false;
        ascii = true;
        pos += n;
        return true;
    }

    private static boolean delimiter(int c) {
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private void skipWhitespace() {
        while (pos < end) {
            int c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    /** The slow path: a string with escapes (already checked by {@link #escapeLength}). */
    private String unescape() {
        String raw = new String(b, start, stop - start, StandardCharsets.UTF_8);
        StringBuilder s = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 >= raw.length()) {
                s.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case 'n' -> s.append('\n');
                case 't' -> s.append('\t');
                case 'r' -> s.append('\r');
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'u' -> {
                    s.append((char) Integer.parseInt(raw, i + 1, i + 5, 16));
                    i += 4;
                }
                default -> s.append(e); // \" \\ \/
            }
        }
        return s.toString();
    }
}
