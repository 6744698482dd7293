package dev.apiguard.semantics.learn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import dev.apiguard.semantics.json.JsonLexer;
import dev.apiguard.semantics.json.JsonLexer.Token;

/**
 * A light, bounded scan of a JSON body's start for the learner: the top-level members and those one
 * wrapper deep ({@code /result/code}), their scalar values, and whether an error-like member
 * ({@code error}, {@code errors}, {@code fault}, {@code errorMessage}, ...) holds something. Separate
 * from the classifier's own pass on purpose: it runs only on 2xx JSON bodies of learned routes.
 */
final class OutcomeScan {
    static final int MAX_BODY = 16 * 1024;
    static final int MAX_FIELDS = 64;
    static final int MAX_VALUE_TEXT = 64;
    private static final int MAX_ERROR_TEXT = 256;

    private static final Set<String> ERROR_NAMES = Set.of("error", "errors", "fault", "faults", "errormessage",
            "errmsg", "errorcode", "errcode", "err", "exception", "failure", "failures", "failurereason",
            "errordetail", "errordetails", "errordescription", "usererrors", "errorinfo");
    private static final Set<String> EMPTY_WORDS = Set.of("", "0", "none", "null", "nil", "false", "ok", "success",
            "no", "n/a");

    enum Kind {
        STRING, NUMBER, BOOLEAN, NULL, OBJECT, ARRAY;

        /** The kind as a baseline value names it (computed once, not per field). */
        final String label = name().toLowerCase(Locale.ROOT);
    }

    /**
     * One member: its JSON Pointer, its own name, and (for a scalar) its value's text; {@code outcomeNamed}: the
     * name is outcome-like ({@link Name#outcome}), from the analysis the scan already looked up.
     */
    record Field(String pointer, String name, Kind kind, String text, boolean meaningful, boolean outcomeNamed) {
        Value value() {
            return new Value(kind.label, kind == Kind.OBJECT || kind == Kind.ARRAY ? null : text);
        }
    }

    /**
     * What the learner derives from a member name alone: its normalized form, whether it is
     * error-like or outcome-like, and its pointer token (and pointer, at the top level). Responses of one API repeat the same few
     * names, so this is computed once per distinct name instead of once or twice per field (it was
     * most of the learner's cost per response).
     */
    record Name(String normalized, boolean error, boolean outcome, String token, String topPointer) {}

    /** Bound on the distinct names remembered; past it names are analysed each time (same result). */
    static final int MAX_NAMES = 4096;
    private static final ConcurrentHashMap<String, Name> NAMES = new ConcurrentHashMap<>();

    static Name name(String name) {
        Name n = NAMES.get(name);
        if (n == null) {
            String normalized = normalizedUncached(name);
            String token = name.replace("~", "~0").replace("/", "~1");
            n = new Name(normalized, ERROR_NAMES.contains(normalized), BaselineLearner.outcomeNormalized(normalized),
                    token, "/" + token);
            if (NAMES.size() < MAX_NAMES) {
                NAMES.putIfAbsent(name, n);
            }
        }
        return n;
    }

    /** A value as the baseline keeps it: kind (string, number, boolean, null, object, array) and text. */
    record Value(String kind, String text) {}

    static final class Observed {
        final List<Field> fields = new ArrayList<>();
        /** An error-like member at the top level or one wrapper deep holds something. */
        boolean errorObject;
        final StringBuilder errorText = new StringBuilder();

        Field field(String pointer) {
            for (Field f : fields) {
                if (f.pointer().equals(pointer)) {
                    return f;
                }
            }
            return null;
        }
    }

    private OutcomeScan() {}

    static String normalized(String name) {
        return name(name).normalized();
    }

