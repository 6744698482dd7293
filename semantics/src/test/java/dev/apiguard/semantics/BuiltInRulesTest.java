package dev.apiguard.semantics;

import static dev.apiguard.semantics.Samples.OK;
import static dev.apiguard.semantics.Samples.error;
import static dev.apiguard.semantics.Samples.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One test per built-in rule, each with the negatives that must not trip it. */
class BuiltInRulesTest {
    private final Classifier c = Classifiers.builtIn();

    /** The verdict without its family: the families have their own tests (FamiliesTest). */
    private Verdict v(String body) {
        return plain(c.classify(json(200, body)));
    }

    static Verdict plain(Verdict v) {
        return v instanceof Verdict.BusinessError e ? new Verdict.BusinessError(e.type(), e.severity(), e.silent()) : v;
    }

    @Test
    void successFlagFalse() {
        assertThat(v("{\"ok\":false,\"error\":\"invalid_auth\"}")).isEqualTo(error(ErrorType.AUTH_FAILURE, Severity.HIGH));
        assertThat(v("{\"success\":false}")).isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(v("{\"Success\":\"false\"}")).isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(v("{\"is_success\":false}")).isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(v("{\"ok\":true}")).isEqualTo(OK);
        assertThat(v("{\"success\":1}")).isEqualTo(OK);
    }

    @Test
    void explicitSuccessWins() {
        assertThat(v("{\"success\":true,\"message\":\"payment failed retries: 0\"}")).isEqualTo(OK);
        assertThat(v("{\"ok\":true,\"status\":\"error\"}")).isEqualTo(OK);
    }

    @Test
    void errorMemberPresentAndNonEmpty() {
        assertThat(v("{\"error\":\"boom\"}")).isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(v("{\"error\":true}")).isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(v("{\"errors\":[{\"message\":\"x is required\"}]}")).isEqualTo(error(ErrorType.VALIDATION, Severity.MEDIUM));
        assertThat(v("{\"error\":{\"code\":\"card_declined\"}}")).isEqualTo(error(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL));
        for (String empty : new String[] {"null", "0", "false", "[]", "{}", "\"\"", "\"none\"", "[null]",
                "{\"code\":0,\"message\":\"\"}"}) {
            assertThat(v("{\"error\":" + empty + ",\"data\":{\"id\":1}}")).as(empty).isEqualTo(OK);
            assertThat(v("{\"errors\":" + empty + "}")).as(empty).isEqualTo(OK);
        }
        assertThat(v("{\"error_count\":3,\"errorRate\":0.5}")).isEqualTo(OK);
    }

    @Test
    void statusFieldWithFailureWord() {
        assertThat(v("{\"status\":\"fail\"}")).as("JSend fail: the call was rejected").isEqualTo(error(ErrorType.VALIDATION, Severity.MEDIUM));
        assertThat(v("{\"stat\":\"fail\",\"message\":\"Invalid API Key\"}")).isEqualTo(error(ErrorType.AUTH_FAILURE, Severity.HIGH));
        assertThat(v("{\"status\":\"OVER_QUERY_LIMIT\"}")).isEqualTo(error(ErrorType.RATE_LIMIT, Severity.HIGH));
        assertThat(v("{\"result\":\"declined\"}")).isEqualTo(error(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL));
        assertThat(v("{\"status\":\"ok\"}")).isEqualTo(OK);
        assertThat(v("{\"status\":\"ZERO_RESULTS\"}")).isEqualTo(OK);
        assertThat(v("{\"status\":\"failover_complete\"}")).isEqualTo(OK);
        // A resource's state is data, not this request's outcome.
        assertThat(v("{\"id\":1,\"state\":\"failed\"}")).isEqualTo(OK);
        assertThat(v("{\"data\":{\"id\":1,\"state\":\"failed\"}}")).isEqualTo(OK);
    }

