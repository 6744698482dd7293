package dev.apiguard.semantics;

import static dev.apiguard.semantics.Samples.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The request method: a write (POST, PUT, PATCH) answered with a money movement in a failed or declined
 * state failed; a GET of the same record read it, which succeeded; an unknown method judges as before
 * the method was known.
 */
class RequestMethodTest {
    private final Classifier c = Classifiers.builtIn();

    private Verdict classify(String method, int status, String body) {
        return c.classify(new ResponseSample(null, status, "application/json", null, utf8(body), false, method));
    }

    private static void paymentFailure(Verdict v) {
        assertThat(v).isInstanceOf(Verdict.BusinessError.class);
        Verdict.BusinessError e = (Verdict.BusinessError) v;
        assertThat(e.type()).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(e.family()).isEqualTo(Verdict.Family.PAYMENT);
        assertThat(e.silent()).isTrue();
    }

    @Test
    void aChargeCreatedInAFailedStateFailedAndReadBackItIsData() {
        String charge = "{\"object\":\"charge\",\"id\":\"chrg_1\",\"status\":\"failed\",\"amount\":100,"
                + "\"failure_code\":\"insufficient_fund\",\"failure_message\":\"insufficient funds in the account\"}";
        paymentFailure(classify("POST", 200, charge));
        paymentFailure(classify("post", 200, charge));
        assertThat(classify("GET", 200, charge)).isEqualTo(new Verdict.Ok(true));
        assertThat(classify(null, 200, charge)).as("unknown method: a resource's status is data, as before").isEqualTo(new Verdict.Ok(true));
        assertThat(classify("DELETE", 200, charge)).isEqualTo(new Verdict.Ok(true));
    }

    @Test
    void aWriteOnlyMakesATransactionsStateItsOutcome() {
        // A job's failed state answered to a POST is not a money movement: the read-of-record stance stays.
        String job = "{\"id\":\"job-1\",\"status\":\"failed\",\"error\":\"disk full\"}";
        assertThat(classify("POST", 200, job)).isEqualTo(new Verdict.Ok(true));
        // In progress is no outcome yet, and a success is a success.
        assertThat(classify("POST", 200, "{\"id\":\"pay_1\",\"amount\":5,\"status\":\"pending\"}")).isEqualTo(new Verdict.Ok(true));
        assertThat(classify("POST", 200, "{\"id\":\"pay_1\",\"amount\":5,\"status\":\"succeeded\"}")).isEqualTo(new Verdict.Ok(true));
    }

    @Test
    void aTransactionObjectCountsWhenThisRequestMadeItAndItWasRefused() {
        String payment = "{\"MerchantOrderId\":\"42\",\"Payment\":{\"Amount\":15700,\"Status\":3,\"ReturnCode\":\"05\","
                + "\"ReturnMessage\":\"Not Authorized\",\"ReasonMessage\":\"Denied\",\"PaymentId\":\"24bc\"}}";
        paymentFailure(classify("POST", 200, payment));
        paymentFailure(classify(null, 201, payment)); // a 201 says it was made, method or not
        assertThat(classify("GET", 200, payment)).isEqualTo(new Verdict.Ok(true));
        assertThat(classify(null, 200, payment)).isEqualTo(new Verdict.Ok(true));
        String declined = "{\"transaction\":{\"uid\":\"1-3\",\"status\":\"declined\",\"amount\":100}}";
        paymentFailure(classify("PUT", 200, declined));
        assertThat(classify("GET", 200, declined)).isEqualTo(new Verdict.Ok(true));
    }

