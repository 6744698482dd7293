package dev.apiguard.semantics;

import java.io.IOException;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;

/**
 * One streaming pass over a JSON body. The top-level members fill the {@link Envelope}; nested
 * structures are skipped token by token, except inside error members (read for type hints) and
 * along user-rule pointers (values captured). For a cut prefix the parser is the non-blocking one:
 * at the end of the input it reports "no more input" instead of throwing.
 */
final class JsonScan {
    /** Type hints are read this deep inside an error member; deeper content only counts as present. */
    private static final int HINT_DEPTH = 4;

    private static final String[] FAILURE_TOKENS = {
        "fail", "failed", "failure", "error", "errored", "denied", "declined", "rejected", "invalid",
        "unauthorized", "unauthorised", "forbidden", "ko", "nok", "exceeded"
    };
    private static final String[] FAILURE_WORDS = {"not_found", "notfound", "not found", "over_query_limit",
        "over_daily_limit"};
    private static final String[] SUCCESS_WORDS = {"ok", "success", "succeeded", "successful", "true", "done",
        "completed", "complete", "accepted", "created", "healthy", "up", "pass", "passed", "0", "00", "0000", "200"};
    private static final String[] EMPTY_WORDS = {"0", "none", "null", "nil", "false", "ok", "success", "no", "n/a"};

    private final Envelope env;
    private final Consumer<RuntimeException> onInternalError;
    private JsonParser p;
    private Captures captures;
    private boolean ended;
    private boolean delimited;
    private static final byte[] SPACE = {' '};

    /** @param onInternalError told of exceptions that are bugs (here or in the parser), not bad input */
    JsonScan(Envelope env, Consumer<RuntimeException> onInternalError) {
        this.env = env;
        this.onInternalError = onInternalError;
    }

    /** Scans one document; I/O and syntax errors end the scan with what was seen so far. */
    void scan(JsonParser parser, PointerTrie.Node pointers, Captures captures) {
        this.p = parser;
        this.captures = captures;
        this.ended = false;
        this.delimited = false;
        try {
            JsonToken t = next();
            if (t == null) {
                return;
            }
            if (t == JsonToken.START_OBJECT) {
                env.topLevel = Envelope.TopLevel.OBJECT;
                topLevelObject(pointers);
            } else {
                env.topLevel = t == JsonToken.START_ARRAY ? Envelope.TopLevel.ARRAY : Envelope.TopLevel.SCALAR;
                value(t, pointers, false, FieldKind.OTHER, 0);
            }
        } catch (IOException malformed) {
            // Malformed or oddly encoded input: the verdict uses what was seen before it.
        } catch (RuntimeException bug) {
            // Not bad input but a bug: the verdict still uses what was seen before it, and it is reported.
            onInternalError.accept(bug);
        } finally {
            this.p = null;
            this.captures = null;
        }
    }

