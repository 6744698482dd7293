package dev.apiguard.semantics;

import static dev.apiguard.semantics.Samples.OK;
import static dev.apiguard.semantics.Samples.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** User rules: predicates over JSON Pointers, scoping, allow-list, severities. */
class UserRulesTest {
    private static Classifier rules(String yaml) {
        return Classifiers.create(SemanticsConfig.parse(yaml));
    }

    /** A verdict from a user rule; {@link #builtIn} for one the built-in rules reached. */
    private static Verdict.BusinessError err(ErrorType t, Severity s) {
        return new Verdict.BusinessError(t, s, true, Verdict.Family.USER_RULE, false);
    }

    private static Verdict.BusinessError builtIn(ErrorType t, Severity s) {
        return new Verdict.BusinessError(t, s, true);
    }

    @Test
    void sampleFileLoadsAndWorks() throws Exception {
        SemanticsConfig config = SemanticsConfig.load(Path.of(getClass().getResource("/rules-example.yaml").toURI()));
        assertThat(config.ruleNames()).containsExactly("shop-declines", "shopify-user-errors", "health-is-fine");
        Classifier c = Classifiers.create(config);
        assertThat(c.classify(json("/api/v1/checkout/{id}", 200, "{\"result\":{\"status\":\"DECLINED\",\"id\":7}}")))
                .isEqualTo(err(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL));
        assertThat(c.classify(json("/api/v1/orders", 200, "{\"result\":{\"status\":\"DECLINED\"}}")))
                .as("outside the rule's routes the built-in wrapper rule decides")
                .isEqualTo(new Verdict.BusinessError(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL, true, Verdict.Family.PAYMENT, false));
        assertThat(c.classify(json("/admin/api/2024-01/graphql.json", 200,
                "{\"data\":{\"productCreate\":{\"product\":null,\"userErrors\":[{\"field\":[\"title\"],\"message\":\"blank\"}]}}}")))
                .as("type severity override: validation low").isEqualTo(err(ErrorType.VALIDATION, Severity.LOW));
        assertThat(c.classify(json("/admin/api/2024-01/graphql.json", 200,
                "{\"data\":{\"productCreate\":{\"product\":{\"id\":1},\"userErrors\":[]}}}"))).isEqualTo(OK);
        assertThat(c.classify(json("/health", 200, "{\"status\":\"degraded\",\"error\":\"db slow\"}")))
                .as("allow-list beats the built-in error member").isEqualTo(OK);
        assertThat(c.classify(json("/health", 200, "{\"status\":\"down\",\"error\":\"db gone\"}")))
                .isEqualTo(builtIn(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(c.classify(json("/api/v1/checkout", 200, "{\"errors\":[\"email is invalid\"]}")))
                .as("route severity override").isEqualTo(builtIn(ErrorType.VALIDATION, Severity.HIGH));
    }

    @Test
    void equalsComparesTypedScalars() {
        Classifier c = rules("""
                rules:
                  - {name: num, when: {pointer: /code, equals: 7}, type: rate_limit}
                  - {name: bool, when: {pointer: /flags/blocked, equals: true}, type: auth_failure}
                  - {name: nul, when: {pointer: /charge, equals: null}, type: payment_failure}
                """);
        assertThat(c.classify(json(200, "{\"code\":7.0}"))).isEqualTo(err(ErrorType.RATE_LIMIT, Severity.HIGH));
        assertThat(c.classify(json(200, "{\"code\":\"7\"}"))).as("a string is not the number 7").isEqualTo(OK);
        assertThat(c.classify(json(200, "{\"flags\":{\"blocked\":true}}"))).isEqualTo(err(ErrorType.AUTH_FAILURE, Severity.HIGH));
        assertThat(c.classify(json(200, "{\"charge\":null}"))).isEqualTo(err(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL));
        assertThat(c.classify(json(200, "{\"other\":null}"))).as("missing is not null").isEqualTo(OK);
    }

    @Test
    void inExistsNonEmptyRegexAndArrayIndexes() {
        Classifier c = rules("""
                rules:
                  - name: in
                    when: {pointer: /state, in: [REJECTED, VOID]}
                    type: payment_failure
                    severity: low
                  - {name: exists, when: {pointer: /meta/throttle, exists: true}, type: rate_limit}
                  - {name: nonempty, when: {pointer: /items/0/problems, non-empty: true}, type: validation}
                  - {name: regex, when: {pointer: /note, regex: "(?i)token .*expired"}, type: auth_failure}
                  - name: all-of
                    when:
                      - {pointer: /a~1b, equals: x}
                      - {pointer: /c, exists: false}
                    type: not_found
                """);
        assertThat(c.classify(json(200, "{\"state\":\"VOID\"}"))).isEqualTo(err(ErrorType.PAYMENT_FAILURE, Severity.LOW));
        assertThat(c.classify(json(200, "{\"state\":\"PAID\"}"))).isEqualTo(OK);
        assertThat(c.classify(json(200, "{\"meta\":{\"throttle\":null}}"))).isEqualTo(err(ErrorType.RATE_LIMIT, Severity.HIGH));
        assertThat(c.classify(json(200, "{\"items\":[{\"problems\":[\"x\"]}]}"))).isEqualTo(err(ErrorType.VALIDATION, Severity.MEDIUM));
        assertThat(c.classify(json(200, "{\"items\":[{\"problems\":[]}]}"))).isEqualTo(OK);
        assertThat(c.classify(json(200, "{\"items\":[{},{\"problems\":[1]}]}"))).as("index 1, not 0").isEqualTo(OK);
        assertThat(c.classify(json(200, "{\"note\":\"Your Token has EXPIRED\"}"))).isEqualTo(err(ErrorType.AUTH_FAILURE, Severity.HIGH));
        assertThat(c.classify(json(200, "{\"a/b\":\"x\"}"))).isEqualTo(err(ErrorType.NOT_FOUND, Severity.LOW));
        assertThat(c.classify(json(200, "{\"a/b\":\"x\",\"c\":1}"))).isEqualTo(OK);
    }

    @Test
    void userRulesRunBeforeBuiltInsAndFirstMatchDecides() {
        Classifier c = rules("""
                rules:
                  - {name: first, when: {pointer: /ok, equals: false}, type: payment_failure}
                  - {name: second, when: {pointer: /ok, equals: false}, type: rate_limit}
                """);
        assertThat(c.classify(json(200, "{\"ok\":false,\"error\":\"ratelimited\"}")))
                .isEqualTo(err(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL));
    }

    @Test
    void fiveHundredsStaySystemErrorsAndFourHundredsAreNotSilent() {
        Classifier c = rules("rules: [{name: any, when: {pointer: /x, exists: true}, type: validation}]");
        assertThat(c.classify(json(500, "{\"x\":1}"))).isEqualTo(new Verdict.Ok(false));
        assertThat(c.classify(json(409, "{\"x\":1}"))).isEqualTo(new Verdict.BusinessError(ErrorType.VALIDATION, Severity.MEDIUM, false, Verdict.Family.USER_RULE, false));
    }

    @Test
    void contentTypeScopes() {
        Classifier c = rules("""
                rules:
                  - name: plain-json
                    content-types: ["text/plain"]
                    when: {pointer: /result, equals: NOPE}
                    type: generic_business_error
                """);
        assertThat(c.classify(Samples.of(200, "text/plain; charset=utf-8", "{\"result\":\"NOPE\"}")))
                .isEqualTo(err(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(c.classify(Samples.of(200, "text/plain", "{\"ok\":false}"))).as("built-ins stay JSON-only").isEqualTo(OK);
        assertThat(c.classify(json(200, "{\"result\":\"NOPE\"}"))).as("the rule does not cover JSON now").isEqualTo(OK);
    }

    @Test
    void pointersWorkOnTruncatedAndGzippedBodies() {
        Classifier c = rules("rules: [{name: r, when: {pointer: /result/status, equals: DECLINED}, type: payment_failure}]");
        String body = "{\"result\":{\"status\":\"DECLINED\",\"lines\":[" + "{\"sku\":\"abc\"},".repeat(300) + "{}]}}";
        ResponseSample gz = new ResponseSample(null, 200, "application/json", "gzip",
                java.util.Arrays.copyOf(Samples.gzip(body), 200), true);
        assertThat(c.classify(gz)).isEqualTo(err(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL));
        assertThat(c.classify(json(200, body.substring(0, 40)))).isEqualTo(err(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL));
    }

    @Test
    void severityPolicyDefaultsAndOverrides() {
        for (ErrorType t : ErrorType.values()) {
            assertThat(SeverityPolicy.DEFAULTS.severity("/x", t)).isEqualTo(switch (t) {
                case PAYMENT_FAILURE -> Severity.CRITICAL;
                case AUTH_FAILURE, RATE_LIMIT -> Severity.HIGH;
                case VALIDATION, GENERIC_BUSINESS_ERROR -> Severity.MEDIUM;
                case NOT_FOUND -> Severity.LOW;
            });
        }
        Classifier c = Classifiers.create(SemanticsConfig.parse("""
                severity:
                  types: {not_found: high, payment_failure: medium}
                  routes:
                    "/api/*/search": {not_found: low}
                    "/api/*": {not_found: critical}
                """));
        String missing = "{\"error\":\"no such item\"}";
        assertThat(c.classify(json("/api/v2/search", 200, missing))).isEqualTo(builtIn(ErrorType.NOT_FOUND, Severity.LOW));
        assertThat(c.classify(json("/api/v2/items", 200, missing))).isEqualTo(builtIn(ErrorType.NOT_FOUND, Severity.CRITICAL));
        assertThat(c.classify(json("/other", 200, missing))).isEqualTo(builtIn(ErrorType.NOT_FOUND, Severity.HIGH));
        assertThat(c.classify(json(null, 200, missing))).isEqualTo(builtIn(ErrorType.NOT_FOUND, Severity.HIGH));
        assertThat(c.classify(json("/other", 200, "{\"error\":\"card declined\"}")))
                .isEqualTo(new Verdict.BusinessError(ErrorType.PAYMENT_FAILURE, Severity.MEDIUM, true, Verdict.Family.PAYMENT, false));
    }

    @Test
    void agentSectionTreeAndEmptyConfig() throws Exception {
        var tree = dev.apiguard.config.ConfigNode.parse(
                "agent: {listen: x}\nsemantics:\n  rules:\n    - {name: a, when: {pointer: /s, equals: 1}, type: validation}\n", "test");
        assertThat(SemanticsConfig.bind(tree.section("semantics")).ruleNames()).containsExactly("a");
        assertThat(SemanticsConfig.bind(tree.section("missing")).ruleNames()).isEmpty();
        assertThat(SemanticsConfig.bind(tree.section("missing"))).isSameAs(SemanticsConfig.empty());
        assertThat(Classifiers.create(SemanticsConfig.empty())).isSameAs(Classifiers.builtIn());
    }
}