    private static String normalizedUncached(String name) {
        StringBuilder s = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '-') {
                s.append(Character.toLowerCase(c));
            }
        }
        return s.toString();
    }

    static boolean errorName(String name) {
        return name(name).error();
    }

    /** The body as JSON text (inflated when gzip/deflate, at most {@link #MAX_BODY}); null when unsupported. */
    static byte[] decode(byte[] body, String contentEncoding) {
        if (body == null) {
            return null;
        }
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        if (encoding.isEmpty() || encoding.equals("identity")) {
            return body;
        }
        if (!encoding.equals("gzip") && !encoding.equals("x-gzip") && !encoding.equals("deflate")) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[2048];
        try (InputStream in = encoding.equals("deflate")
                ? new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(body.length < 2 || (body[0] & 0x0f) != 8))
                : new GZIPInputStream(new ByteArrayInputStream(body))) {
            int n;
            while (out.size() < MAX_BODY && (n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException cut) {
            // A captured prefix ends mid-stream: keep what inflated.
        }
        return out.toByteArray();
    }

    /** The members of a JSON object body; null when the body is not a JSON object. */
    static Observed scan(byte[] bytes) {
        int length = Math.min(bytes.length, MAX_BODY);
        int offset = length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        JsonLexer lexer = new JsonLexer(bytes, offset, length - offset);
        if (lexer.next() != Token.START_OBJECT) {
            return null;
        }
        Observed o = new Observed();
        // A cut prefix or broken JSON ends the lexer's tokens: what was seen before it stands.
        members(lexer, "", 0, o, false);
        return o;
    }

    /** Reads an object's members; returns whether it had any meaningful one. */
    private static boolean members(JsonLexer lexer, String prefix, int depth, Observed o, boolean inError) {
        boolean meaningful = false;
        while (lexer.next() == Token.NAME) {
            Known known = known(lexer);
            Token v = lexer.next();
            if (v == null) {
                return meaningful;
            }
            Name analysed = known.analysed();
            // A top-level member's pointer is the same String each time: its hash is computed once.
            String pointer = prefix.isEmpty() ? analysed.topPointer() : prefix + "/" + analysed.token();
            boolean error = analysed.error() && depth <= 1;
            boolean m;
            Kind kind;
            String text = null;
            if (v == Token.START_OBJECT) {
                kind = Kind.OBJECT;
                m = depth == 0 ? members(lexer, pointer, 1, o, error) : skip(lexer, o, inError || error);
            } else if (v == Token.START_ARRAY) {
                kind = Kind.ARRAY;
                m = skip(lexer, o, inError || error);
            } else {
                kind = switch (v) {
                    case STRING -> Kind.STRING;
                    case NUMBER -> Kind.NUMBER;
                    case TRUE, FALSE -> Kind.BOOLEAN;
                    default -> Kind.NULL;
                };
                text = switch (v) {
                    case TRUE -> "true";
                    case FALSE -> "false";
                    case NULL -> null;
                    default -> lexer.text(MAX_VALUE_TEXT);
                };
                m = meaningful(kind, text);
                if (inError || error) {
                    errorText(o, text);
                }
            }
            if (error && m) {
                o.errorObject = true;
            }
            meaningful |= m;
            if (o.fields.size() < MAX_FIELDS) {
                o.fields.add(new Field(pointer, known.name(), kind, text, m, analysed.outcome()));
            }
        }
        return meaningful;
    }

    /** Skips a container (its start already read); true when it holds anything; collects error text when asked. */
    private static boolean skip(JsonLexer lexer, Observed o, boolean collect) {
        int open = 1;
        boolean any = false;
        Token t;
        while (open > 0 && (t = lexer.next()) != null) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    open++;
                    any = true;
                }
                case END_OBJECT, END_ARRAY -> open--;
                case NAME -> { }
                default -> {
                    any = true;
                    if (collect && t == Token.STRING) {
                        errorText(o, lexer.text());
                    }
                }
            }
        }
        return any;
    }

    /** A member name met before: its bytes, its text and its analysis. */
    private record Known(byte[] bytes, int hash, String name, Name analysed) {}

    /**
     * Member names by their bytes, so a name seen before costs a hash and a compare, not a String. Lossy (a
     * colliding name replaces the entry) and shared without locks: entries are immutable, so a reader racing a
     * writer sees one whole entry or the other.
     */
    private static final Known[] KNOWN = new Known[1024];

    private static Known known(JsonLexer lexer) {
        if (!lexer.plain()) {
            String text = lexer.text(); // escapes or non-ASCII: rare, analysed through the String
            return new Known(null, 0, text, name(text));
        }
        byte[] b = lexer.bytes();
        int from = lexer.start();
        int length = lexer.length();
        int hash = 1;
        for (int i = from; i < from + length; i++) {
            hash = 31 * hash + b[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (KNOWN.length - 1);
        Known k = KNOWN[slot];
        if (k != null && k.hash() == hash && Arrays.equals(k.bytes(), 0, k.bytes().length, b, from, from + length)) {
            return k;
        }
        String text = new String(b, from, length, StandardCharsets.ISO_8859_1);
        k = new Known(Arrays.copyOfRange(b, from, from + length), hash, text, name(text));
        KNOWN[slot] = k;
        return k;
    }

    private static void errorText(Observed o, String text) {
        if (text != null && o.errorText.length() < MAX_ERROR_TEXT) {
            o.errorText.append(text, 0, Math.min(text.length(), MAX_ERROR_TEXT - o.errorText.length())).append(' ');
        }
    }

    private static boolean meaningful(Kind kind, String text) {
        return switch (kind) {
            case BOOLEAN -> "true".equals(text);
            case NUMBER -> {
                int plain = plainDecimalNonZero(text);
                if (plain >= 0) {
                    yield plain == 1;
                }
                try {
                    yield Double.parseDouble(text) != 0;
                } catch (NumberFormatException e) {
                    yield true;
                }
            }
            // Every empty word is at most 5 characters, and lower-casing never shortens a string: a
            // longer text with nothing to trim is meaningful without building its lower-case copy.
            case STRING -> (text.length() > 5 && text.charAt(0) > ' ' && text.charAt(text.length() - 1) > ' ')
                    || !EMPTY_WORDS.contains(text.trim().toLowerCase(Locale.ROOT));
            default -> false;
        };
    }

    /**
     * A number's text without an exponent ({@code -12.50}): 1 when it is not zero, 0 when it is;
     * -1 for any other form (an exponent can underflow to zero, so those go through parseDouble).
     */
    static int plainDecimalNonZero(String text) {
        int i = text.startsWith("-") ? 1 : 0;
        if (i >= text.length()) {
            return -1;
        }
        boolean digits = false;
        boolean dot = false;
        boolean nonZero = false;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = true;
                nonZero |= c != '0';
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return -1;
            }
        }
        return !digits ? -1 : nonZero ? 1 : 0;
    }
}
