package dev.apiguard.semantics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The classifier: status, then content type and encoding, then one streaming pass over the body
 * that feeds both the user rules and the built-in envelope rules.
 *
 * <p>Per call it allocates, only when user rules capture values, their strings; the scratch state
 * (lexer, inflaters, buffers, envelope facts) is reused per thread.
 */
final class EnvelopeClassifier implements Classifier {
    /** The classifier reads at most this much of a plain body (both sources keep a 1 KiB prefix; a longer body is fine). */
    static final int MAX_BODY = 64 * 1024;
    private static final int MEDIA_CACHE_LIMIT = 256;

    private static final Verdict OK_SILENT = new Verdict.Ok(true);
    private static final Verdict OK_LOUD = new Verdict.Ok(false);
    private static final Verdict PARTIAL_SILENT = new Verdict.PartialSuccess(true);
    private static final Verdict PARTIAL_LOUD = new Verdict.PartialSuccess(false);
    private static final byte[] EMPTY = new byte[0];

    private record Media(MediaType kind, String base) {}

    private final List<UserRule> rules;
    private final SeverityPolicy severity;
    private final PointerTrie pointers;
    private final Map<String, Media> mediaCache = new ConcurrentHashMap<>();
    private final ThreadLocal<Scratch> scratch;
    private final Consumer<RuntimeException> onInternalError;

    private static final class Scratch {
        final Envelope envelope = new Envelope();
        final JsonScan scan;
        final BodyDecoder decoder = new BodyDecoder();
        final Captures captures;

        Scratch(int slots, Consumer<RuntimeException> onInternalError) {
            scan = new JsonScan(envelope, onInternalError);
            captures = new Captures(slots);
        }
    }

