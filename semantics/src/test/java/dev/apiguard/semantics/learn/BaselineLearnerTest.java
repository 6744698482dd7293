package dev.apiguard.semantics.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.ErrorType;
import dev.apiguard.semantics.LearningHooks;
import dev.apiguard.semantics.ResponseSample;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.config.ConfigException;
import dev.apiguard.config.ConfigNode;
import dev.apiguard.semantics.Severity;
import dev.apiguard.semantics.Verdict;
import org.junit.jupiter.api.Test;

class BaselineLearnerTest {
    private static final String ROUTE = "/api/v1/transfers";

    private static LearnedClassifier classifier(LearningSettings settings) {
        return classifier(settings, SemanticsConfig.empty());
    }

    private static LearnedClassifier classifier(LearningSettings settings, SemanticsConfig config) {
        return new LearnedClassifier(Classifiers.create(config), new BaselineLearner(settings), LearningHooks.of(config));
    }

    /** Type, severity and silence: the verdict's other fields (its evidence family) belong to the classifier. */
    private static java.util.function.Consumer<Verdict> learned(ErrorType type, Severity severity) {
        return v -> {
            assertThat(v).isInstanceOf(Verdict.BusinessError.class);
            Verdict.BusinessError e = (Verdict.BusinessError) v;
            assertThat(e.type()).isEqualTo(type);
            assertThat(e.severity()).isEqualTo(severity);
            assertThat(e.silent()).isTrue();
        };
    }

    private static ResponseSample json(String route, int status, String body) {
        return new ResponseSample(route, status, "application/json", null, body.getBytes(StandardCharsets.UTF_8), false);
    }

    private static Verdict feed(Classifier c, int n, String body) {
        Verdict last = null;
        for (int i = 0; i < n; i++) {
            last = c.classify(json(ROUTE, 200, body.replace("#", String.valueOf(i))));
            assertThat(last).as("response %d while learning %s", i, body).isInstanceOf(Verdict.Ok.class);
        }
        return last;
    }

    @Test
    void nothingIsFlaggedWhileTheBaselineForms() {
        LearnedClassifier c = classifier(LearningSettings.DEFAULTS);
        feed(c, 49, "{\"state\":\"ACCEPTED\",\"ref\":\"r#\"}");
        // The 50th response departs with an error object: the baseline has 49 samples, it does not judge yet.
        Verdict v = c.classify(json(ROUTE, 200, "{\"state\":\"BLOCKED_BY_UPSTREAM\",\"errorInfo\":{\"reason\":\"upstream\"}}"));
        assertThat(v).isEqualTo(new Verdict.Ok(true));
        BaselineSnapshot.Route r = c.learner().snapshot().route(ROUTE);
        assertThat(r.samples()).isEqualTo(50);
        assertThat(r.formed()).isTrue();
        assertThat(r.flagged()).isZero();
    }

