package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The corpus written from public API documentation ({@code corpus/public/}, kept apart from the rules'
 * tuning): aggregate precision, recall and type accuracy per part and per family. The parts split by
 * API, {@code CRC32(api) % 5 == 0} is held out: its cases are only ever counted, never printed, so the
 * rules are not tuned to them. Misses of the tuning part are printed.
 */
class PublicCorpusTest {
    private final Classifier classifier = Classifiers.builtIn();

    static boolean heldOut(String api) {
        CRC32 crc = new CRC32();
        crc.update(api.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 5 == 0;
    }

    @Test
    void aggregatesPerPartAndFamily() throws IOException, URISyntaxException {
        URL dir = getClass().getResource("/corpus/public");
        assertThat(dir).as("the public corpus (semantics/src/test/resources/corpus/public) is part of the tree").isNotNull();
        ObjectMapper mapper = new ObjectMapper();
        Map<String, int[]> tallies = new TreeMap<>(); // part/family -> tp fp fn tn typed typedRight partialRight partial
        List<String> tuningMisses = new ArrayList<>();
        int cases = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(dir.toURI()))) {
            files = walk.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
        }
        for (Path file : files) {
            String fileFamily = file.getFileName().toString().replace(".jsonl", "");
            int lineNo = 0;
            for (String line : Files.readAllLines(file)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = mapper.readTree(line);
                String api = n.path("api").asText("");
                boolean held = heldOut(api);
                String family = n.hasNonNull("family") ? n.get("family").asText() : fileFamily;
                JsonNode expect = n.has("expect") ? n.get("expect") : n;
                boolean wantError = expect.path("business_error").asBoolean();
                String wantType = expect.hasNonNull("error_type") ? expect.get("error_type").asText() : null;
                boolean wantPartial = expect.path("partial_success").asBoolean();
                byte[] body = n.hasNonNull("body_base64") ? Base64.getDecoder().decode(n.get("body_base64").asText())
                        : n.path("body").asText("").getBytes(StandardCharsets.UTF_8);
                // The documented path stands for the route template the agent would pass.
                ResponseSample sample = new ResponseSample(text(n, "path"), n.path("status").asInt(200), text(n, "content_type"),
                        text(n, "content_encoding"), body, n.path("truncated").asBoolean(), text(n, "method"));
                Verdict v = classifier.classify(sample);
                cases++;
                assertThat(v.silent()).isEqualTo(sample.status() >= 200 && sample.status() < 300);
                boolean got = v instanceof Verdict.BusinessError;
                String part = held ? "held-out" : "tuning";
                for (String key : new String[] {part + " all", part + " " + family}) {
                    int[] t = tallies.computeIfAbsent(key, k -> new int[8]);
                    t[wantError ? (got ? 0 : 2) : (got ? 1 : 3)]++;
                    if (wantError && got && wantType != null) {
                        t[4]++;
                        t[5] += ((Verdict.BusinessError) v).type().label().equals(wantType) ? 1 : 0;
                    }
                    if (wantPartial) {
                        t[7]++;
                        t[6] += partial(v) ? 1 : 0;
                    }
                }
                if (!held) {
                    boolean typeWrong = wantError && got && wantType != null
                            && !((Verdict.BusinessError) v).type().label().equals(wantType);
                    if (wantError != got || typeWrong || wantPartial != partial(v)) {
                        tuningMisses.add(file.getFileName() + ":" + lineNo + " " + n.path("id").asText("") + " [" + api
                                + "] expected error=" + wantError + " type=" + wantType + " partial=" + wantPartial
                                + " got " + v.toJson());
                    }
                }
            }
        }
        // CI prints precision, recall and type accuracy for both parts, then per family.
        tallies.forEach((key, t) -> System.out.printf(Locale.ROOT,
                "public %-40s cases=%4d tp=%d fp=%d fn=%d tn=%d precision=%.3f recall=%.3f type=%.3f (%d/%d) partial=%d/%d%n",
                key, t[0] + t[1] + t[2] + t[3], t[0], t[1], t[2], t[3], precision(t), recall(t), typeAccuracy(t), t[5], t[4],
                t[6], t[7]));
        tuningMisses.forEach(m -> System.out.println("  tuning miss " + m));
        assertThat(cases).as("public corpus cases").isPositive();
        // Floors at what the rules reach on the full corpus (with the 476 fresh cases of 119 APIs, the 92 fresh2
        // cases of 25 APIs, the 218 fresh3 cases of 103 APIs and the 425 fresh4 cases of 259 APIs the rules were not
        // written from), rounded down to
        // 0.005. Issue 14's targets: tuning 0.99/0.95/0.90, held-out 0.98/0.90/0.85. Cases carry the request method
        // where the vendor documents it. Before fresh3: tuning 0.995/0.960/0.903, held-out 0.970/0.897/0.893. First
        // measurement with fresh3, before any tuning on it: tuning 0.991/0.934/0.898, held-out 0.957/0.906/0.897 (the
        // blind set lowered tuning recall and type accuracy below their targets and held-out precision from 0.970, so the
        // held-out precision floor was lowered to what holds; see the corpus README). Measured when set, after
        // principles drawn from fresh3's tuning side: tuning 0.996/0.952/0.904, held-out 0.963/0.906/0.897. After the
        // precision pass drawn from success bodies of public APIs (SuccessBodiesTest, not from the corpus): tuning
        // 0.996/0.952/0.904, held-out 0.969/0.906/0.897 (one false positive fewer), so the held-out precision floor
        // rose from 0.96 to 0.965. Session 9 added the fourth blind set (fresh4, 214 cases of 109 APIs; fresh4b, 211
        // cases of 150 APIs), measured first before any tuning on it: fresh4's own tuning side 0.869 precision / 0.747
        // recall, its held-out side 0.920 / 0.656, and the whole corpus tuning 0.975/0.916/0.894, held-out
        // 0.962/0.867/0.898. Principles drawn from its tuning side, from documented OpenAPI examples and from
        // SuccessBodiesTest then gave tuning 0.986/0.927/0.900, held-out 0.962/0.872/0.893. The new data lowered every
        // figure, so every floor below was lowered to what holds (rounded down to 0.005). Not reached: tuning precision
        // and recall, held-out precision and recall. A regression fails the build; the held-out part is guarded, never
        // inspected case by case.
        int[] tuning = tallies.get("tuning all");
        int[] held = tallies.get("held-out all");
        assertThat(precision(tuning)).as("tuning precision (target 0.99 not reached)").isGreaterThanOrEqualTo(0.985);
        assertThat(recall(tuning)).as("tuning recall (target 0.95 not reached)").isGreaterThanOrEqualTo(0.925);
        assertThat(typeAccuracy(tuning)).as("tuning type accuracy").isGreaterThanOrEqualTo(0.895);
        assertThat(precision(held)).as("held-out precision (target 0.98 not reached)").isGreaterThanOrEqualTo(0.96);
        assertThat(recall(held)).as("held-out recall (target 0.90 not reached)").isGreaterThanOrEqualTo(0.87);
        assertThat(typeAccuracy(held)).as("held-out type accuracy").isGreaterThanOrEqualTo(0.89);
    }

    private static double typeAccuracy(int[] t) {
        return t[5] / (double) Math.max(1, t[4]);
    }

    private static double precision(int[] t) {
        return t[0] / (double) Math.max(1, t[0] + t[1]);
    }

    private static double recall(int[] t) {
        return t[0] / (double) Math.max(1, t[0] + t[2]);
    }

    /** A partial read (PartialSuccess) or a partial write (a batch error with items that succeeded). */
    private static boolean partial(Verdict v) {
        return v instanceof Verdict.PartialSuccess || (v instanceof Verdict.BusinessError e && e.batchPartial());
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
