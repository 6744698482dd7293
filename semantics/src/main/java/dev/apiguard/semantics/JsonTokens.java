package dev.apiguard.semantics;

import java.io.IOException;
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
    private char[] text = new char[256];
    private int textLength = -1;

    void reset(byte[] bytes, int offset, int end, boolean whole) {
        lexer.reset(bytes, offset, end, whole);
        this.whole = whole;
        this.current = null;
        this.pending = null;
        this.name = null;
        this.textLength = -1;
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
            name = name();
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

    private JsonToken token(JsonLexer.Token t) throws IOException {
        if (t == null) {
            if (lexer.malformed()) {
                throw MALFORMED;
            }
            return null;
        }
        return switch (t) {
            case START_OBJECT -> JsonToken.START_OBJECT;
            case END_OBJECT -> JsonToken.END_OBJECT;
            case START_ARRAY -> JsonToken.START_ARRAY;
            case END_ARRAY -> JsonToken.END_ARRAY;
            case NAME -> JsonToken.FIELD_NAME;
            case STRING -> JsonToken.VALUE_STRING;
            case NUMBER -> lexer.integral() ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
            case TRUE -> JsonToken.VALUE_TRUE;
            case FALSE -> JsonToken.VALUE_FALSE;
            case NULL -> JsonToken.VALUE_NULL;
        };
    }

    /** The member's name: at its name token, and at a scalar value of an object (null in an array or at the root). */
    String currentName() {
        if (current == JsonToken.FIELD_NAME) {
            return name;
        }
        return current != null && !current.isStructStart() && !current.isStructEnd() && lexer.inObject() ? name : null;
    }

    char[] getTextCharacters() throws IOException {
        decode();
        return text;
    }

    int getTextOffset() {
        return 0;
    }

    int getTextLength() throws IOException {
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
        if (lexer.defective()) {
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

    /** Member names by their bytes: the names of one API repeat, so most cost a hash and a compare, not a String. */
    private static final int NAMES = 512;
    private static final int MAX_CACHED_NAME = 64;
    private final byte[][] nameBytes = new byte[NAMES][];
    private final String[] nameStrings = new String[NAMES];

    private String name() {
        if (!lexer.plain() || lexer.length() > MAX_CACHED_NAME) {
            if (text.length < lexer.length()) {
                text = new char[Math.max(lexer.length(), text.length * 2)];
            }
            return new String(text, 0, lexer.chars(text));
        }
        byte[] b = lexer.bytes();
        int from = lexer.start();
        int length = lexer.length();
        int hash = 1;
        for (int i = from; i < from + length; i++) {
            hash = 31 * hash + b[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (NAMES - 1);
        byte[] known = nameBytes[slot];
        if (known != null && Arrays.equals(known, 0, known.length, b, from, from + length)) {
            return nameStrings[slot];
        }
        String s = new String(b, from, length, StandardCharsets.ISO_8859_1);
        nameBytes[slot] = Arrays.copyOfRange(b, from, from + length);
        nameStrings[slot] = s;
        return s;
    }
}
