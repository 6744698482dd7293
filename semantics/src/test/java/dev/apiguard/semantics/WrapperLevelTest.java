package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * One wrapper level judged with the top level's rules: status blocks at every level, {@code data} as an
 * envelope, a dominant wrapper beside metadata, a made money movement's response block, and the reads and
 * in-progress states that stay successes.
 */
class WrapperLevelTest {
    private static final Verdict OK = new Verdict.Ok(true);
    private final Classifier c = Classifiers.builtIn();

    private Verdict v(String method, String route, String body) {
        return c.classify(new ResponseSample(route, 200, "application/json", null, body.getBytes(StandardCharsets.UTF_8),
                false, method));
    }

    private Verdict.BusinessError error(String method, String route, String body) {
        Verdict v = v(method, route, body);
        assertThat(v).as(body).isInstanceOf(Verdict.BusinessError.class);
        return (Verdict.BusinessError) v;
    }

    @Test
    void statusBlocksSpeakAtEveryLevel() {
        // A header inside the wrapper, a result-info block inside a body beside a head, a ServiceStack ResponseStatus.
        assertThat(error("GET", null, "{\"response\":{\"header\":{\"resultCode\":\"30\",\"resultMsg\":\"SERVICE KEY IS "
                + "NOT REGISTERED ERROR.\"}}}").family()).isEqualTo(Verdict.Family.VENDOR_CODE);
        assertThat(v("GET", null, "{\"response\":{\"header\":{\"resultCode\":\"00\",\"resultMsg\":\"NORMAL SERVICE.\"},"
                + "\"body\":{\"items\":[]}}}")).isEqualTo(OK);
        assertThat(error("POST", null, "{\"head\":{\"version\":\"v1\"},\"body\":{\"resultInfo\":{\"resultStatus\":\"F\","
                + "\"resultCode\":\"2005\",\"resultMsg\":\"Checksum provided is invalid\"}}}").type())
                .isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(v("POST", null, "{\"head\":{\"version\":\"v1\"},\"body\":{\"resultInfo\":{\"resultStatus\":\"TXN_SUCCESS\","
                + "\"resultCode\":\"01\",\"resultMsg\":\"Txn Success\"},\"txnId\":\"t1\",\"txnAmount\":\"1.00\"}}")).isEqualTo(OK);
        assertThat(error("POST", null, "{\"ResponseStatus\":{\"ErrorCode\":\"ValidationException\",\"Message\":\"Invalid\"}}")
                .type()).isEqualTo(ErrorType.VALIDATION);
        // A status code spelled as a state word; an error inside response metadata; JD's *_responce and *_desc.
        assertThat(error("POST", null, "{\"status\":{\"statusCode\":\"ERROR_VALUE_MISSING\",\"statusDesc\":\"Missing "
                + "required field\"}}").type()).isEqualTo(ErrorType.VALIDATION);
        assertThat(v("POST", null, "{\"status\":{\"statusCode\":\"SUCCESS\"},\"orderId\":\"X1\"}")).isEqualTo(OK);
        assertThat(error("GET", null, "{\"ResponseMetadata\":{\"RequestId\":\"x\",\"Error\":{\"Code\":\"InvalidAction\","
                + "\"Message\":\"Could not find operation\"}},\"Result\":null}").family()).isEqualTo(Verdict.Family.ENVELOPE);
        assertThat(error("POST", null, "{\"jingdong_order_get_responce\":{\"code\":\"19\",\"en_desc\":\"Invalid app key\"}}")
                .type()).isEqualTo(ErrorType.AUTH_FAILURE);
        // A status block beside the wrapper does not count as the wrapper's siblings.
        assertThat(v("GET", null, "{\"meta\":{\"status\":200,\"msg\":\"OK\",\"a\":1,\"b\":2,\"c\":3},\"response\":[]}"))
                .isEqualTo(OK);
    }