    EnvelopeClassifier(SemanticsConfig config, Consumer<RuntimeException> onInternalError) {
        this.onInternalError = onInternalError;
        this.rules = config.rules();
        this.severity = config.severity();
        this.pointers = config.pointers();
        int slots = pointers.slots();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(slots, onInternalError));
    }

    @Override
    public Verdict classify(ResponseSample response) {
        if (response == null) {
            return OK_LOUD;
        }
        boolean silent = response.status() >= 200 && response.status() < 300;
        try {
            return decide(response, silent);
        } catch (RuntimeException unexpected) {
            // The contract: a verdict never throws. Anything unforeseen reads as "nothing to report",
            // and is reported as the bug it is.
            onInternalError.accept(unexpected);
            return silent ? OK_SILENT : OK_LOUD;
        }
    }

    private Verdict decide(ResponseSample response, boolean silent) {
        int status = response.status();
        Verdict ok = silent ? OK_SILENT : OK_LOUD;
        // A 5xx is a system error, never a business error; 1xx, 3xx and bodiless answers say nothing.
        if (!silent && (status < 400 || status >= 500)) {
            return ok;
        }
        if (status == 204 || status == 205) {
            return ok;
        }
        Media media = media(response.contentType());
        boolean multipart = media.kind() == MediaType.OTHER && media.base().startsWith("multipart/mixed");
        // User rules address JSON by pointer: they read JSON bodies, and bodies their content-types
        // name explicitly (text/plain carrying JSON, say), never XML.
        boolean rulesRead = !rules.isEmpty() && media.kind() != MediaType.XML
                && (media.kind().isJson() || rulesReadAsJson(media.base()));
        if (media.kind() == MediaType.OTHER && !rulesRead && !multipart) {
            return ok;
        }
        byte[] body = response.body() == null ? EMPTY : response.body();
        BodyDecoder.Encoding encoding = BodyDecoder.encoding(response.contentEncoding());
        if (encoding == BodyDecoder.Encoding.UNSUPPORTED) {
            return ok;
        }
        Scratch s = scratch.get();
        byte[] bytes = body;
        int length = Math.min(body.length, MAX_BODY);
        if (encoding != BodyDecoder.Encoding.IDENTITY) {
            length = s.decoder.inflate(encoding, body, length);
            bytes = s.decoder.buffer();
        }
        int offset = hasBom(bytes, length) ? 3 : 0;
        if (length - offset <= 0) {
            return ok;
        }
        Envelope env = s.envelope;
        env.reset();
        env.intent(response.intent()); // before the scan: a batch item is judged as it is read
        env.namedRead = response.namesOneRecord();
        MediaType kind = media.kind();
        if (multipart) {
            return silent ? multipartBatch(response, env, bytes, offset, length, ok) : ok;
        }
        if (kind == MediaType.XML) {
            XmlScan.scan(bytes, length, env);
        } else if (kind.isJson() || rulesRead) {
            env.problemMedia = kind == MediaType.PROBLEM_JSON;
            s.captures.reset();
            scanJson(s, bytes, offset, length, pointers.isEmpty() ? null : pointers.root());
        }
        if (rulesRead) {
            Verdict byRule = applyRules(response.route(), media, s.captures, silent);
            if (byRule != null) {
                return byRule;
            }
        }
        switch (kind) {
            case OTHER -> {
                return ok;
            }
            case NDJSON, JSON, PROBLEM_JSON -> {
                if (kind == MediaType.NDJSON || env.moreValues) {
                    // A stream of JSON values (docker-style progress lines): the last complete one says how it ended.
                    boolean mayContinue = response.truncated() || body.length > MAX_BODY
                            || (encoding != BodyDecoder.Encoding.IDENTITY && length == BodyDecoder.MAX_INFLATED);
                    long line = lastCompleteLine(bytes, offset, length, mayContinue);
                    if (line < 0) {
                        return ok;
                    }
                    env.reset();
                    scanJson(s, bytes, (int) (line >>> 32), (int) line, null);
                    env.encodingFamily = Verdict.Family.NDJSON;
                }
            }
            case FORM, TEXT -> {
                byte[] form = FormScan.toJson(bytes, offset, length, kind == MediaType.FORM);
                if (form == null) {
                    if (kind == MediaType.TEXT) {
                        return silent ? plainTextLines(response, env, bytes, offset, length, ok)
                                : plainTextError(response, env, bytes, offset, length, ok);
                    }
                    return ok;
                }
                env.reset();
                scanJson(s, form, 0, form.length, null);
                env.encodingFamily = Verdict.Family.FORM;
            }
            default -> { }
        }
        env.intent(env.soapRead ? ResponseSample.Intent.READ : response.intent()); // a SOAP getX reads
        return switch (env.judge(status)) {
            case OK -> ok;
            case PARTIAL -> silent ? PARTIAL_SILENT : PARTIAL_LOUD;
            case FAILURE -> {
                if (silent && env.family != Verdict.Family.BATCH && !env.batchPartial && env.emptyResult()) {
                    yield ok; // "no results for this search" in a 2xx: an empty result, not a failure
                }
                ErrorType type = env.inferType(status);
                // A plain envelope whose failure is a refused payment is a payment outcome.
                Verdict.Family family = env.family == Verdict.Family.ENVELOPE && type == ErrorType.PAYMENT_FAILURE
                        ? Verdict.Family.PAYMENT : env.family;
                yield new Verdict.BusinessError(type, severity.severity(response.route(), type), silent, family,
                        env.batchPartial);
            }
        };
    }

    /** Longest plain-text 4xx body read as the API's own words about the error. */
    static final int MAX_PLAIN_ERROR = 512;

    /**
     * A 4xx whose body is a short plain-text sentence ("invalid token") is the API describing the
     * error, as a structured 4xx body is; an HTML page or a long text is not read.
     */
    private Verdict plainTextError(ResponseSample response, Envelope env, byte[] b, int offset, int length, Verdict ok) {
        int from = offset;
        int to = length;
        while (from < to && b[from] <= ' ' && b[from] >= 0) {
            from++;
        }
        while (to > from && b[to - 1] <= ' ' && b[to - 1] >= 0) {
            to--;
        }
        if (to <= from || to - from > MAX_PLAIN_ERROR || b[from] == '<' || response.truncated()) {
            return ok;
        }
        for (int i = from; i < to; i++) {
            env.hintByte(b[i]);
        }
        ErrorType type = env.inferType(response.status());
        return new Verdict.BusinessError(type, severity.severity(response.route(), type), false, Verdict.Family.ENVELOPE, false);
    }

    /** Leading words of a plain-text answer line that report a failure ({@code ERROR: ...}, {@code BAD:...}, {@code ERR: 001}). */
    private static final String[] FAILED_LINE = {"error", "err", "fail", "failed", "failure", "bad", "nok", "ko", "invalid"};
    private static final String[] OK_LINE = {"ok", "success", "sent", "accepted", "id"};

    /**
     * A short plain-text 2xx answer of status lines, as legacy gateways send them ({@code OK: 614...:2942263},
     * {@code BAD:0400abc111:Invalid Number}, {@code ERROR: Username or password is incorrect.}): a line whose
     * first word, before a colon, reports a failure failed; beside lines that went through, the batch failed in
     * part. The keyword is in capitals, as line protocols write status words: "error: invalid token" is prose
     * and stays unread. A read (a log file, say) and a long text are not read this way.
     */
    private Verdict plainTextLines(ResponseSample response, Envelope env, byte[] b, int offset, int length, Verdict ok) {
        if (length - offset > MAX_PLAIN_ERROR || response.intent() == ResponseSample.Intent.READ || response.truncated()) {
            return ok;
        }
        int failed = 0;
        int succeeded = 0;
        int pos = offset;
        while (pos < length) {
            int end = pos;
            while (end < length && b[end] != '\n' && b[end] != '\r') {
                end++;
            }
            int from = pos;
            while (from < end && (b[from] == ' ' || b[from] == '\t')) {
                from++;
            }
            int colon = from;
            while (colon < end && colon - from <= 8 && ((b[colon] | 0x20) >= 'a' && (b[colon] | 0x20) <= 'z')) {
                colon++;
            }
            if (colon < end && colon > from && b[colon] == ':') {
                if (leadingWord(b, from, colon, FAILED_LINE)) {
                    failed++;
                    for (int i = from; i < end; i++) {
                        env.hintByte(b[i]);
                    }
                    env.hintByte((byte) ' ');
                } else if (leadingWord(b, from, colon, OK_LINE)) {
                    succeeded++;
                }
            }
            pos = end + 1;
        }
        if (failed == 0) {
            return ok;
        }
        ErrorType type = env.inferType(response.status());
        boolean partial = succeeded > 0;
        return new Verdict.BusinessError(type, severity.severity(response.route(), type), true,
                partial ? Verdict.Family.BATCH : Verdict.Family.ENVELOPE, partial);
    }

    /** The line's keyword, spelled in capitals as line protocols spell their status words ("ERROR:", not prose's "error:"). */
    private static boolean leadingWord(byte[] b, int from, int to, String[] lowerWords) {
        outer:
        for (String w : lowerWords) {
            if (w.length() != to - from) {
                continue;
            }
            for (int i = 0; i < w.length(); i++) {
                if (b[from + i] != w.charAt(i) - 32) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * A {@code multipart/mixed} batch answer (OData, Google batch): each part carries its own HTTP
     * status line. Parts that answered 4xx failed; a 5xx part is a system error and is not counted.
     * Judged from what fits in the captured prefix.
     */
    private Verdict multipartBatch(ResponseSample response, Envelope env, byte[] b, int offset, int length, Verdict ok) {
        int failed = 0;
        int succeeded = 0;
        long first = 0;
        for (int i = offset; i + 12 <= length; i++) {
            boolean lineStart = i == offset || b[i - 1] == '\n';
            if (!lineStart || b[i] != 'H' || b[i + 1] != 'T' || b[i + 2] != 'T' || b[i + 3] != 'P' || b[i + 4] != '/') {
                continue;
            }
            int sp = i + 5;
            while (sp < length && sp < i + 10 && b[sp] != ' ') {
                sp++;
            }
            if (sp + 4 > length || b[sp] != ' ') {
                continue;
            }
            int code = 0;
            boolean digits = true;
            for (int j = sp + 1; j < sp + 4; j++) {
                digits &= b[j] >= '0' && b[j] <= '9';
                code = code * 10 + (b[j] - '0');
            }
            if (!digits) {
                continue;
            }
            if (code >= 200 && code < 300) {
                succeeded++;
            } else if (code >= 400 && code < 500) {
                failed++;
                if (first == 0) {
                    first = code;
                    // The failed part's status line and the start of its body name the failure.
                    for (int j = sp + 1; j < Math.min(length, sp + 1 + 256); j++) {
                        env.hintByte(b[j]);
                    }
                }
            }
        }
        if (failed == 0) {
            return ok;
        }
        env.batchHttpLike = first;
        env.family = Verdict.Family.BATCH;
        ErrorType type = env.inferType(response.status());
        return new Verdict.BusinessError(type, severity.severity(response.route(), type), true, Verdict.Family.BATCH,
                succeeded > 0);
    }

    /**
     * A body that ends like a complete document is read as one, a cut one as a prefix, whose end is
     * just the end of the input (the two readings of Jackson's blocking and non-blocking parsers,
     * which the scan used before, so verdicts stay the same). Either way a wrong guess only changes
     * where a broken body stops being read.
     */
    private void scanJson(Scratch s, byte[] bytes, int offset, int length, PointerTrie.Node root) {
        s.scan.scan(bytes, offset, length, endsComplete(bytes, offset, length), root, s.captures);
    }

    private static boolean endsComplete(byte[] b, int offset, int length) {
        for (int i = length - 1; i >= offset; i--) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c == '}' || c == ']';
            }
        }
        return false;
    }

    /** An allow-list rule wins; otherwise the first matching rule. */
    private Verdict applyRules(String route, Media media, Captures captures, boolean silent) {
        UserRule hit = null;
        for (UserRule rule : rules) {
            if (rule.appliesTo(route, media.base(), media.kind()) && rule.matches(captures)) {
                if (rule.notAnError()) {
                    return silent ? OK_SILENT : OK_LOUD;
                }
                if (hit == null) {
                    hit = rule;
                }
            }
        }
        if (hit == null) {
            return null;
        }
        Severity s = hit.severity() != null ? hit.severity() : severity.severity(route, hit.type());
        return new Verdict.BusinessError(hit.type(), s, silent, Verdict.Family.USER_RULE, false);
    }

    private boolean rulesReadAsJson(String base) {
        for (UserRule rule : rules) {
            if (rule.readsAsJson(base)) {
                return true;
            }
        }
        return false;
    }

    private Media media(String contentType) {
        if (contentType == null) {
            return new Media(MediaType.OTHER, "");
        }
        Media media = mediaCache.get(contentType);
        if (media == null) {
            media = new Media(MediaType.of(contentType), MediaType.base(contentType));
            if (mediaCache.size() < MEDIA_CACHE_LIMIT) {
                mediaCache.put(contentType, media);
            }
        }
        return media;
    }

    /**
     * The last complete line of a JSON stream as {@code start << 32 | end}, or -1. When the body may
     * continue past the prefix, a final line without its newline is cut and does not count.
     */
    static long lastCompleteLine(byte[] b, int offset, int length, boolean mayContinue) {
        int end = length;
        if (mayContinue) {
            while (end > offset && b[end - 1] != '\n' && b[end - 1] != 0x1e) {
                end--;
            }
        }
        while (end > offset && isLineSpace(b[end - 1])) {
            end--;
        }
        if (end <= offset) {
            return -1;
        }
        int start = end;
        while (start > offset && b[start - 1] != '\n' && b[start - 1] != 0x1e) {
            start--;
        }
        while (start < end && isLineSpace(b[start])) {
            start++;
        }
        return start < end ? ((long) start << 32) | end : -1;
    }

    private static boolean isLineSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x1e;
    }

    private static boolean hasBom(byte[] b, int len) {
        return len >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf;
    }
}
