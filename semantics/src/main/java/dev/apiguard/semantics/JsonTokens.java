package dev.apiguard.semantics;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.apiguard.semantics.json.JsonLexer;

/**
 * The byte lexer's tokens as {@link JsonScan} reads them: the subset of Jackson's parser calls it used (so its rules
 * did not change), over {@link JsonLexer#forRules}. Names are Strings, shared across calls through a small cache;
 * a string's text is a char view decoded into a reused buffer only when asked for. Malformed JSON throws, as
 * Jackson did; the end of the input is a null token. One per thread, reused.
 */
final class JsonTokens {
    /** Malformed input: thrown without a stack trace (it ends a scan, it is not a bug). */
    private static final IOException MALFORMED = new Malformed();

    private static final class Malformed extends IOException {
        Malformed() {
            super("malformed JSON");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private final JsonLexer lexer = JsonLexer.forRules();
    private boolean whole;
    private JsonToken current;
    /** A whole document: the value after a name, read with the name (as Jackson's blocking parser did). */
    private JsonToken pending;
    private String name;
    /** The current name's bytes, until {@link #name} makes it a String. */
    private int nameStart;
    private int nameLength;
    private char[] text = new char[256];
    private int textLength = -1;

    void reset(byte[] bytes, int offset, int end, boolean whole) {
        Charset wide = whole ? wideEncoding(bytes, offset, end) : null;
        if (wide != null) {
            // A whole UTF-16 or UTF-32 document: Jackson's blocking parser detected it and read the characters.
            int from = offset + bomLength;
            byte[] utf8 = wide == WEIRD ? new byte[] {'?'}
                    : new String(bytes, from, end - from, wide).getBytes(StandardCharsets.UTF_8);
            lexer.reset(utf8, 0, utf8.length, true);
        } else {
            lexer.reset(bytes, offset, end, whole);
        }
        this.whole = whole;
        this.current = null;
        this.pending = null;
        this.name = null;
        this.textLength = -1;
    }

    private static final Charset WEIRD = StandardCharsets.US_ASCII; // a byte order Jackson refused: malformed
    private int bomLength;

    /**
     * The encoding Jackson's blocking parser detected from the first bytes (its byte order marks, then the zero
     * bytes of UTF-32 and UTF-16), or null for UTF-8; {@link #bomLength} is what it skipped.
     */
    private Charset wideEncoding(byte[] b, int offset, int end) {
        bomLength = 0;
        int n = end - offset;
        if (n < 2) {
            return null;
        }
        if (n < 4) {
            return utf16(((b[offset] & 0xff) << 8) | (b[offset + 1] & 0xff));
        }
        int quad = (b[offset] << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8) | (b[offset + 3] & 0xff);
        switch (quad) {
            case 0x0000FEFF -> {
                bomLength = 4;
                return Charset.forName("UTF-32BE");
            }
            case 0xFFFE0000 -> {
                bomLength = 4;
                return Charset.forName("UTF-32LE");
            }
            case 0x0000FFFE, 0xFEFF0000 -> {
                return WEIRD;
            }
            default -> { }
        }
        if (quad >>> 16 == 0xFEFF) {
            bomLength = 2;
            return StandardCharsets.UTF_16BE;
        }
        if (quad >>> 16 == 0xFFFE) {
            bomLength = 2;
            return StandardCharsets.UTF_16LE;
        }
        if (quad >>> 8 == 0xEFBBBF) {
            return null; // UTF-8 with its mark, which the lexer skips
        }
        if (quad >> 8 == 0) {
            return Charset.forName("UTF-32BE");
        }
        if ((quad & 0x00FFFFFF) == 0) {
            return Charset.forName("UTF-32LE");
        }
        if ((quad & ~0x00FF0000) == 0 || (quad & ~0x0000FF00) == 0) {
            return WEIRD;
        }
        return utf16(quad >>> 16);
    }

    private static Charset utf16(int first2) {
        return (first2 & 0xFF00) == 0 ? StandardCharsets.UTF_16BE : (first2 & 0x00FF) == 0 ? StandardCharsets.UTF_16LE : null;
    }

    void clear() {
        lexer.clear();
        current = pending = null;
        name = null;
    }

    /** The next token; null at the end of the input. */
    JsonToken nextToken() throws IOException {
        textLength = -1;
        if (pending != null) {
            current = pending;
            pending = null;
            return current;
        }
        JsonToken t = token(lexer.next());
        current = t;
        if (t == JsonToken.FIELD_NAME) {
            name = null; // made when asked for: the names of skipped values never are
            kind = null;
            kindSlot = -1;
            nameStart = lexer.start();
            nameLength = lexer.length();
            if (!lexer.plain() || nameLength > MAX_CACHED_NAME) {
                name = decodedName(); // escapes or non-ASCII: decoded now, while the lexer is on the name
            }
            if (whole) {
                // The blocking parser read the name, its colon and the start of its value (a number or literal
                // whole) in one call: a fault there failed the name.
                JsonToken v = token(lexer.next());
                if (v == null) {
                    throw MALFORMED;
                }
                pending = v;
            }
        }
        return t;
    }

    /** {@link #skipRest}: the container had an element; the input ended before the container did. */
    static final int SKIP_ANY = 1;
    static final int SKIP_ENDED = 2;

    /**
     * Skips the rest of the current container: what {@link #nextToken} calls up to its end token would do (the same
     * failures, the same last token and name), read from the lexer directly, since nobody looks at those tokens.
     *
     * @return {@link #SKIP_ANY} when the container had any element, plus {@link #SKIP_ENDED} when the input ended
     *         first (the last token is then null)
     */
    int skipRest() throws IOException {
        if (pending != null) {
            return skipByTokens(); // not reached from the scan: a value's token is taken before it is skipped
        }
        textLength = -1;
        int open = 1;
        int any = 0;
        JsonLexer.Token t = lexer.next();
        while (true) {
            if (t == null) {
                token(null); // throws when malformed
                current = null;
                return any | SKIP_ENDED;
            }
            switch (t) {
                case START_OBJECT, START_ARRAY -> open++;
                case END_OBJECT, END_ARRAY -> open--;
                case NAME -> {
                    name = null;
                    kind = null;
                    kindSlot = -1;
                    nameStart = lexer.start();
                    nameLength = lexer.length();
                    if (!lexer.plain() || nameLength > MAX_CACHED_NAME) {
                        name = decodedName();
                    }
                    if (whole) {
                        // The name's value came with it (see nextToken): the end there failed the name.
                        JsonLexer.Token v = lexer.next();
                        if (v == null) {
                            token(null);
                            throw MALFORMED;
                        }
                        any = SKIP_ANY;
                        t = v;
                        continue;
                    }
                }
                default -> { }
            }
            if (open == 0) {
                current = TOKENS[t.ordinal()];
                return any;
            }
            any = SKIP_ANY;
            t = lexer.next();
        }
    }

    /** {@link #skipRest} one {@link #nextToken} at a time. */
    private int skipByTokens() throws IOException {
        JsonToken t = nextToken();
        if (t == null) {
            return SKIP_ENDED;
        }
        if (t.isStructEnd()) {
            return 0;
        }
        int open = t.isStructStart() ? 2 : 1;
        while (open > 0) {
            t = nextToken();
            if (t == null) {
                return SKIP_ANY | SKIP_ENDED;
            }
            if (t.isStructStart()) {
                open++;
            } else if (t.isStructEnd()) {
                open--;
            }
        }
        return SKIP_ANY;
    }

    /** The lexer's tokens by ordinal (a number is an int one here; {@link #token} tells the float ones). */
    private static final JsonToken[] TOKENS = new JsonToken[JsonLexer.Token.values().length];

    static {
        for (JsonLexer.Token t : JsonLexer.Token.values()) {
            TOKENS[t.ordinal()] = switch (t) {
                case START_OBJECT -> JsonToken.START_OBJECT;
                case END_OBJECT -> JsonToken.END_OBJECT;
                case START_ARRAY -> JsonToken.START_ARRAY;
                case END_ARRAY -> JsonToken.END_ARRAY;
                case NAME -> JsonToken.FIELD_NAME;
                case STRING -> JsonToken.VALUE_STRING;
                case NUMBER -> JsonToken.VALUE_NUMBER_INT;
                case TRUE -> JsonToken.VALUE_TRUE;
                case FALSE -> JsonToken.VALUE_FALSE;
                case NULL -> JsonToken.VALUE_NULL;
            };
        }
    }

    private JsonToken token(JsonLexer.Token t) throws IOException {
        if (t == null) {
            if (lexer.malformed()) {
                throw MALFORMED;
            }
            return null;
        }
        JsonToken j = TOKENS[t.ordinal()];
        return j == JsonToken.VALUE_NUMBER_INT && !lexer.integral() ? JsonToken.VALUE_NUMBER_FLOAT : j;
    }

    /** The member's name: at its name token, and at a scalar value of an object (null in an array or at the root). */
    String currentName() {
        if (current == JsonToken.FIELD_NAME) {
            return name();
        }
        return current != null && !current.isStructStart() && !current.isStructEnd() && lexer.inObject() ? name() : null;
    }

    char[] getTextCharacters() throws IOException {
        decode();
        return text;
    }

    int getTextOffset() {
        return 0;
    }

    int getTextLength() throws IOException {
        if (textLength < 0 && lexer.plain() && !lexer.unreadable()) {
            return lexer.length(); // plain ASCII: one char per byte, no need to decode for the length alone
        }
        decode();
        return textLength;
    }

    /** A number's text as written. */
    String getText() throws IOException {
        if (current == JsonToken.VALUE_STRING) {
            decode();
            return new String(text, 0, textLength);
        }
        if (!whole && lexer.length() == 2 && lexer.bytes()[lexer.start()] == '-' && lexer.bytes()[lexer.start() + 1] == '0') {
            return "0"; // the non-blocking parser dropped the sign of a negative zero
        }
        return new String(lexer.bytes(), lexer.start(), lexer.length(), StandardCharsets.ISO_8859_1);
    }

    private void decode() throws IOException {
        if (textLength >= 0) {
            return;
        }
        if (lexer.unreadable()) {
            throw MALFORMED; // the blocking parser failed when a broken string was read
        }
        if (text.length < lexer.length()) {
            text = new char[Math.max(lexer.length(), text.length * 2)];
        }
        textLength = lexer.chars(text);
    }

    /**
     * The current number as a long: 0 only for a zero; fractions and huge values map to non-zero sentinels (an
     * integer beyond a long is {@link Long#MAX_VALUE}, a fraction {@link Long#MIN_VALUE}; a double that is whole
     * and below 1e15 is that long), as Jackson's number types gave it.
     */
    long number() {
        byte[] b = lexer.bytes();
        int from = lexer.start();
        int to = from + lexer.length();
        int i = from;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        if (lexer.integral()) {
            if (to - i <= 18) {
                long n = 0;
                for (; i < to; i++) {
                    n = n * 10 + (b[i] - '0');
                }
                return negative ? -n : n;
            }
            try {
                return Long.parseLong(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
            } catch (NumberFormatException beyondLong) {
                return Long.MAX_VALUE;
            }
        }
        // A plain decimal of at most 15 digits: exact without parsing a double (a non-zero fraction stays a fraction).
        long whole = 0;
        int digits = 0;
        boolean fraction = false;
        boolean nonZeroFraction = false;
        int k = i;
        for (; k < to; k++) {
            int c = b[k];
            if (c == '.') {
                fraction = true;
                continue;
            }
            if (c < '0' || c > '9') {
                break; // an exponent: the slow path
            }
            digits++;
            if (fraction) {
                nonZeroFraction |= c != '0';
            } else {
                whole = whole * 10 + (c - '0');
            }
        }
        if (k == to && digits <= 15) {
            return nonZeroFraction ? Long.MIN_VALUE : negative ? -whole : whole;
        }
        double d = Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
        return d == 0 ? 0 : (d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : Long.MIN_VALUE);
    }

    /**
     * Member names by their bytes: the names of one API repeat, so most cost a hash and a compare, not a String.
     * Two ways per set, so two names of one body that share a set do not evict each other on every call. A slot's
     * key is packed in one row of {@link #keys} (hash and length, then the name's words), one or two cache lines.
     */
    private static final int NAMES = 256;
    private static final int MAX_CACHED_NAME = 64;
    private static final int ROW = 1 + MAX_CACHED_NAME / 8;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final long[] keys = new long[NAMES * ROW];
    private final String[] nameStrings = new String[NAMES];
    private final FieldKind[] nameKinds = new FieldKind[NAMES];
    private final long[] words = new long[MAX_CACHED_NAME / 8];
    /** The last name's kind once asked for, and its cache slot (-1: not cached). */
    private FieldKind kind;
    private int kindSlot;

    /** What the last member name means to the rules ({@link FieldKind#of}), kept with the name once asked for. */
    FieldKind nameKind() {
        String n = name(); // a cached name brings its kind
        if (kind == null) {
            kind = FieldKind.of(n);
            if (kindSlot >= 0) {
                nameKinds[kindSlot] = kind;
            }
        }
        return kind;
    }

    private String decodedName() {
        if (text.length < nameLength) {
            text = new char[Math.max(nameLength, text.length * 2)];
        }
        return new String(text, 0, lexer.chars(text));
    }

    /** The current member's name (plain names come from the cache, by their bytes). */
    private String name() {
        if (name != null) {
            return name;
        }
        int length = nameLength;
        byte[] b = lexer.bytes();
        int from = nameStart;
        // The name as little-endian words, the last one masked: one pass gives both the hash and the key.
        int count = (length + 7) >>> 3;
        long[] w = this.words;
        long h = length;
        for (int k = 0; k < count; k++) {
            int at = from + (k << 3);
            int rest = length - (k << 3);
            long v;
            if (at + 8 <= b.length) {
                v = (long) LONGS.get(b, at);
            } else {
                v = 0;
                for (int i = Math.min(rest, 8) - 1; i >= 0; i--) {
                    v = v << 8 | (b[at + i] & 0xff);
                }
            }
            if (rest < 8) {
                v &= (1L << (rest << 3)) - 1;
            }
            w[k] = v;
            h = (h ^ v) * 0x9E3779B97F4A7C15L;
        }
        int hash = (int) (h ^ (h >>> 32));
        // Hash and length + 1 (0 marks an empty slot). A name holds no zero byte (a raw control byte fails), so
        // equal masked words and lengths are equal names.
        long head = (long) hash << 32 | (length + 1);
        int set = (hash ^ (hash >>> 15)) & (NAMES - 2);
        for (int slot = set; slot < set + 2; slot++) {
            int row = slot * ROW;
            if (keys[row] == head && same(row, w, count)) {
                kind = nameKinds[slot];
                kindSlot = slot;
                name = nameStrings[slot];
                return name;
            }
        }
        // A miss: the way not used last (the second way's entry moves to the first).
        int slot = set + 1;
        if (keys[set * ROW] == 0) {
            slot = set;
        } else {
            System.arraycopy(keys, slot * ROW, keys, set * ROW, ROW);
            nameStrings[set] = nameStrings[slot];
            nameKinds[set] = nameKinds[slot];
        }
        String s = new String(b, from, length, StandardCharsets.ISO_8859_1);
        int row = slot * ROW;
        keys[row] = head;
        System.arraycopy(w, 0, keys, row + 1, count);
        nameStrings[slot] = s;
        nameKinds[slot] = null;
        kind = null;
        kindSlot = slot;
        name = s;
        return s;
    }

    private boolean same(int row, long[] w, int count) {
        for (int k = 0; k < count; k++) {
            if (keys[row + 1 + k] != w[k]) {
                return false;
            }
        }
        return true;
    }
}