    @Test
    void dataIsJudgedAsAnEnvelope() {
        assertThat(error("POST", null, "{\"data\":{\"error\":{\"code\":401,\"message\":\"Invalid token\"}}}").type())
                .isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(error("POST", null, "{\"data\":{\"status\":\"failed\",\"reason\":\"Invalid token\"}}").type())
                .isEqualTo(ErrorType.AUTH_FAILURE);
        // A read's data is the record it read; a resource in data is payload; a GraphQL payload is read by its lists.
        assertThat(v("GET", null, "{\"data\":{\"status\":\"failed\",\"count\":3}}")).isEqualTo(OK);
        assertThat(v("POST", null, "{\"data\":{\"id\":\"m1\",\"errors\":[{\"code\":\"40300\",\"title\":\"Blocked\"}]}}"))
                .isEqualTo(OK);
        assertThat(v("POST", "/graphql", "{\"data\":{\"deleteItem\":{\"success\":true}}}")).isEqualTo(OK);
    }

    @Test
    void aDominantWrapperBesideMetadata() {
        assertThat(error("POST", null, "{\"Response\":{\"Status\":\"Failure\",\"Message\":\"Invalid merchant\"},\"TraceId\":\"t\","
                + "\"Timestamp\":\"1\",\"Version\":\"2\",\"Signature\":\"abc\"}").family()).isEqualTo(Verdict.Family.ENVELOPE);
        assertThat(error("POST", null, "{\"result\":{\"success\":false,\"message\":\"Order not found\"},\"id\":\"req-1\"}")
                .type()).isEqualTo(ErrorType.NOT_FOUND);
        assertThat(error("POST", null, "{\"ResultSet\":{\"Error\":{\"Message\":\"invalid appid\"}}}").family())
                .isEqualTo(Verdict.Family.ENVELOPE);
        // Beside a record's own members the object is part of the record.
        assertThat(v("GET", null, "{\"name\":\"a\",\"owner\":\"b\",\"size\":3,\"kind\":\"c\",\"created\":1,"
                + "\"lastResult\":{\"status\":\"failed\"}}")).isEqualTo(OK);
    }

    @Test
    void statesThatDenyOrAffirm() {
        assertThat(error("POST", null, "{\"status\":\"REQUEST_NOT_PROCESSED\",\"message\":[\"daily threshold reached\"]}")
                .family()).isEqualTo(Verdict.Family.ENVELOPE);
        assertThat(v("POST", null, "{\"status\":\"REQUEST_SUCCEEDED\",\"message\":[],\"Results\":{}}")).isEqualTo(OK);
        assertThat(v("POST", null, "{\"code\":\"APPLY_SUCCESS\",\"msg\":\"Success.\",\"data\":{\"status\":\"PENDING\"}}"))
                .isEqualTo(OK);
    }