    private JsonToken next() throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.NOT_AVAILABLE && !delimited && p.getNonBlockingInputFeeder() != null) {
            // The prefix ended. A number or literal right at the cut is complete but unconfirmed until
            // a delimiter follows; one space confirms it (and is harmless anywhere else).
            delimited = true;
            ((ByteArrayFeeder) p.getNonBlockingInputFeeder()).feedInput(SPACE, 0, 1);
            t = p.nextToken();
        }
        if (t == null || t == JsonToken.NOT_AVAILABLE) {
            ended = true;
            return null;
        }
        return t;
    }

    private void topLevelObject(PointerTrie.Node pointers) throws IOException {
        if (pointers != null && pointers.slot >= 0) {
            captures.container(pointers.slot, Captures.Kind.OBJECT);
        }
        while (!ended) {
            JsonToken t = next();
            if (t == null || t == JsonToken.END_OBJECT) {
                return;
            }
            String name = p.currentName();
            PointerTrie.Node child = pointers == null ? null : pointers.child(name);
            if (pointers != null && pointers.slot >= 0) {
                captures.containerHasElements(pointers.slot);
            }
            t = next();
            if (t == null) {
                return;
            }
            env.members++;
            member(name, FieldKind.of(name), t, child);
        }
    }

    /** One top-level member: what it says to the built-in rules, then its value consumed. */
    private void member(String name, FieldKind kind, JsonToken t, PointerTrie.Node pointer) throws IOException {
        if (t.isStructStart()) {
            boolean errorMember = kind == FieldKind.ERROR || kind == FieldKind.ERROR_DETAIL;
            boolean meaningful = value(t, pointer, errorMember, kind, 1);
            switch (kind) {
                case ERROR -> {
                    if (meaningful) {
                        env.errorMeaningful = true;
                        if (t == JsonToken.START_ARRAY && name.equalsIgnoreCase("errors")) {
                            env.errorsArrayMeaningful = true;
                        }
                    }
                }
                case ERROR_DETAIL -> env.errorDetailMeaningful |= meaningful;
                case DATA -> env.dataPresent = true;
                default -> { }
            }
            return;
        }
        switch (kind) {
            case SUCCESS_FLAG -> {
                if (t == JsonToken.VALUE_TRUE || (t == JsonToken.VALUE_STRING && textIs("true"))) {
                    env.successTrue = true;
                } else if (t == JsonToken.VALUE_FALSE || (t == JsonToken.VALUE_STRING && textIs("false"))) {
                    env.successFalse = true;
                }
            }
            case FAILURE_FLAG -> env.failureFlag |= t == JsonToken.VALUE_TRUE;
            case ERROR -> {
                if (meaningfulScalar(t)) {
                    env.errorMeaningful = true;
                }
                hintIfString(t);
            }
            case ERROR_DETAIL -> {
                if (meaningfulScalar(t)) {
                    env.errorDetailMeaningful = true;
                }
                hintIfString(t);
            }
            case DATA -> env.dataPresent |= t != JsonToken.VALUE_NULL;
            case STATUS -> status(name, t);
            case CODE -> code(t);
            case ERROR_CODE -> {
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    long n = number();
                    env.errorCodeFailure |= n != 0;
                    env.statusNumber(n);
                } else if (t == JsonToken.VALUE_STRING && meaningfulScalar(t)) {
                    env.errorCodeFailure = true;
                    hintIfString(t);
                }
            }
            case HTTP_STATUS -> {
                if (t == JsonToken.VALUE_NUMBER_INT) {
                    env.statusNumber(number());
                }
            }
            case MESSAGE -> message(t);
            case PROBLEM_TYPE -> {
                if (t == JsonToken.VALUE_STRING) {
                    env.problemTypeUri |= uriLike();
                    hintIfString(t);
                }
            }
            case PROBLEM_TITLE -> {
                if (t == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
                    env.problemTitle = true;
                    hintIfString(t);
                }
            }
            case PROBLEM_DETAIL -> {
                if (t == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
                    env.problemDetail = true;
                    message(t);
                }
            }
            case PROBLEM_INSTANCE -> env.problemInstance |= t == JsonToken.VALUE_STRING;
            case AWS_TYPE -> {
                if (t == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
                    env.awsType = true;
                    hintIfString(t);
                }
            }
            case JSONRPC -> env.jsonrpc = true;
            case RESOURCE_ID -> env.resourceLike |= t != JsonToken.VALUE_NULL;
            case OTHER -> { }
        }
        value(t, pointer, false, kind, 1);
    }

    private void status(String name, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING -> {
                char[] buf = p.getTextCharacters();
                int off = p.getTextOffset();
                int len = p.getTextLength();
                if (Text.hasToken(buf, off, len, FAILURE_TOKENS) || Text.equalsAny(buf, off, len, FAILURE_WORDS)) {
                    env.statusFailure = true;
                    env.statusFailureFromResult |= name.equalsIgnoreCase("result");
                    env.hint(buf, off, len);
                } else if (Text.equalsAny(buf, off, len, SUCCESS_WORDS)) {
                    env.statusSuccess = true;
                }
            }
            case VALUE_NUMBER_INT -> env.statusNumber(number());
            case VALUE_TRUE -> env.statusSuccess = true;
            case VALUE_FALSE -> env.statusFalse = true;
            default -> { }
        }
    }

    private void code(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            env.codeNumeric = true;
            env.codeNumber = number();
            env.statusNumber(env.codeNumber);
        } else if (t == JsonToken.VALUE_STRING) {
            char[] buf = p.getTextCharacters();
            int off = p.getTextOffset();
            int len = p.getTextLength();
            if (Text.equalsAny(buf, off, len, SUCCESS_WORDS)) {
                env.codeSuccess = true;
                return;
            }
            int before = env.hintLength;
            env.hint(buf, off, len);
            // A string code is a failure only when it reads like one ("card_declined", not "US").
            if (env.hintLength > before && (Text.hasToken(buf, off, len, FAILURE_TOKENS)
                    || TypeHints.fromText(env.hints, before, env.hintLength) != null)) {
                env.codeStringFailure = true;
            }
        }
    }

    private void message(JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING || p.getTextLength() == 0) {
            return;
        }
        char[] buf = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        env.messagePresent = true;
        if (Text.equalsAny(buf, off, len, SUCCESS_WORDS) || Text.startsWithIgnoreCase(buf, off, len, "success")) {
            env.messageSuccess = true;
        } else {
            env.hint(buf, off, len);
        }
    }

    /**
     * Consumes the value starting at {@code t}: captures it where a pointer ends, reads hints when
     * asked, and skips the rest.
     *
     * @return whether the value holds something meaningful (not null, 0, false, "" or empty)
     */
    private boolean value(JsonToken t, PointerTrie.Node pointer, boolean hints, FieldKind key, int depth)
            throws IOException {
        int slot = pointer == null ? -1 : pointer.slot;
        if (!t.isStructStart()) {
            if (slot >= 0) {
                capture(slot, t);
            }
            if (hints) {
                hintIfString(t);
                if (t == JsonToken.VALUE_NUMBER_INT && (key == FieldKind.CODE || key == FieldKind.ERROR_CODE
                        || key == FieldKind.STATUS || key == FieldKind.HTTP_STATUS)) {
                    env.statusNumber(number());
                }
            }
            return meaningfulScalar(t);
        }
        boolean object = t == JsonToken.START_OBJECT;
        if (slot >= 0) {
            captures.container(slot, object ? Captures.Kind.OBJECT : Captures.Kind.ARRAY);
        }
        boolean descend = depth < PointerTrie.MAX_DEPTH
                && ((pointer != null && pointer.hasChildren()) || (hints && depth <= HINT_DEPTH));
        if (!descend) {
            boolean nonEmpty = skip();
            if (slot >= 0 && nonEmpty) {
                captures.containerHasElements(slot);
            }
            return nonEmpty;
        }
        boolean meaningful = false;
        for (int index = 0; !ended; index++) {
            JsonToken n = next();
            if (n == null || n.isStructEnd()) {
                break;
            }
            PointerTrie.Node child;
            FieldKind childKey = FieldKind.OTHER;
            if (object) {
                String name = p.currentName();
                child = pointer == null ? null : pointer.child(name);
                if (hints) {
                    childKey = FieldKind.of(name);
                }
                n = next();
                if (n == null) {
                    break;
                }
            } else {
                child = pointer == null ? null : pointer.child(index);
            }
            if (slot >= 0) {
                captures.containerHasElements(slot);
            }
            meaningful |= value(n, child, hints && depth < HINT_DEPTH, childKey, depth + 1);
        }
        return meaningful;
    }

    /** Skips the rest of a container; true when it had any element. */
    private boolean skip() throws IOException {
        JsonToken t = next();
        if (t == null || t.isStructEnd()) {
            return false;
        }
        int open = t.isStructStart() ? 2 : 1;
        while (open > 0) {
            t = next();
            if (t == null) {
                break;
            }
            if (t.isStructStart()) {
                open++;
            } else if (t.isStructEnd()) {
                open--;
            }
        }
        return true;
    }

    private void capture(int slot, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_NULL -> captures.scalar(slot, Captures.Kind.NULL, null);
            case VALUE_TRUE -> captures.scalar(slot, Captures.Kind.BOOLEAN, "true");
            case VALUE_FALSE -> captures.scalar(slot, Captures.Kind.BOOLEAN, "false");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> captures.scalar(slot, Captures.Kind.NUMBER, p.getText());
            case VALUE_STRING -> captures.scalar(slot, Captures.Kind.STRING,
                    new String(p.getTextCharacters(), p.getTextOffset(),
                            Math.min(p.getTextLength(), Captures.MAX_TEXT)));
            default -> { }
        }
    }

    private boolean meaningfulScalar(JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_TRUE -> true;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number() != 0;
            case VALUE_STRING -> p.getTextLength() > 0
                    && !Text.equalsAny(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), EMPTY_WORDS);
            default -> false;
        };
    }

    private void hintIfString(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            env.hint(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
    }

    private boolean textIs(String lowerWord) throws IOException {
        return Text.equalsIgnoreCase(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), lowerWord);
    }

    private boolean uriLike() throws IOException {
        char[] buf = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        if (len == 0) {
            return false;
        }
        if (buf[off] == '/' || Text.startsWithIgnoreCase(buf, off, len, "urn:")
                || Text.startsWithIgnoreCase(buf, off, len, "tag:") || Text.equalsIgnoreCase(buf, off, len, "about:blank")) {
            return true;
        }
        for (int i = off; i + 2 < off + len; i++) {
            if (buf[i] == ':' && buf[i + 1] == '/' && buf[i + 2] == '/') {
                return true;
            }
        }
        return false;
    }

    /** The number as a long: 0 only for a zero; fractions and huge values map to non-zero sentinels. */
    private long number() throws IOException {
        return switch (p.getNumberType()) {
            case INT, LONG -> p.getLongValue();
            case BIG_INTEGER -> Long.MAX_VALUE;
            default -> {
                double d = p.getDoubleValue();
                yield d == 0 ? 0 : (d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : Long.MIN_VALUE);
            }
        };
    }
}