    @Test
    void numericCodeWhereZeroIsSuccess() {
        assertThat(v("{\"errcode\":40013,\"errmsg\":\"invalid appid\"}")).isEqualTo(error(ErrorType.VALIDATION, Severity.MEDIUM));
        assertThat(v("{\"errcode\":0,\"errmsg\":\"ok\"}")).isEqualTo(OK);
        assertThat(v("{\"code\":1003,\"msg\":\"user not found\"}")).isEqualTo(error(ErrorType.NOT_FOUND, Severity.LOW));
        assertThat(v("{\"code\":0,\"msg\":\"success\"}")).isEqualTo(OK);
        assertThat(v("{\"code\":200,\"msg\":\"done\"}")).isEqualTo(OK);
        assertThat(v("{\"code\":1003}")).as("a code without a message is not enough").isEqualTo(OK);
        assertThat(v("{\"code\":1003,\"msg\":\"success\"}")).isEqualTo(OK);
        assertThat(v("{\"code\":\"US\",\"name\":\"United States\"}")).isEqualTo(OK);
        assertThat(v("{\"code\":\"rate_limited\",\"message\":\"slow down\"}")).isEqualTo(error(ErrorType.RATE_LIMIT, Severity.HIGH));
    }

    @Test
    void jsonRpcError() {
        assertThat(v("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method missing\"},\"id\":1}"))
                .isEqualTo(error(ErrorType.NOT_FOUND, Severity.LOW));
        assertThat(v("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"Server error\"},\"id\":1}"))
                .isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(v("{\"jsonrpc\":\"2.0\",\"result\":\"failed\",\"id\":1}")).isEqualTo(OK);
        assertThat(v("{\"jsonrpc\":\"2.0\",\"result\":{\"error\":\"x\"},\"id\":1}")).isEqualTo(OK);
    }

    @Test
    void graphQlErrorsWithAndWithoutData() {
        assertThat(v("{\"errors\":[{\"message\":\"boom\"}],\"data\":null}")).isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(v("{\"errors\":[{\"message\":\"boom\"}]}")).isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(v("{\"data\":{\"a\":1},\"errors\":[{\"message\":\"boom\"}]}")).isEqualTo(new Verdict.PartialSuccess(true));
        assertThat(v("{\"errors\":[{\"message\":\"b\"}],\"data\":{\"a\":null}}")).as("every root field null: nothing came back")
                .isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(v("{\"errors\":[{\"message\":\"b\"}],\"data\":{\"a\":null,\"b\":{\"id\":1}}}")).isEqualTo(new Verdict.PartialSuccess(true));
        assertThat(v("{\"errors\":[{\"message\":\"x\",\"extensions\":{\"code\":\"UNAUTHENTICATED\"}}]}"))
                .isEqualTo(error(ErrorType.AUTH_FAILURE, Severity.HIGH));
    }

    @Test
    void problemDocuments() {
        assertThat(plain(c.classify(Samples.of(200, "application/problem+json", "{\"title\":\"Out of credit\"}"))))
                .isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(v("{\"type\":\"https://x/probs/gone\",\"title\":\"Gone\",\"status\":410}")).isEqualTo(error(ErrorType.NOT_FOUND, Severity.LOW));
        assertThat(v("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429}")).isEqualTo(error(ErrorType.RATE_LIMIT, Severity.HIGH));
        assertThat(v("{\"type\":\"https://schema.org/Book\",\"title\":\"Errors\"}")).isEqualTo(OK);
        assertThat(plain(c.classify(Samples.of(200, "application/problem+json", "[]")))).isEqualTo(OK);
    }

    @Test
    void jsend() {
        assertThat(v("{\"status\":\"fail\",\"data\":{\"title\":\"required\"}}")).isEqualTo(error(ErrorType.VALIDATION, Severity.MEDIUM));
        assertThat(v("{\"status\":\"error\",\"message\":\"Unable to reach the bank: card declined\"}"))
                .isEqualTo(error(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL));
        assertThat(v("{\"status\":\"success\",\"data\":{\"status\":\"failed\"}}")).isEqualTo(OK);
    }