    @Test
    void moneyThisRequestMoved() {
        // A charge this request made, RESTRICTED with a failure code in its response block; initiated is in progress.
        String charge = "{\"id\":\"chg_1\",\"object\":\"charge\",\"status\":\"%s\",\"amount\":1,\"currency\":\"KWD\","
                + "\"save_card\":false,\"response\":{\"code\":\"%s\",\"message\":\"%s\"}}";
        assertThat(v("POST", "/v2/charges", charge.formatted("RESTRICTED", "702", "Restricted, Retry Limit Exceeded")))
                .isInstanceOf(Verdict.BusinessError.class);
        assertThat(v("POST", "/v2/charges", charge.formatted("INITIATED", "100", "Initiated"))).isEqualTo(OK);
        assertThat(v("GET", "/v2/charges/{id}", charge.formatted("FAILED", "407", "Failed, Expired Card"))).isEqualTo(OK);
        // Refused in data under an envelope that says the call went through; the same read back is data.
        String nested = "{\"code\":\"00\",\"description\":\"Success\",\"data\":{\"transactionId\":\"t1\",\"status\":\"failed\","
                + "\"message\":\"Insufficient funds\"}}";
        Verdict.BusinessError refused = error("POST", null, nested);
        assertThat(refused.type()).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(refused.family()).isEqualTo(Verdict.Family.PAYMENT);
        assertThat(v("POST", "/payweb3/query.trans", nested)).isEqualTo(OK);
        // A GraphQL mutation payload's transaction refused; a settled one is fine.
        assertThat(error("POST", "/graphql", "{\"data\":{\"chargeCreditCard\":{\"transaction\":{\"id\":\"t\","
                + "\"status\":\"GATEWAY_REJECTED\"}}}}").family()).isEqualTo(Verdict.Family.PAYMENT);
        assertThat(v("POST", "/graphql", "{\"data\":{\"chargeCreditCard\":{\"transaction\":{\"id\":\"t\","
                + "\"status\":\"SUBMITTED_FOR_SETTLEMENT\"}}}}")).isEqualTo(OK);
        // A processor's words in a *_response member; the same charge verified with a GET is data.
        String attempted = "{\"status\":true,\"message\":\"Charge attempted\",\"data\":{\"amount\":20000,\"currency\":\"NGN\","
                + "\"reference\":\"r1\",\"status\":\"%s\",\"gateway_response\":\"%s\"}}";
        assertThat(error("POST", "/charge", attempted.formatted("failed", "Declined")).type()).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(v("POST", "/charge", attempted.formatted("success", "Approved"))).isEqualTo(OK);
        assertThat(v("GET", "/transaction/verify/{reference}", attempted.formatted("failed", "Declined"))).isEqualTo(OK);
        // An error object under a qualified name on a payment this request confirmed; read back, it is data.
        String intent = "{\"id\":\"pi_1\",\"object\":\"payment_intent\",\"amount\":2000,\"status\":\"requires_payment_method\","
                + "\"last_payment_error\":{\"code\":\"card_declined\",\"message\":\"Your card has insufficient funds.\"}}";
        assertThat(error("POST", "/v1/payment_intents/{id}/confirm", intent).type()).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(v("GET", "/v1/payment_intents/{id}", intent)).isEqualTo(OK);
        assertThat(error("POST", null, "{\"respCode\":\"4200\",\"respDesc\":\"Invalid merchant\"}").family())
                .isEqualTo(Verdict.Family.VENDOR_CODE);
        assertThat(v("POST", null, "{\"respCode\":\"0000\",\"respDesc\":\"Success\"}")).isEqualTo(OK);
        // A write answered with a failed state and its reason is this request's outcome, even on a resource.
        assertThat(v("POST", null, "{\"id\":\"charge_1\",\"status\":\"FAILED\",\"failure\":{\"failureType\":\"INTERNAL_DECLINE\","
                + "\"failureMessage\":\"BIN blocked\"}}")).isInstanceOf(Verdict.BusinessError.class);
        assertThat(v("GET", null, "{\"id\":\"charge_1\",\"status\":\"FAILED\",\"failure\":{\"failureType\":\"INTERNAL_DECLINE\","
                + "\"failureMessage\":\"BIN blocked\"}}")).isEqualTo(OK);
    }

    @Test
    void rspIsAResponseWrapperAsInXml() {
        Verdict.BusinessError e = error(null, null, "{\"rsp\":{\"stat\":\"fail\",\"err\":{\"code\":\"1010\",\"msg\":\"Contact provided already exists.\"}}}");
        assertThat(e.type()).isEqualTo(ErrorType.VALIDATION);
        assertThat(v(null, null, "{\"rsp\":{\"stat\":\"ok\",\"contacts\":{\"contact\":[]}}}")).isEqualTo(OK);
    }

    @Test
    void itemsAWriteRejectedUnderAnEnvelopeThatSaysTheCallWasTakenFailedInPart() {
        String body = "{\"code\":0,\"data\":{\"accepted\":[{\"number\":\"RR1\"}],\"rejected\":[{\"number\":\"12345\","
                + "\"error\":{\"code\":-18010012,\"message\":\"The format of '12345' is invalid.\"}}]}}";
        Verdict.BusinessError e = error("POST", null, body);
        assertThat(e.family()).isEqualTo(Verdict.Family.BATCH);
        assertThat(e.batchPartial()).isTrue();
        assertThat(e.type()).isEqualTo(ErrorType.VALIDATION);
        // Nothing rejected, or the same lists read back, are no failure of this request.
        assertThat(v("POST", null, "{\"code\":0,\"data\":{\"accepted\":[{\"number\":\"RR1\"}],\"rejected\":[]}}")).isEqualTo(OK);
        assertThat(v("GET", null, body)).isEqualTo(OK);
    }
}

