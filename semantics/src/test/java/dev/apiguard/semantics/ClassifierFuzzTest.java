package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import dev.apiguard.testkit.Fuzz;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Random, mutated and garbage bodies with random headers: the classifier never throws, keeps the
 * status invariants, and the top-level-only and encoding-transparency properties hold.
 * Per run: 24k garbage bodies, 32k corpus mutants, 12k mutants of the family tests' bodies (XML, forms,
 * streams, batches, wrappers), 20k random documents (each nested and bare) and 12k documents in three
 * forms (compact, spaced, gzip): 100k cases, 144k samples classified. With the 16k
 * prefixes of {@link TruncationTest}, 116k cases.
 *
 * <p>Seeds are fixed; {@code -Dapiguard.fuzz.seed=...} changes them (see {@link Fuzz}).
 */
class ClassifierFuzzTest {
    private static final List<Corpus.Case> CORPUS = Corpus.load().cases();
    private static final List<FamiliesTest.Case> FAMILY_CASES = FamiliesTest.cases();
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "APPLICATION/PROBLEM+JSON", "application/vnd.x+json", "text/xml", "application/soap+xml",
            "application/xml", "text/html", "text/plain", "", ";", "application/", "*/*", "\u0000json",
            "application/x-www-form-urlencoded", "application/x-ndjson", "application/json-seq",
            "multipart/mixed; boundary=batch_1", "application/vnd.ogc.se_xml", "text/namevalue");
    private static final List<String> ENCODINGS = List.of("gzip", "deflate", "br", "identity", "", "GZIP", "x-gzip", "zstd, gzip");
    /** Where the silent/business-error invariants change; uniform draws alone rarely land on them. */
    private static final int[] STATUS_EDGES = {-1, 0, 99, 100, 199, 200, 204, 299, 300, 399, 400, 499, 500, 599, 600, 1000};
    private static final AtomicInteger CASES = new AtomicInteger();

    /** Exceptions the classifiers caught as their own bugs: none may happen under fuzzing. */
    private static final AtomicInteger INTERNAL_ERRORS = new AtomicInteger();
    private final Classifier classifier = Classifiers.create(SemanticsConfig.empty(), e -> INTERNAL_ERRORS.incrementAndGet());
    private final Classifier withRules = Classifiers.create(SemanticsConfig.parse("""
            rules:
              - {name: deep, when: {pointer: /a/0/b/c, regex: "x+y"}, type: validation}
              - {name: allow, when: {pointer: /status, in: [degraded, 1, true, null]}, not-an-error: true}
              - {name: ex, content-types: ["text/*"], when: {pointer: /e, non-empty: true}, type: rate_limit}
            """), e -> INTERNAL_ERRORS.incrementAndGet());

    @AfterAll
    static void report() {
        System.out.println("classifier fuzz cases in total: " + CASES.get());
        assertThat(INTERNAL_ERRORS.get()).as("internal exceptions of the classifier under fuzzing").isZero();
    }

    @Test
    void garbageNeverThrows() {
        int ran = Fuzz.of("garbage bodies", 24_000, 0x6A5BA6EL)
                .forAll(ClassifierFuzzTest::garbage, ClassifierFuzzTest::describe, this::check);
        CASES.addAndGet(ran);
    }

    /** Random bytes, JSON-ish token soup, or random bytes behind a JSON start; any status and headers. */
    static ResponseSample garbage(SplittableRandom r) {
        int size = Fuzz.intBetween(r, 0, 1100);
        byte[] body = switch (Fuzz.weighted(r, 6, 2, 2)) {
            case 0 -> Fuzz.bytes(r, size);
            case 1 -> jsonish(r, size);
            default -> {
                byte[] b = Fuzz.bytes(r, size);
                if (size > 2) {
                    b[0] = '{'; // start like JSON, so the parser gets past the first byte
                    b[1] = '"';
                }
                yield b;
            }
        };
        String contentType = switch (Fuzz.weighted(r, 1, 9, 10)) {
            case 0 -> null;
            case 1 -> Fuzz.string(r, 40);
            default -> Fuzz.pick(r, CONTENT_TYPES);
        };
        String encoding = r.nextBoolean() ? null : Fuzz.pick(r, ENCODINGS);
        return new ResponseSample("/r/{id}", status(r, -1, 1000), contentType, encoding, body, true);
    }

    /** Bytes from JSON's own alphabet, so the parser gets deep before it gives up. */
    private static byte[] jsonish(RandomGenerator r, int size) {
        byte[] alphabet = "{}[]\":,  \\0123456789-.eEtrufalsnokerrorstatus".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return b;
    }

    @Test
    void mutatedCorpusNeverThrows() {
        int ran = Fuzz.of("mutated corpus bodies", 32_000, 0x3C0B9A5L)
                .forAll(ClassifierFuzzTest::mutant, ClassifierFuzzTest::describe, this::check);
        CASES.addAndGet(ran);
    }

    /** A corpus body with 1-8 bit flips, cut at a random point; its own status or a random one. */
    static ResponseSample mutant(SplittableRandom r) {
        ResponseSample s = Fuzz.pick(r, CORPUS).sample();
        byte[] body = s.body().clone();
        int flips = body.length == 0 ? 0 : 1 + r.nextInt(8);
        for (int i = 0; i < flips; i++) {
            body[r.nextInt(body.length)] ^= (byte) (1 << r.nextInt(8));
        }
        byte[] prefix = Arrays.copyOf(body, Fuzz.intBetween(r, 0, body.length));
        int status = r.nextBoolean() ? s.status() : status(r, 100, 599);
        return new ResponseSample(null, status, s.contentType(), s.contentEncoding(), prefix, true);
    }

    @Test
    void mutatedFamilyBodiesNeverThrow() {
        int ran = Fuzz.of("mutated family bodies", 12_000, 0x7A3111EL)
                .forAll(ClassifierFuzzTest::familyMutant, ClassifierFuzzTest::describe, this::check);
        CASES.addAndGet(ran);
    }

    /** A family-test body (XML, forms, streams, batches, wrappers) with bit flips, cut, under its own or a random type. */
    static ResponseSample familyMutant(SplittableRandom r) {
        FamiliesTest.Case k = Fuzz.pick(r, FAMILY_CASES);
        byte[] body = utf8(k.body());
        int flips = body.length == 0 ? 0 : r.nextInt(6);
        for (int i = 0; i < flips; i++) {
            body[r.nextInt(body.length)] ^= (byte) (1 << r.nextInt(8));
        }
        byte[] prefix = Arrays.copyOf(body, Fuzz.intBetween(r, 0, body.length));
        String contentType = r.nextInt(4) == 0 ? Fuzz.pick(r, CONTENT_TYPES) : k.contentType();
        return new ResponseSample(null, r.nextBoolean() ? k.status() : status(r, 100, 599), contentType, null, prefix,
                r.nextBoolean());
    }

    @Test
    void nestedValuesNeverDecide() {
        int ran = Fuzz.of("nested documents", 20_000, 0x4E57EDL).forAll(r -> RandomJson.object(r, 0), Fuzz::show, inner -> {
            // Under a member that is neither a wrapper, data, nor a batch list: the rules read one level
            // down only there (FamiliesTest), so anything under "attributes" is data. (A body's sole object
            // member is read as a wrapper named after its operation, so "attributes" has a sibling here.)
            Verdict v = classifier.classify(Samples.json(200, "{\"attributes\":" + inner + ",\"count\":2}"));
            if (!v.equals(new Verdict.Ok(true))) {
                throw new AssertionError("a nested value decided: " + v);
            }
            check(Samples.json(200, inner));
        });
        CASES.addAndGet(ran);
    }

    /** One document, compact and spaced from the same seed. */
    record Forms(String compact, String spaced) {}

    @Test
    void gzipAndWhitespaceDoNotChangeTheVerdict() {
        int ran = Fuzz.of("document forms", 12_000, 0x621BL).forAll(r -> {
            long doc = r.nextLong();
            return new Forms(RandomJson.object(new SplittableRandom(doc), 0),
                    RandomJson.object(new SplittableRandom(doc), 0, " \n\t "));
        }, f -> Fuzz.show(f.compact()), f -> {
            Verdict plain = classifier.classify(Samples.json(200, f.compact()));
            assertThat(classifier.classify(Samples.json(200, f.spaced()))).as("spaced").isEqualTo(plain);
            if (f.compact().length() < BodyDecoder.MAX_INFLATED) {
                assertThat(classifier.classify(new ResponseSample(null, 200, "application/json", "gzip",
                        Samples.gzip(f.compact()), false))).as("gzip").isEqualTo(plain);
            }
        });
        CASES.addAndGet(ran);
    }

    private static int status(RandomGenerator r, int min, int max) {
        if (r.nextInt(8) == 0) {
            int edge = STATUS_EDGES[r.nextInt(STATUS_EDGES.length)];
            if (edge >= min && edge <= max) {
                return edge;
            }
        }
        return Fuzz.intBetween(r, min, max);
    }

    static String describe(ResponseSample s) {
        return "status " + s.status() + ", content-type " + Fuzz.show(s.contentType()) + ", encoding "
                + Fuzz.show(s.contentEncoding()) + ", truncated " + s.truncated() + ", body " + Fuzz.show(s.body());
    }

    /** Plain checks, not AssertJ: this runs about 150k times per build. */
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

        static String object(RandomGenerator r, int depth) {
            return object(r, depth, "");
        }

        /** The same document for the same random sequence, with {@code ws} between all tokens. */
        static String object(RandomGenerator r, int depth, String ws) {
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

        private static String value(RandomGenerator r, int depth, String ws) {
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