    @Test
    void soapFaultsAndXmlErrors() {
        String soap11 = "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<s:Header/><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>Account not found</faultstring>"
                + "</s:Fault></s:Body></s:Envelope>";
        assertThat(plain(c.classify(Samples.of(200, "text/xml; charset=utf-8", soap11)))).isEqualTo(error(ErrorType.NOT_FOUND, Severity.LOW));
        String soap12 = "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body><env:Fault>"
                + "<env:Code><env:Value>env:Sender</env:Value></env:Code></env:Fault></env:Body></env:Envelope>";
        assertThat(plain(c.classify(Samples.of(200, "application/soap+xml", soap12)))).isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        String ok = "<s:Envelope xmlns:s=\"x\"><s:Body><m:R xmlns:m=\"y\"><m:Fault>0</m:Fault></m:R></s:Body></s:Envelope>";
        assertThat(plain(c.classify(Samples.of(200, "text/xml", ok)))).isEqualTo(OK);
        assertThat(plain(c.classify(Samples.of(200, "application/xml", "<Error><Code>AccessDenied</Code></Error>"))))
                .isEqualTo(error(ErrorType.AUTH_FAILURE, Severity.HIGH));
        assertThat(plain(c.classify(Samples.of(200, "application/xml", "<feed><title>error</title></feed>")))).isEqualTo(OK);
        assertThat(plain(c.classify(Samples.of(200, "text/xml", "<s:Envelope><s:Body><s:Fau")))).as("cut in the tag").isEqualTo(OK);
    }

    @Test
    void otherContentTypesAreNeverErrors() {
        assertThat(plain(c.classify(Samples.of(200, "text/html", "<h1>error</h1>")))).isEqualTo(OK);
        assertThat(plain(c.classify(Samples.of(200, "text/plain", "{\"ok\":false}")))).isEqualTo(OK);
        assertThat(plain(c.classify(Samples.of(200, null, "{\"ok\":false}")))).isEqualTo(OK);
        assertThat(plain(c.classify(Samples.of(200, "APPLICATION/JSON; Charset=UTF-8", "{\"ok\":false}"))))
                .isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(plain(c.classify(Samples.of(200, "application/hal+json", "{\"ok\":false}"))))
                .isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
    }

    @Test
    void statusDecidesSilenceAndSystemErrors() {
        assertThat(plain(c.classify(json(500, "{\"ok\":false}")))).isEqualTo(new Verdict.Ok(false));
        assertThat(plain(c.classify(json(503, "{\"error\":\"rate limit\"}")))).isEqualTo(new Verdict.Ok(false));
        assertThat(plain(c.classify(json(302, "{\"error\":\"x\"}")))).isEqualTo(new Verdict.Ok(false));
        assertThat(plain(c.classify(json(204, "{\"error\":\"x\"}")))).isEqualTo(OK);
        assertThat(plain(c.classify(json(401, "{\"message\":\"Bad credentials\"}"))))
                .isEqualTo(new Verdict.BusinessError(ErrorType.AUTH_FAILURE, Severity.HIGH, false));
        assertThat(plain(c.classify(json(404, "{}")))).isEqualTo(new Verdict.Ok(false));
        assertThat(plain(c.classify(json(404, "[]")))).isEqualTo(new Verdict.Ok(false));
        assertThat(plain(c.classify(Samples.of(404, "text/html", "<p>Not found</p>")))).isEqualTo(new Verdict.Ok(false));
    }

    @Test
    void nothingToReadIsOk() {
        assertThat(plain(c.classify(json(200, "")))).isEqualTo(OK);
        assertThat(plain(c.classify(new ResponseSample(null, 200, "application/json", null, null, false)))).isEqualTo(OK);
        assertThat(plain(c.classify(null))).isEqualTo(new Verdict.Ok(false));
        assertThat(v("[{\"ok\":false}]")).isEqualTo(OK);
        assertThat(v("\"error\"")).isEqualTo(OK);
        assertThat(v("{\"ok\":fal")).isEqualTo(OK);
        assertThat(v("{\"ok\":false")).as("truncated after the value").isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(v("{\"ok\":false,,,garbage")).as("malformed after the value").isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
        assertThat(v("\uFEFF{\"ok\":false}")).isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
    }

    @Test
    void deepNestingIsSkippedNotRecursed() {
        String deep = "{\"data\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"ok\":false}";
        // Beyond the parser's nesting limit the scan stops with what it saw: no exception, no verdict change.
        assertThat(v(deep)).isEqualTo(OK);
        String moderate = "{\"data\":" + "[".repeat(200) + "]".repeat(200) + ",\"ok\":false}";
        assertThat(v(moderate)).isEqualTo(error(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM));
    }
}