    @Test
    void flagsADepartureThatLooksLikeAFailureButNotARareNormalValue() {
        LearnedClassifier c = classifier(LearningSettings.DEFAULTS);
        feed(c, 60, "{\"state\":\"ACCEPTED\",\"ref\":\"r#\"}");
        // Departure + an error object the route never carries: a business error no built-in rule knows.
        assertThat(c.classify(json(ROUTE, 200, "{\"state\":\"BLOCKED_BY_UPSTREAM\",\"ref\":\"x\",\"errorInfo\":{\"reason\":\"upstream busy\"}}")))
                .satisfies(learned(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        // Departure into a failure word the built-in rules do not read: the lexicon names the type.
        assertThat(c.classify(json(ROUTE, 200, "{\"state\":\"QUOTA_OVER_LIMIT\",\"ref\":\"x\"}")))
                .satisfies(learned(ErrorType.RATE_LIMIT, Severity.HIGH));
        assertThat(c.classify(json(ROUTE, 200, "{\"state\":\"RefusedByIssuer\",\"ref\":\"x\"}")))
                .satisfies(learned(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL));
        // Rare but normal: no failure cue, not flagged.
        assertThat(c.classify(json(ROUTE, 200, "{\"state\":\"ACCEPTED_LATE\",\"ref\":\"x\"}"))).isEqualTo(new Verdict.Ok(true));
        assertThat(c.classify(json(ROUTE, 200, "{\"state\":\"SHIPPED\",\"ref\":\"x\"}"))).isEqualTo(new Verdict.Ok(true));
        // The usual value with an empty error list: fine.
        assertThat(c.classify(json(ROUTE, 200, "{\"state\":\"ACCEPTED\",\"errors\":[]}"))).isEqualTo(new Verdict.Ok(true));
        // Not a 2xx: the baseline never judges it.
        assertThat(c.classify(json(ROUTE, 500, "{\"state\":\"BLOCKED_BY_UPSTREAM\",\"errorInfo\":{\"reason\":\"x\"}}")))
                .isEqualTo(new Verdict.Ok(false));
        BaselineSnapshot.Route r = c.learner().snapshot().route(ROUTE);
        assertThat(r.flagged()).isEqualTo(3);
        assertThat(r.departures()).extracting(BaselineSnapshot.Departure::text)
                .containsExactly("BLOCKED_BY_UPSTREAM", "QUOTA_OVER_LIMIT", "RefusedByIssuer");
        BaselineSnapshot.Field state = r.fields().stream().filter(f -> f.pointer().equals("/state")).findFirst().orElseThrow();
        assertThat(state.usual()).isEqualTo(new BaselineSnapshot.ValueCount("string", "ACCEPTED", 61));
        assertThat(state.present()).isEqualTo(63); // ACCEPTED_LATE and SHIPPED were learned from
        assertThat(state.alwaysPresent()).isTrue();
    }

    @Test
    void flagsFlagFlipsWrappedCodesAndKeepsTheBaselineThroughAnIncident() {
        LearnedClassifier c = classifier(LearningSettings.DEFAULTS);
        feed(c, 50, "{\"ack\":true,\"result\":{\"code\":\"0000\",\"id\":#}}");
        assertThat(c.classify(json(ROUTE, 200, "{\"ack\":false,\"result\":{\"code\":\"0000\",\"id\":1}}")))
                .isInstanceOf(Verdict.BusinessError.class);
        // A vendor code the built-in rules cannot read: the wrapped success code turned into another one.
        for (int i = 0; i < 20; i++) {
            assertThat(c.classify(json(ROUTE, 200, "{\"ack\":true,\"result\":{\"code\":\"E1042\",\"id\":1}}")))
                    .as("incident response %d", i).isInstanceOf(Verdict.BusinessError.class);
        }
        BaselineSnapshot.Route r = c.learner().snapshot().route(ROUTE);
        assertThat(r.flagged()).isEqualTo(21);
        assertThat(r.samples()).isEqualTo(50); // failures are not learned from
    }

    @Test
    void builtInAndUserRulesDecideFirstAndAnAllowRuleWins() {
        SemanticsConfig config = SemanticsConfig.parse("""
                rules:
                  - name: upstream-block-is-fine
                    routes: ["/api/v1/transfers"]
                    when: {pointer: "/state", equals: "BLOCKED_BY_UPSTREAM"}
                    not-an-error: true
                """);
        LearnedClassifier c = classifier(LearningSettings.DEFAULTS, config);
        feed(c, 50, "{\"state\":\"ACCEPTED\"}");
        assertThat(c.classify(json(ROUTE, 200, "{\"state\":\"BLOCKED_BY_UPSTREAM\",\"errorInfo\":{\"reason\":\"x\"}}")))
                .isEqualTo(new Verdict.Ok(true));
        // A built-in failure stays the built-in's: the learner neither flags nor learns from it.
        Verdict builtIn = c.classify(json(ROUTE, 200, "{\"ok\":false,\"error\":\"invalid_auth\"}"));
        assertThat(builtIn).satisfies(learned(ErrorType.AUTH_FAILURE, Severity.HIGH));
        BaselineSnapshot.Route r = c.learner().snapshot().route(ROUTE);
        assertThat(r.flagged()).isZero();
        assertThat(r.failuresElsewhere()).isEqualTo(1);
        assertThat(r.samples()).isEqualTo(51);
    }

    @Test
    void readsGzipAndTruncatedBodies() throws IOException {
        LearnedClassifier c = classifier(LearningSettings.DEFAULTS);
        feed(c, 50, "{\"status\":\"APPROVED\",\"id\":\"#\"}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write("{\"status\":\"REFUSED_BY_ISSUER\",\"id\":\"9\",\"pad\":\"".getBytes(StandardCharsets.UTF_8));
            java.util.Random random = new java.util.Random(7);
            for (int i = 0; i < 4000; i++) {
                gz.write('a' + random.nextInt(26));
            }
            gz.write("\"}".getBytes(StandardCharsets.UTF_8));
        }
        byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), 1024);
        assertThat(c.classify(new ResponseSample(ROUTE, 200, "application/json", "gzip", cut, true)))
                .isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void boundsRoutesFieldsAndValuesAndCountsTheOverflow() {
        LearningSettings small = new LearningSettings(true, 5, 0.95, 2, 3, 2);
        LearnedClassifier c = classifier(small);
        for (String route : new String[] {"/a", "/b", "/c", "/d"}) {
            c.classify(json(route, 200, "{\"status\":\"x\"}"));
        }
        // Five fields, budget three: the outcome field is tracked first, two others fit.
        c.classify(json("/a", 200, "{\"p\":1,\"q\":2,\"r\":3,\"s\":4,\"status\":\"y\"}"));
        c.classify(json("/a", 200, "{\"status\":\"z\"}"));
        BaselineSnapshot s = c.learner().snapshot();
        assertThat(s.routes()).extracting(BaselineSnapshot.Route::route).containsExactly("/a", "/b");
        assertThat(s.overflow()).containsEntry("routes", 2L).containsEntry("fields", 2L).containsEntry("values", 1L);
        BaselineSnapshot.Route a = s.route("/a");
        assertThat(a.fields()).extracting(BaselineSnapshot.Field::pointer).containsExactly("/status", "/p", "/q");
        assertThat(a.fields().getFirst().values()).hasSize(2);
        assertThat(a.fields().getFirst().otherValues()).isEqualTo(1);
    }

    @Test
    void suggestsRulesThatGiveTheSameVerdictsWhenPinned() throws IOException {
        LearnedClassifier c = classifier(LearningSettings.DEFAULTS);
        feed(c, 60, "{\"state\":\"ACCEPTED\",\"ref\":\"r#\"}");
        c.classify(json(ROUTE, 200, "{\"state\":\"BLOCKED_BY_UPSTREAM\",\"errorInfo\":{\"reason\":\"x\"}}"));
        c.classify(json(ROUTE, 200, "{\"state\":\"QUOTA_OVER_LIMIT\"}"));
        c.classify(json(ROUTE, 200, "{\"state\":\"ACCEPTED_LATE\"}"));
        BaselineSnapshot snapshot = BaselineSnapshot.fromJson(c.learner().snapshot().toJson());
        String yaml = RuleSuggester.yaml(snapshot, "a test");
        assertThat(yaml).contains("""
                    - name: learned-api-v1-transfers-state-generic-business-error
                      # usual /state: "ACCEPTED" in 60 of 61; 1 departure(s) looked like failures
                      routes: ["/api/v1/transfers"]
                      when: {pointer: "/state", in: ["BLOCKED_BY_UPSTREAM"]}
                      type: generic_business_error
                """);
        SemanticsConfig pinned = SemanticsConfig.bind(ConfigNode.parse(yaml, "suggested").section("semantics"));
        Classifier fresh = Classifiers.create(pinned);
        assertThat(fresh.classify(json(ROUTE, 200, "{\"state\":\"BLOCKED_BY_UPSTREAM\"}")))
                .satisfies(learned(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(fresh.classify(json(ROUTE, 200, "{\"state\":\"QUOTA_OVER_LIMIT\"}")))
                .satisfies(learned(ErrorType.RATE_LIMIT, Severity.HIGH));
        assertThat(fresh.classify(json(ROUTE, 200, "{\"state\":\"ACCEPTED_LATE\"}"))).isEqualTo(new Verdict.Ok(true));
        assertThat(fresh.classify(json("/other", 200, "{\"state\":\"BLOCKED_BY_UPSTREAM\"}"))).isEqualTo(new Verdict.Ok(true));
    }

    /** The {@code semantics.learning} section of a file holding {@code yaml} there. */
    private static ConfigNode learning(String yaml) {
        return ConfigNode.parse("semantics:\n  learning: " + (yaml.isEmpty() ? "{}" : yaml) + "\n", "test.yaml")
                .section("semantics").section("learning");
    }

    @Test
    void settingsAreReadAndCheckedByKey() throws IOException {
        assertThat(LearningSettings.bind(learning(""))).isEqualTo(LearningSettings.DEFAULTS);
        assertThat(LearningSettings.bind(learning("{enabled: false, min-samples: 10, dominance: 0.9}")))
                .isEqualTo(new LearningSettings(false, 10, 0.9, 500, 16, 8));
        assertThatThrownBy(() -> LearningSettings.bind(learning("{min-sample: 10}")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("config error: semantics.learning.min-sample: unknown key");
        assertThatThrownBy(() -> LearningSettings.bind(learning("{dominance: 0.2}")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("config error: semantics.learning.dominance: must be");
        // The rules reader accepts the section beside rules.
        assertThat(SemanticsConfig.parse("learning: {enabled: true}\nrules: []\n").ruleNames()).isEmpty();
    }

    @Test
    void countsExactlyAndKeepsItsBoundsUnderConcurrentCallers() throws Exception {
        LearnedClassifier c = classifier(new LearningSettings(true, 50, 0.95, 5, 16, 8));
        int threads = 8;
        int perThread = 500;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            var done = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        c.classify(json("/r" + (i % 10), 200, "{\"state\":\"OK_" + id + "\"}"));
                    }
                }));
            }
            for (var f : done) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        BaselineSnapshot s = c.learner().snapshot();
        assertThat(s.routes()).hasSize(5);
        long learned = s.routes().stream().mapToLong(BaselineSnapshot.Route::samples).sum();
        assertThat(learned + s.overflow().get("routes")).isEqualTo((long) threads * perThread);
        assertThat(learned).isEqualTo(threads * perThread / 2);
    }
}