    @Test
    void aGetOfADeclinedPaymentReadItWhateverCodesDescribeTheDecline() {
        String read = "{\"tran_ref\":\"TST1\",\"payment_result\":{\"response_status\":\"D\",\"response_code\":\"316\","
                + "\"response_message\":\"Declined\"}}";
        assertThat(classify("GET", 200, read)).isEqualTo(new Verdict.Ok(true));
        paymentFailure(classify(null, 200, read)); // unknown method: as before the method was known
        // A GET that fails on its own account still fails.
        assertThat(classify("GET", 200, "{\"success\":false,\"error\":\"invalid api key\"}"))
                .isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void aPostToALookupRouteReads() {
        String read = "{\"tran_ref\":\"TST1\",\"payment_result\":{\"response_status\":\"D\",\"response_code\":\"316\","
                + "\"response_message\":\"Declined\"}}";
        assertThat(c.classify(new ResponseSample("/payment/query", 200, "application/json", null, utf8(read), false, "POST")))
                .isEqualTo(new Verdict.Ok(true));
        String charge = "{\"object\":\"charge\",\"id\":\"chrg_1\",\"status\":\"failed\",\"amount\":100}";
        assertThat(c.classify(new ResponseSample("/v1/charges/{id}/status/", 200, "application/json", null, utf8(charge), false,
                "POST"))).isEqualTo(new Verdict.Ok(true));
        paymentFailure(c.classify(new ResponseSample("/v1/charges", 200, "application/json", null, utf8(charge), false, "POST")));
        assertThat(ResponseSample.queryRoute("/v4/threatMatches:find")).isFalse();
        assertThat(ResponseSample.queryRoute("/crm/v3/objects/{type}/search")).isTrue();
        assertThat(ResponseSample.queryRoute("/pay/orderquery")).isTrue();
        assertThat(ResponseSample.queryRoute("/payments")).isFalse();
        assertThat(ResponseSample.queryRoute("")).isFalse();
        assertThat(ResponseSample.queryRoute("/")).isFalse();
        assertThat(ResponseSample.queryRoute(null)).isFalse();
    }

    @Test
    void aRefusalReasonTypesTheFailureAsAPayment() {
        Verdict v = c.classify(Samples.json(200, "{\"pspReference\":\"C4\",\"resultCode\":\"Error\","
                + "\"refusalReason\":\"Acquirer Error\",\"refusalReasonCode\":\"4\"}"));
        assertThat(((Verdict.BusinessError) v).type()).isEqualTo(ErrorType.PAYMENT_FAILURE);
        Verdict plain = c.classify(Samples.json(200, "{\"resultCode\":\"Error\",\"message\":\"Acquirer Error\"}"));
        assertThat(((Verdict.BusinessError) plain).type()).isEqualTo(ErrorType.GENERIC_BUSINESS_ERROR);
    }

    @Test
    void aWritesPerItemResultsWithAFailedStateAndAReasonFailed() {
        String sent = "[{\"email\":\"a@example.com\",\"status\":\"rejected\",\"reject_reason\":\"hard-bounce\",\"_id\":\"abc\"},"
                + "{\"email\":\"b@example.com\",\"status\":\"sent\",\"reject_reason\":null,\"_id\":\"abd\"}]";
        Verdict v = classify("POST", 200, sent);
        assertThat(v).isInstanceOf(Verdict.BusinessError.class);
        assertThat(((Verdict.BusinessError) v).family()).isEqualTo(Verdict.Family.BATCH);
        assertThat(((Verdict.BusinessError) v).batchPartial()).isTrue();
        assertThat(classify("GET", 200, sent)).as("a list of messages read back").isEqualTo(new Verdict.Ok(true));
        assertThat(classify(null, 200, sent)).isEqualTo(new Verdict.Ok(true));
        assertThat(classify("POST", 200, "[{\"email\":\"a@example.com\",\"status\":\"rejected\",\"_id\":\"abc\"}]"))
                .as("a failed state without a reason or message").isEqualTo(new Verdict.Ok(true));
    }

    @Test
    void theOldConstructorLeavesTheMethodUnknown() {
        ResponseSample s = new ResponseSample("/r", 200, "application/json", null, utf8("{}"), false);
        assertThat(s.method()).isNull();
        assertThat(s.intent()).isEqualTo(ResponseSample.Intent.UNKNOWN);
        assertThat(new ResponseSample(null, 200, null, null, null, false, "HEAD").intent()).isEqualTo(ResponseSample.Intent.READ);
        assertThat(new ResponseSample(null, 200, null, null, null, false, "PATCH").intent()).isEqualTo(ResponseSample.Intent.WRITE);
        assertThat(new ResponseSample(null, 200, null, null, null, false, "PROPFIND").intent()).isEqualTo(ResponseSample.Intent.UNKNOWN);
    }

    @Test
    void aWriteAnsweredWithAFailedStateAndAListOfIssuesFailed() {
        String listing = "{\"sku\":\"S-1\",\"status\":\"INVALID\",\"submissionId\":\"sub-1\","
                + "\"issues\":[{\"code\":\"90220\",\"message\":\"'condition' is required\",\"severity\":\"ERROR\"}]}";
        Verdict put = classify("PUT", 200, listing);
        assertThat(put).isInstanceOf(Verdict.BusinessError.class);
        assertThat(((Verdict.BusinessError) put).type()).isEqualTo(ErrorType.VALIDATION);
        // Read back, the record's state and issues are data; without issues a write's record state stays data too.
        assertThat(classify("GET", 200, listing)).isEqualTo(new Verdict.Ok(true));
        assertThat(classify("PUT", 200, "{\"sku\":\"S-1\",\"status\":\"INVALID\",\"submissionId\":\"sub-1\",\"issues\":[]}"))
                .isEqualTo(new Verdict.Ok(true));
    }

    @Test
    void aWriteAnsweredWithRejectedAndAcceptedCountsFailedInPart() {
        String counts = "{\"results\":{\"total_rejected_recipients\":1,\"total_accepted_recipients\":2,\"id\":\"t-1\"}}";
        Verdict send = classify("POST", 200, counts);
        assertThat(send).isInstanceOf(Verdict.BusinessError.class);
        Verdict.BusinessError e = (Verdict.BusinessError) send;
        assertThat(e.family()).isEqualTo(Verdict.Family.BATCH);
        assertThat(e.batchPartial()).isTrue();
        // None rejected, or the same counts read as statistics, are no failure.
        assertThat(classify("POST", 200, counts.replace("\"total_rejected_recipients\":1", "\"total_rejected_recipients\":0")))
                .isEqualTo(new Verdict.Ok(true));
        assertThat(classify("GET", 200, counts)).isEqualTo(new Verdict.Ok(true));
        assertThat(classify("GET", 200, "{\"num_failed\":12,\"num_processed\":900}")).isEqualTo(new Verdict.Ok(true));
    }

    @Test
    void aReadOfARecordNamedByItsIdDescribesItsFailureEvenInItsOwnWords() {
        String job = "{\"jobId\":\"j-1\",\"state\":\"failed\",\"message\":\"Job failed: out of memory\"}";
        assertThat(classify("GET", 200, job)).isEqualTo(new Verdict.Ok(true));
        // The same body answering a write, or of unknown method, reports this request's failure.
        assertThat(classify("POST", 200, job)).isInstanceOf(Verdict.BusinessError.class);
        assertThat(classify(null, 200, job)).isInstanceOf(Verdict.BusinessError.class);
        // A name or an error id is no record's identity: a read's error envelope still fails.
        assertThat(classify("GET", 200, "{\"name\":\"ApiError\",\"status\":\"error\",\"message\":\"Invalid API key\"}"))
                .isInstanceOf(Verdict.BusinessError.class);
        assertThat(classify("GET", 200, "{\"errorId\":\"E-1\",\"status\":\"failed\",\"message\":\"Quota exceeded\"}"))
                .isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void aWriteWhoseEveryMoneyMovementWasDeclinedFailed() {
        String order = "{\"id\":\"ORDE_1\",\"reference_id\":\"ex-1\",\"charges\":[{\"id\":\"CHAR_1\",\"status\":\"DECLINED\","
                + "\"amount\":{\"value\":500},\"payment_response\":{\"code\":\"20007\",\"message\":\"VERIFIQUE OS DADOS DO CARTAO\"}}]}";
        paymentFailure(classify("POST", 201, order));
        // Read back, the declined charge is history; a write with one charge paid is no refusal.
        assertThat(classify("GET", 200, order)).isEqualTo(new Verdict.Ok(true));
        assertThat(classify("POST", 201, order.replace("\"charges\":[", "\"charges\":[{\"id\":\"CHAR_0\",\"status\":\"PAID\"},")))
                .isEqualTo(new Verdict.Ok(true));
        assertThat(classify("POST", 201, "{\"id\":\"ORDE_2\",\"charges\":[]}")).isEqualTo(new Verdict.Ok(true));
    }
}

