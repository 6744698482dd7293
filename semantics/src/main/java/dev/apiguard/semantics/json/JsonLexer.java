package dev.apiguard.semantics.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A JSON token reader over a byte range, for the learner's scan and the rules' envelope scan: it checks the grammar
 * as it goes and stops (returns null) at the end of the bytes or at anything malformed. It allocates nothing per
 * token: string and number tokens stay byte ranges until their text is asked for.
 *
 * <p>Two readings of a prefix. The learner's ({@link #JsonLexer(byte[], int, int)}) also stops at a token the range
 * may cut, so a captured prefix reads as far as it is whole. The rules' ({@link #forRules}) reads as Jackson did for
 * them before, so their verdicts stay the same: a whole document as Jackson's blocking parser does, a prefix as its
 * non-blocking parser followed by one space (a number or literal right at the cut counts as complete), and tells
 * the end of the input apart from malformed JSON ({@link #malformed}).
 *
 * <p>Why not Jackson: its non-blocking parser (the one that reads a cut prefix without an exception) was most of
 * the time of both scans on the agent's hot path. Public only so both packages of the module can use it.
 */
public final class JsonLexer {
    public enum Token { START_OBJECT, END_OBJECT, START_ARRAY, END_ARRAY, NAME, STRING, NUMBER, TRUE, FALSE, NULL }

    /** Containers deeper than this end the scan (Jackson's default limit is 1,000; the learner reads 2 levels). */
    static final int MAX_DEPTH = 256;
    /** The rules' limits: Jackson's defaults ({@code StreamReadConstraints}), which ended their scan before. */
    static final int RULES_MAX_DEPTH = 1000;
    static final int MAX_NUMBER_LENGTH = 1000;

    private static final int EXPECT_VALUE = 0; // a value (or, right after '[', the ']')
    private static final int EXPECT_NAME = 1; // a member name (or, right after '{', the '}')
    private static final int AFTER_VALUE = 2; // ',' or the container's end
    private static final int DONE = 3; // the root value ended, or the input is cut or malformed
    private static final int EXPECT_COLON = 4; // the rules' prefix reading: a name was returned before its colon

    // What string(), number() and literal() found.
    private static final int OK = 1;
    private static final int CUT = 0; // the input ended inside the token
    private static final int BAD = -1;

    private byte[] b;
    private int end;
    private int pos;
    private int state = EXPECT_VALUE;
    private boolean first; // just after '{' or '[': the container may close at once
    /** One bit per open container: 1 = object, 0 = array. */
    private final boolean[] objects;
    private int depth;

    /** The rules' reading, and whether the range is a whole document (else a prefix). */
    private final boolean rules;
    private boolean whole;
    private boolean malformed;
    /** The rules' whole reading: the current string is broken; its text cannot be read, and the next token fails. */
    private boolean defective;
    /** The rules' whole reading: the current string's text cannot be read (it spells a surrogate), but it ends. */
    private boolean unreadable;

    // The current string or number token: bytes [start, stop), and whether it needs unescaping or UTF-8 decoding.
    private int start;
    private int stop;
    private boolean escaped;
    private boolean ascii;
    private boolean integral;

    public JsonLexer(byte[] bytes, int offset, int length) {
        this.b = bytes;
        this.pos = offset;
        this.end = offset + length;
        this.rules = false;
        this.objects = new boolean[MAX_DEPTH];
    }

    private JsonLexer() {
        this.rules = true;
        this.objects = new boolean[RULES_MAX_DEPTH];
    }

    /** A lexer for the rules' scan; {@link #reset} gives it its input (one per thread, reused). */
    public static JsonLexer forRules() {
        return new JsonLexer();
    }

    /**
     * Reads {@code bytes[offset, end)}: {@code whole}, a document that ends like a complete one (read as Jackson's
     * blocking parser did: the end inside a container is malformed, a broken string fails when read); otherwise a
     * prefix (read as Jackson's non-blocking parser fed one space after it: the end of the input is just the end).
     */
    public void reset(byte[] bytes, int offset, int end, boolean whole) {
        this.b = bytes;
        this.pos = offset;
        this.end = end;
        this.whole = whole;
        this.state = EXPECT_VALUE;
        this.first = false;
        this.depth = 0;
        this.malformed = false;
        this.defective = false;
        this.unreadable = false;
        this.start = this.stop = offset;
        if (end - offset >= 3 && (bytes[offset] & 0xff) == 0xef && (bytes[offset + 1] & 0xff) == 0xbb
                && (bytes[offset + 2] & 0xff) == 0xbf) {
            pos += 3; // a byte order mark, which Jackson skipped
        }
    }

    /** Forgets the input (so a thread's lexer does not keep a body alive). */
    public void clear() {
        this.b = null;
        this.pos = this.end = 0;
        this.state = DONE;
    }

    /** After {@code next()} returned null: the JSON was malformed there (the rules' reading; else it just ended). */
    public boolean malformed() {
        return malformed;
    }

    /** The rules' whole reading: the current string token is broken (Jackson found that only when it was read). */
    public boolean defective() {
        return defective;
    }

    /** The current token is in an object (a member's value), not in an array or at the root. */
    public boolean inObject() {
        return depth > 0 && objects[depth - 1];
    }

    /** The current string's text cannot be read (a broken string of a whole document, or one spelling a surrogate). */
    public boolean unreadable() {
        return defective || unreadable;
    }

    /** The current number has neither a fraction nor an exponent. */
    public boolean integral() {
        return integral;
    }

    /** The next token, or null at the end of the input, at a cut token or at malformed JSON. */
    public Token next() {
        if (defective) {
            defective = false;
            return fail(); // Jackson's blocking parser skipped the rest of a string it was not asked for, and failed
        }
        while (true) {
            skipWhitespace();
            if (state == DONE) {
                return null;
            }
            if (pos >= end) {
                return ended();
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
                    int read = c == '"' ? string(true) : BAD;
                    if (read != OK) {
                        return read == CUT && rules && !whole ? ended() : fail();
                    }
                    first = false;
                    if (rules && !whole) {
                        state = EXPECT_COLON; // the non-blocking parser returned the name before its colon
                        return Token.NAME;
                    }
                    skipWhitespace();
                    if (pos >= end || b[pos] != ':') {
                        return fail();
                    }
                    pos++;
                    state = EXPECT_VALUE;
                    return Token.NAME;
                }
                case EXPECT_COLON -> {
                    if (c != ':') {
                        return fail();
                    }
                    pos++;
                    state = EXPECT_VALUE;
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

    /**
     * Decodes the current string (or name) into {@code out} from index 0 and returns its length in chars, which is
     * at most {@link #length()}: escapes resolved, UTF-8 decoded as Jackson did (a four-byte sequence gives a
     * surrogate pair). Only for a token the rules' reading accepted.
     */
    public int chars(char[] out) {
        int n = 0;
        if (!escaped && ascii) {
            for (int i = start; i < stop; i++) {
                out[n++] = (char) b[i];
            }
            return n;
        }
        int i = start;
        while (i < stop) {
            int c = b[i];
            if (c == '\\') {
                int e = b[i + 1];
                if (e == 'u') {
                    out[n++] = (char) (hex(b[i + 2]) << 12 | hex(b[i + 3]) << 8 | hex(b[i + 4]) << 4 | hex(b[i + 5]));
                    i += 6;
                    continue;
                }
                out[n++] = switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    default -> (char) e; // \" \\ \/
                };
                i += 2;
            } else if (c >= 0) {
                out[n++] = (char) c;
                i++;
            } else {
                int lead = c & 0xff;
                if (lead < 0xe0) {
                    out[n++] = (char) ((lead & 0x1f) << 6 | (b[i + 1] & 0x3f));
                    i += 2;
                } else if (lead < 0xf0) {
                    out[n++] = (char) ((lead & 0x0f) << 12 | (b[i + 1] & 0x3f) << 6 | (b[i + 2] & 0x3f));
                    i += 3;
                } else {
                    int cp = ((lead & 0x07) << 18 | (b[i + 1] & 0x3f) << 12 | (b[i + 2] & 0x3f) << 6 | (b[i + 3] & 0x3f))
                            - 0x10000;
                    out[n++] = (char) (0xd800 | (cp >> 10));
                    out[n++] = (char) (0xdc00 | (cp & 0x3ff));
                    i += 4;
                }
            }
        }
        return n;
    }

    private static int hex(int c) {
        return Character.digit(c, 16);
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
        state = depth > 0 ? AFTER_VALUE : rules ? EXPECT_VALUE : DONE; // Jackson reads a stream of root values
        return c == '}' ? Token.END_OBJECT : Token.END_ARRAY;
    }

    private Token value(int c) {
        first = false;
        if (rules) {
            return rulesValue(c);
        }
        switch (c) {
            case '{', '[' -> {
                return open(c);
            }
            case '"' -> {
                return string() == OK ? scalar(Token.STRING) : fail();
            }
            case 't', 'f', 'n' -> {
                return literalValue(c);
            }
            default -> {
                return number() ? scalar(Token.NUMBER) : fail();
            }
        }
    }

    /** A value in the rules' reading: limits, broken strings and number and literal ends as Jackson had them. */
    private Token rulesValue(int c) {
        switch (c) {
            case '{', '[' -> {
                return open(c);
            }
            case '"' -> {
                int from = pos;
                int read = string();
                if (read == OK) {
                    return scalar(Token.STRING);
                }
                if (!whole) {
                    return read == CUT ? ended() : fail();
                }
                // The blocking parser returned a string before reading it: it failed only when asked for it.
                start = stop = from;
                escaped = false;
                ascii = true;
                defective = true;
                return Token.STRING;
            }
            case 't', 'f', 'n' -> {
                return literalValue(c);
            }
            default -> {
                return rulesNumber() ? scalar(Token.NUMBER) : fail();
            }
        }
    }

    /** {@code true}, {@code false} or {@code null}, checked as the current reading checks a literal's end. */
    private Token literalValue(int c) {
        String word = c == 't' ? "true" : c == 'f' ? "false" : "null";
        boolean read = rules ? rulesLiteral(word) : literal(word);
        return read ? scalar(c == 't' ? Token.TRUE : c == 'f' ? Token.FALSE : Token.NULL) : fail();
    }

    /** Opens an object or array; past the reading's depth limit (the stack's length) the input is malformed. */
    private Token open(int c) {
        if (depth == objects.length) {
            return fail();
        }
        objects[depth++] = c == '{';
        pos++;
        state = c == '{' ? EXPECT_NAME : EXPECT_VALUE;
        first = true;
        return c == '{' ? Token.START_OBJECT : Token.START_ARRAY;
    }

    private Token scalar(Token t) {
        state = depth > 0 ? AFTER_VALUE : rules ? EXPECT_VALUE : DONE;
        return t;
    }

    private Token fail() {
        state = DONE;
        malformed = rules;
        return null;
    }

    /** The input ended: malformed inside a container of a whole document, else just the end. */
    private Token ended() {
        if (rules && whole && depth > 0) {
            return fail();
        }
        state = DONE;
        return null;
    }

    /**
     * Reads a string starting at the quote: {@link #OK}, {@link #CUT} when the input ends inside it, {@link #BAD} for
     * a raw control byte, a bad escape, or (the rules' reading) bytes Jackson did not take as UTF-8; an escape or
     * UTF-8 sequence that the end cuts is bad too (the space after a prefix breaks it).
     */
    private int string() {
        return string(false);
    }

    /** A name's UTF-8 is checked once it is whole (Jackson decoded names only then); a value's as it goes. */
    private int string(boolean name) {
        int i = pos + 1;
        boolean esc = false;
        boolean asc = true;
        boolean sur = false;
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
                return CUT;
            }
            int c = b[i];
            if (c == '"') {
                if (name && rules && !asc && !utf8(pos + 1, i)) {
                    return BAD;
                }
                if (sur && !whole) {
                    return BAD; // the non-blocking parser decoded a string as it read it
                }
                unreadable = sur; // the blocking parser skipped such a string unread, and failed only to decode it
                start = pos + 1;
                stop = i;
                escaped = esc;
                ascii = asc;
                pos = i + 1;
                return OK;
            }
            if (c == '\\') {
                int n = escapeLength(i + 1);
                if (n < 0) {
                    return BAD; // cut inside the escape, or not one of JSON's escapes
                }
                esc = true;
                i += 1 + n;
            } else if (c < 0) {
                asc = false; // a byte of a UTF-8 sequence
                if (rules && !name) {
                    int n = utf8Length(i);
                    if (n < 0) {
                        return BAD;
                    }
                    sur |= n == 3 && surrogate(i);
                    i += n;
                } else {
                    i++;
                }
            } else if (c < 0x20) {
                return BAD;
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

    /** The bytes {@code [from, to)} (escapes aside) are UTF-8 as Jackson read it; sequences may not run past {@code to}. */
    private boolean utf8(int from, int to) {
        int limit = end;
        end = to;
        try {
            for (int i = from; i < to; ) {
                if (b[i] >= 0) {
                    i += b[i] == '\\' ? 1 + escapeLength(i + 1) : 1;
                    continue;
                }
                int n = utf8Length(i);
                if (n < 0 || (n == 3 && surrogate(i))) {
                    return false;
                }
                i += n;
            }
            return true;
        } finally {
            end = limit;
        }
    }

    /**
     * The length of the UTF-8 sequence whose first byte (not ASCII) is at {@code i}, or -1: as Jackson reads it, the
     * first byte gives the length (C0-DF two, E0-EF three, F0-F7 four) and each further byte must be 10xxxxxx;
     * overlong forms, surrogates and code points past U+10FFFF pass here ({@link #surrogate}).
     */
    private int utf8Length(int i) {
        int lead = b[i] & 0xff;
        int n = lead >= 0xc0 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf7 ? 4 : -1;
        if (n < 0 || i + n > end) {
            return -1;
        }
        for (int k = 1; k < n; k++) {
            if ((b[i + k] & 0xc0) != 0x80) {
                return -1;
            }
        }
        return n;
    }

    /** A three-byte sequence at {@code i} that spells a surrogate (U+D800-DFFF), which Jackson 2.21 refused to decode. */
    private boolean surrogate(int i) {
        return (b[i] & 0xff) == 0xed && (b[i + 1] & 0xff) >= 0xa0;
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

    /**
     * The rules' number: JSON's grammar, as Jackson checked it. What follows is left to the next token, except that
     * a lone 0 of a prefix may not run into a letter and a root number of a whole document must end in a space.
     * At the end of a prefix the number is complete (the space after it ends it).
     */
    private boolean rulesNumber() {
        int i = pos;
        if (i < end && b[i] == '-') {
            i++;
        }
        if (i >= end || b[i] < '0' || b[i] > '9') {
            return false;
        }
        boolean zero = b[i] == '0';
        int intDigits = i;
        i = zero ? i + 1 : digits(i);
        intDigits = i - intDigits;
        if (zero && i < end && b[i] >= '0' && b[i] <= '9') {
            return false; // leading zeroes
        }
        boolean plainInt = true;
        if (i < end && b[i] == '.') {
            int after = digits(i + 1);
            if (after == i + 1) {
                return false;
            }
            i = after;
            plainInt = false;
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
            plainInt = false;
        }
        if (plainInt ? intDigits > MAX_NUMBER_LENGTH : i - pos > MAX_NUMBER_LENGTH) {
            return false;
        }
        if (i < end) {
            int c = b[i] & 0xff;
            if (!whole && zero && plainInt && c > '9' && c != ']' && c != '}') {
                return false;
            }
            if (whole && depth == 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        start = pos;
        stop = i;
        escaped = false;
        ascii = true;
        integral = plainInt;
        pos = i;
        return true;
    }

    /**
     * The rules' literal: spelled out in full and followed by a byte below '0', ']' or '}', or the end; a whole
     * document also lets it run into a character that cannot continue a Java identifier.
     */
    private boolean rulesLiteral(String word) {
        int n = word.length();
        if (pos + n > end) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (b[pos + k] != word.charAt(k)) {
                return false;
            }
        }
        if (pos + n < end) {
            int c = whole ? b[pos + n] & 0xff : b[pos + n]; // the non-blocking parser compared a signed byte
            if (c >= '0' && c != ']' && c != '}' && (!whole || identifierPart(pos + n))) {
                return false;
            }
        }
        start = pos;
        stop = pos + n;
        escaped = false;
        ascii = true;
        pos += n;
        return true;
    }

    /**
     * The byte at {@code i} may continue a Java identifier, which failed the literal before it. Jackson's blocking
     * parser decoded a non-ASCII character there from its first byte twice (as lead and as continuation): always
     * broken, so always a failure.
     */
    private boolean identifierPart(int i) {
        int c = b[i];
        return c < 0 || Character.isJavaIdentifierPart((char) c);
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
