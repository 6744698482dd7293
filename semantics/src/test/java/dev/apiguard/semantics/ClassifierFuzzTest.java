package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random, mutated and garbage bodies with random headers: the classifier never throws, keeps the
 * status invariants, and the top-level-only and encoding-transparency properties hold.
 * Per run: 20k garbage, 32k mutants, 20k random documents (nested and bare), 24k variants of 8k
 * documents; with the 16k prefixes of {@link TruncationTest}, over 100k cases.
 */
class ClassifierFuzzTest {
    private static final List<Corpus.Case> CORPUS = Corpus.load().cases();
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "APPLICATION/PROBLEM+JSON", "application/vnd.x+json", "text/xml", "application/soap+xml",
            "application/xml", "text/html", "text/plain", "", ";", "application/", "*/*", "\u0000json");
    private static final List<String> ENCODINGS = List.of("gzip", "deflate", "br", "identity", "", "GZIP", "x-gzip", "zstd, gzip");

    private final Classifier classifier = Classifiers.builtIn();
    private final Classifier withRules = Classifiers.create(SemanticsConfig.parse("""
            rules:
              - {name: deep, when: {pointer: /a/0/b/c, regex: "x+y"}, type: validation}
              - {name: allow, when: {pointer: /status, in: [degraded, 1, true, null]}, not_an_error: true}
              - {name: ex, content_types: ["text/*"], when: {pointer: /e, non_empty: true}, type: rate_limit}
            """));

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.oneOf(Arbitraries.of(CONTENT_TYPES), Arbitraries.strings().ofMaxLength(40)).injectNull(0.05);
    }

    @Provide
    Arbitrary<String> encodings() {
        return Arbitraries.of(ENCODINGS).injectNull(0.5);
    }

    @Property(tries = 20_000)
    void garbageNeverThrows(@ForAll @IntRange(max = 1100) int size, @ForAll long seed,
            @ForAll @IntRange(min = -1, max = 1000) int status,
            @ForAll("contentTypes") String contentType, @ForAll("encodings") String encoding) {
        // Bytes from a seeded Random: generating 1 KiB byte by byte through jqwik costs more than the test.
        byte[] body = new byte[size];
        new Random(seed).nextBytes(body);
        if (size > 2 && (seed & 3) == 0) {
            body[0] = '{'; // often start like JSON, so the parser gets past the first byte
            body[1] = '"';
        }
        check(new ResponseSample("/r/{id}", status, contentType, encoding, body, true));
    }

    /** Four mutants per try (bit flips, then a cut), so the jqwik overhead stays small: 32k cases. */
    @Property(tries = 8_000)
    void mutatedCorpusNeverThrows(@ForAll @IntRange(min = 0, max = 10_000) int pick, @ForAll long seed,
            @ForAll @IntRange(min = 100, max = 599) int status) {
        Corpus.Case c = CORPUS.get(pick % CORPUS.size());
        Random random = new Random(seed);
        for (int mutant = 0; mutant < 4; mutant++) {
            byte[] body = c.sample().body().clone();
            int flips = body.length == 0 ? 0 : 1 + random.nextInt(8);
            for (int i = 0; i < flips; i++) {
                body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
            }
            int cut = body.length == 0 ? 0 : random.nextInt(body.length + 1);
            byte[] prefix = java.util.Arrays.copyOf(body, cut);
            ResponseSample s = c.sample();
            check(new ResponseSample(null, random.nextBoolean() ? s.status() : status, s.contentType(),
                    s.contentEncoding(), prefix, true));
        }
    }

    @Property(tries = 10_000)
    void nestedValuesNeverDecide(@ForAll long seed) {
        String inner = RandomJson.object(new Random(seed), 0);
        Verdict v = classifier.classify(Samples.json(200, "{\"data\":" + inner + "}"));
        if (!v.equals(new Verdict.Ok(true))) {
            throw new AssertionError("a nested value decided: " + inner + " -> " + v);
        }
        check(Samples.json(200, inner));
    }

    @Property(tries = 8_000)
    void gzipAndWhitespaceDoNotChangeTheVerdict(@ForAll long seed) {
        String body = RandomJson.object(new Random(seed), 0);
        Verdict plain = classifier.classify(Samples.json(200, body));
        String spaced = RandomJson.object(new Random(seed), 0, " \n\t ");
        assertThat(classifier.classify(Samples.json(200, spaced))).isEqualTo(plain);
        if (body.length() < BodyDecoder.MAX_INFLATED) {
            assertThat(classifier.classify(new ResponseSample(null, 200, "application/json", "gzip", Samples.gzip(body), false)))
                    .isEqualTo(plain);
        }
    }

    /** Plain checks, not AssertJ: this runs 200k times per build. */
    private void check(ResponseSample s) {
        for (Classifier c : new Classifier[] {classifier, withRules}) {
            Verdict v = c.classify(s);
            boolean silent = s.status() >= 200 && s.status() < 300;
            if (v == null || v.silent() != silent) {
                throw new AssertionError("silent must be " + silent + " for status " + s.status() + ", got " + v);
            }
            boolean neverBusiness = s.status() >= 500 || s.status() < 200 || (s.status() >= 300 && s.status() < 400);
            if (neverBusiness && !(v instanceof Verdict.Ok)) {
                throw new AssertionError("status " + s.status() + " must be Ok, got " + v);
            }
        }
    }

    /** Random JSON objects over a vocabulary of the field names and values the rules care about. */
    static final class RandomJson {
        private static final String[] KEYS = {"ok", "success", "error", "errors", "data", "status", "state", "result",
            "code", "errcode", "message", "msg", "type", "title", "detail", "jsonrpc", "id", "__type", "error_count",
            "items", "a", "b", "Status", "ERROR", "isError", "statusCode", "\u00e9rror", "e\\\"x"};
        private static final String[] STRINGS = {"ok", "fail", "error", "", "success", "DECLINED", "not found",
            "invalid_auth", "2.0", "https://x/p", "about:blank", "0", "null", "\u65e5\u672c", "\\u0000", "true"};

        static String object(Random r, int depth) {
            return object(r, depth, "");
        }

        /** The same document for the same random sequence, with {@code ws} between all tokens. */
        static String object(Random r, int depth, String ws) {
            StringBuilder s = new StringBuilder("{").append(ws);
            int n = r.nextInt(depth == 0 ? 7 : 4);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    s.append(',').append(ws);
                }
                s.append('"').append(KEYS[r.nextInt(KEYS.length)]).append('"').append(ws).append(':').append(ws)
                        .append(value(r, depth + 1, ws)).append(ws);
            }
            return s.append('}').toString();
        }

        private static String value(Random r, int depth, String ws) {
            int kind = r.nextInt(depth > 4 ? 6 : 8);
            return switch (kind) {
                case 0 -> "null";
                case 1 -> r.nextBoolean() ? "true" : "false";
                case 2 -> Integer.toString(r.nextInt(3) == 0 ? 0 : r.nextInt(70_000) - 35_000);
                case 3 -> Double.toString(r.nextDouble() * 1000);
                case 4, 5 -> '"' + STRINGS[r.nextInt(STRINGS.length)] + '"';
                case 6 -> object(r, depth, ws);
                default -> {
                    StringBuilder a = new StringBuilder("[");
                    int n = r.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        a.append(i > 0 ? "," + ws : ws).append(value(r, depth + 1, ws));
                    }
                    yield a.append(']').toString();
                }
            };
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
