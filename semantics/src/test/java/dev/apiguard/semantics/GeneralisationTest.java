package dev.apiguard.semantics;

import static dev.apiguard.semantics.Samples.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Principles that generalise across vendors (issue 14): each reads a shape, not a vendor. Bodies are
 * written here from the principle, each with its negative twin.
 */
class GeneralisationTest {
    private static final Verdict OK = new Verdict.Ok(true);
    private final Classifier c = Classifiers.builtIn();

    private Verdict v(String body) {
        return c.classify(json(200, body));
    }

    @Test
    void numericStatusSpelledAsTextIsJudgedLikeTheNumber() {
        assertThat(v("{\"status\":\"5300\",\"message\":\"Invalid Apikey\"}")).isInstanceOf(Verdict.BusinessError.class);
        assertThat(v("{\"status\":5300,\"message\":\"Invalid Apikey\"}")).isInstanceOf(Verdict.BusinessError.class);
        assertThat(v("{\"status\":\"0000\",\"message\":\"ok\"}")).isEqualTo(OK);
        assertThat(v("{\"status\":\"1\",\"message\":\"queued\"}")).isEqualTo(OK);
    }

    @Test
    void qualifiedStateMembersAreStates() {
        Verdict failed = v("{\"txn_status\":\"FAILED\",\"message\":\"could not transfer\"}");
        assertThat(failed).isInstanceOf(Verdict.BusinessError.class);
        // A record found by a search carries its own state and error code: data, not a failed item.
        assertThat(v("{\"totalCount\":1,\"messages\":[{\"messageId\":\"m1\",\"messageStatus\":\"FAILED\",\"errorCode\":4405}]}"))
                .isEqualTo(OK);
    }

    @Test
    void odataValueArrayIsABatchWhenItsItemsReportFailures() {
        Verdict mixed = v("{\"value\":[{\"key\":\"1\",\"statusCode\":201,\"successful\":true},"
                + "{\"key\":\"2\",\"statusCode\":400,\"successful\":false,\"errorMessage\":\"key is invalid\"}]}");
        assertThat(mixed).isInstanceOf(Verdict.BusinessError.class);
        Verdict.BusinessError e = (Verdict.BusinessError) mixed;
        assertThat(e.family()).isEqualTo(Verdict.Family.BATCH);
        assertThat(e.batchPartial()).isTrue();
        assertThat(e.type()).isEqualTo(ErrorType.VALIDATION);
        // A plain OData list of records is a read.
        assertThat(v("{\"value\":[{\"id\":\"1\",\"displayName\":\"a\"},{\"id\":\"2\",\"displayName\":\"b\"}]}")).isEqualTo(OK);
        assertThat(v("{\"value\":[]}")).isEqualTo(OK);
    }

    @Test
    void graphqlPayloadErrorsAsData() {
        Verdict union = v("{\"data\":{\"applyDiscount\":{\"__typename\":\"DiscountExpiredError\",\"message\":\"expired\"}}}");
        assertThat(union).isInstanceOf(Verdict.BusinessError.class);
        assertThat(((Verdict.BusinessError) union).family()).isEqualTo(Verdict.Family.GRAPHQL);
        Verdict input = v("{\"data\":{\"customerCreate\":{\"inputErrors\":[{\"code\":\"REQUIRED\",\"message\":\"name is required\"}],"
                + "\"customer\":null}}}");
        assertThat(((Verdict.BusinessError) input).type()).isEqualTo(ErrorType.VALIDATION);
        // The success member of the union, and an empty error list, succeeded.
        assertThat(v("{\"data\":{\"applyDiscount\":{\"__typename\":\"Order\",\"id\":\"1\"}}}")).isEqualTo(OK);
        assertThat(v("{\"data\":{\"customerCreate\":{\"inputErrors\":[],\"customer\":{\"id\":\"1\"}}}}")).isEqualTo(OK);
    }

    @Test
    void xmlErrorCodeElementIsAnErrorCode() {
        Verdict v = c.classify(Samples.of(200, "text/xml",
                "<txn><errorCode>4025</errorCode><errorMessage>The credentials supplied are invalid.</errorMessage></txn>"));
        assertThat(v).isInstanceOf(Verdict.BusinessError.class);
        assertThat(((Verdict.BusinessError) v).type()).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(c.classify(Samples.of(200, "text/xml", "<txn><errorCode>0</errorCode><amount>1.00</amount></txn>"))).isEqualTo(OK);
    }

    @Test
    void credentialWithAProblemWordIsAnAuthFailureWhateverTheStatus() {
        Verdict v = c.classify(json(400, "{\"errors\":[\"application token is invalid\"],\"status\":0}"));
        assertThat(((Verdict.BusinessError) v).type()).isEqualTo(ErrorType.AUTH_FAILURE);
        v = c.classify(json(400, "{\"message\":\"SHA1 hash incorrect\"}"));
        assertThat(((Verdict.BusinessError) v).type()).isEqualTo(ErrorType.AUTH_FAILURE);
        // A page token is paging input.
        v = c.classify(json(400, "{\"message\":\"invalid page token\"}"));
        assertThat(((Verdict.BusinessError) v).type()).isEqualTo(ErrorType.VALIDATION);
    }

    @Test
    void anErrorMemberThatSaysThereIsNoneIsNoFailure() {
        assertThat(v("{\"error\":\"No error\",\"data\":{\"id\":1}}")).isEqualTo(OK);
        assertThat(v("{\"errorCode\":\"NONE\",\"errorMessage\":\"No error\",\"result\":{\"id\":1}}")).isEqualTo(OK);
        assertThat(v("{\"error\":{\"code\":0,\"message\":\"No Error\"}}")).isEqualTo(OK);
        assertThat(v("{\"error\":\"-\"}")).isEqualTo(OK);
        // Its negative twin: an error that says something is a failure.
        assertThat(v("{\"error\":\"No such user\"}")).isInstanceOf(Verdict.BusinessError.class);
        assertThat(v("{\"error\":{\"code\":7,\"message\":\"No route\"}}")).isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void aMessageThatSaysSuccessInSeveralLanguagesClearsAVendorCode() {
        // A code of 1 is a failure in some APIs and success in others: the message beside it decides.
        assertThat(v("{\"code\":1,\"msg\":\"成功\"}")).isEqualTo(OK);
        assertThat(v("{\"resultCode\":1,\"resultMsg\":\"处理成功\"}")).isEqualTo(OK);
        assertThat(v("{\"code\":3,\"message\":\"정상 처리되었습니다\"}")).isEqualTo(OK);
        assertThat(v("{\"ret\":1,\"msg\":\"Успешно\"}")).isEqualTo(OK);
        assertThat(v("{\"code\":1,\"mensaje\":\"x\",\"message\":\"Operación exitosa\"}")).isEqualTo(OK);
        assertThat(v("{\"responseCode\":\"1\",\"responseText\":\"This transaction has been approved.\"}")).isEqualTo(OK);
        // Negative twins: a negated or failed success is no success.
        assertThat(v("{\"code\":1,\"msg\":\"支付不成功\"}")).isInstanceOf(Verdict.BusinessError.class);
        assertThat(v("{\"code\":1,\"msg\":\"成功率低，请求失败\"}")).isInstanceOf(Verdict.BusinessError.class);
        assertThat(v("{\"ret\":1,\"msg\":\"Неуспешно\"}")).isInstanceOf(Verdict.BusinessError.class);
        assertThat(v("{\"responseCode\":\"2\",\"responseText\":\"This transaction has not been approved.\"}"))
                .isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void aVendorStatusOfOneOrInTheRedirectRangeFailsWhenItsMessageSaysSo() {
        Verdict v = v("{\"status\":311,\"message\":\"key格式错误\"}");
        assertThat(v).isInstanceOf(Verdict.BusinessError.class);
        v = v("{\"status\":302,\"message\":\"天配额超限，限制访问\"}");
        assertThat(((Verdict.BusinessError) v).type()).isEqualTo(ErrorType.RATE_LIMIT);
        assertThat(v("{\"status\":310,\"message\":\"Request parameter invalid\"}")).isInstanceOf(Verdict.BusinessError.class);
        // A 3xx status beside a message that names no failure is a redirect or a vendor's success value.
        assertThat(v("{\"status\":302,\"message\":\"Found\",\"location\":\"/x\"}")).isEqualTo(OK);
        assertThat(v("{\"status\":304,\"message\":\"Not Modified\"}")).isEqualTo(OK);
        // A status of 1 is "true" in many APIs and a failure code in others: the message decides too.
        Verdict form = c.classify(Samples.of(200, "application/x-www-form-urlencoded", "RESULT=1&RESPMSG=User authentication failed"));
        assertThat(((Verdict.BusinessError) form).type()).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(v("{\"status\":\"1\",\"info\":\"OK\",\"count\":\"0\"}")).isEqualTo(OK);
        assertThat(v("{\"status\":1,\"message\":\"Import done, 0 errors\"}")).isEqualTo(OK);
    }

    @Test
    void anApprovalFlagCountsAsOneOrZeroAndInAFormEncodedAnswer() {
        String approved = "trnApproved=1&trnId=10000005&messageText=Approved&trnAmount=10.00&errorType=N&errorFields=&responseCode=1";
        assertThat(c.classify(new ResponseSample(null, 200, "application/x-www-form-urlencoded", null, Samples.utf8(approved), false,
                "POST"))).isEqualTo(OK);
        Verdict declined = c.classify(new ResponseSample(null, 200, "application/x-www-form-urlencoded", null,
                Samples.utf8("trnApproved=0&trnId=10000006&messageText=DECLINE&trnAmount=10.00&errorType=N&responseCode=7"), false, "POST"));
        assertThat(((Verdict.BusinessError) declined).type()).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(v("{\"paymentApproved\":0,\"amount\":5,\"message\":\"Insufficient funds\"}")).isInstanceOf(Verdict.BusinessError.class);
        // A flag named for something other than a transaction is not an approval.
        assertThat(v("{\"autoApproved\":false,\"title\":\"x\"}")).isEqualTo(OK);
    }

    @Test
    void aResultWordBesideAStatusThatSaysSuccessIsTheAnswersContent() {
        // An e-mail verifier's verdict on the address, not the call's outcome.
        assertThat(v("{\"status\":\"success\",\"result\":\"invalid\",\"execution_time\":285}")).isEqualTo(OK);
        // Without the status, or with a status that fails too, the result word is the outcome.
        assertThat(v("{\"result\":\"failed\",\"message\":\"could not send\"}")).isInstanceOf(Verdict.BusinessError.class);
        assertThat(v("{\"status\":\"error\",\"result\":\"invalid\"}")).isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void anErrorMemberThatOnlySaysNothingWasFoundIsAnEmptyResult() {
        assertThat(v("{\"search_metadata\":{\"status\":\"Success\"},\"error\":\"Google hasn't returned any results for this query.\"}"))
                .isEqualTo(OK);
        assertThat(v("{\"error\":\"The search returned no results\"}")).isEqualTo(OK);
        assertThat(v("{\"error\":\"Invalid API key\"}")).isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void aStatusCodeThatIsNoHttpStatusIsAVendorCode() {
        Verdict v = v("{\"statusCode\":\"2023\",\"statusMessage\":\"Insufficient Balance\"}");
        assertThat(((Verdict.BusinessError) v).type()).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(v("{\"statusCode\":\"0000\",\"statusMessage\":\"Successful\",\"paymentID\":\"TR1\"}")).isEqualTo(OK);
        assertThat(v("{\"statusCode\":0,\"statusMessage\":\"Request accepted\"}")).isEqualTo(OK);
        assertThat(v("{\"statusCode\":1,\"statusMessage\":\"Request accepted\"}")).isEqualTo(OK);
        // An HTTP status echoed as statusCode keeps its meaning.
        assertThat(v("{\"statusCode\":200,\"message\":\"Created\"}")).isEqualTo(OK);
        assertThat(v("{\"statusCode\":404,\"message\":\"No such order\"}")).isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void aWritesPerItemErrorListsFailInPartWhenOneIsEmptyAndAnotherIsNot() {
        String body = "[{\"id\":\"park_1\",\"errors\":[]},{\"id\":null,\"errors\":[\"Invalid field name: 'X'\"]}]";
        Verdict v = c.classify(new ResponseSample(null, 200, "application/json", null, Samples.utf8(body), false, "POST"));
        Verdict.BusinessError e = (Verdict.BusinessError) v;
        assertThat(e.family()).isEqualTo(Verdict.Family.BATCH);
        assertThat(e.batchPartial()).isTrue();
        assertThat(e.type()).isEqualTo(ErrorType.VALIDATION);
        // Every list empty, or records read back with their own error lists, are no failure of this request.
        assertThat(c.classify(new ResponseSample(null, 200, "application/json", null,
                Samples.utf8("[{\"id\":\"a\",\"errors\":[]},{\"id\":\"b\",\"errors\":[]}]"), false, "POST"))).isEqualTo(OK);
        assertThat(c.classify(new ResponseSample(null, 200, "application/json", null, Samples.utf8(body), false, "GET"))).isEqualTo(OK);
    }

    @Test
    void aThrottledStateAndAShortBalanceNameTheirTypes() {
        Verdict v = v("{\"status\":\"throttle_triggered\",\"message\":\"Too many requests in a short amount of time.\"}");
        assertThat(((Verdict.BusinessError) v).type()).isEqualTo(ErrorType.RATE_LIMIT);
        v = v("{\"code\":11001,\"msg\":\"TE_NO_ENOUGH_AVAILABLE_BALANCE\",\"data\":null}");
        assertThat(((Verdict.BusinessError) v).type()).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(v("{\"status\":\"active\",\"rate_limit\":{\"remaining\":10}}")).isEqualTo(OK);
    }

    @Test
    void plainTextStatusLinesOfALegacyGatewayReportTheirFailures() {
        Verdict auth = c.classify(Samples.of(200, "text/plain", "ERROR: Username or password is incorrect.\n"));
        assertThat(((Verdict.BusinessError) auth).type()).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(((Verdict.BusinessError) auth).silent()).isTrue();
        Verdict mixed = c.classify(Samples.of(200, "text/plain", "OK: 61400111222:2942263\nBAD:0400abc111:Invalid Number\n"));
        Verdict.BusinessError e = (Verdict.BusinessError) mixed;
        assertThat(e.family()).isEqualTo(Verdict.Family.BATCH);
        assertThat(e.batchPartial()).isTrue();
        assertThat(e.type()).isEqualTo(ErrorType.VALIDATION);
        // Lines that went through, prose, a read (a log file) and a long text are not failures.
        assertThat(c.classify(Samples.of(200, "text/plain", "OK: 61400111222:2942263\n"))).isEqualTo(OK);
        assertThat(c.classify(Samples.of(200, "text/plain", "Errors are reported by e-mail: none today."))).isEqualTo(OK);
        assertThat(c.classify(Samples.of(200, "text/plain", "error: invalid token"))).as("prose, not a status word").isEqualTo(OK);
        assertThat(c.classify(new ResponseSample(null, 200, "text/plain", null, Samples.utf8("ERROR: disk full at 10:02\n"), false, "GET")))
                .isEqualTo(OK);
        assertThat(c.classify(Samples.of(200, "text/plain", "ERROR: x\n" + "y".repeat(600)))).isEqualTo(OK);
    }

    @Test
    void inProgressMessagesInSeveralLanguagesAreNoOutcomeYet() {
        assertThat(v("{\"code\":1001,\"msg\":\"订单处理中\"}")).isEqualTo(OK);
        assertThat(v("{\"ret\":-1,\"msg\":\"已受理\"}")).isEqualTo(OK);
        assertThat(v("{\"code\":7,\"message\":\"처리중입니다\"}")).isEqualTo(OK);
        assertThat(v("{\"code\":7,\"message\":\"В обработке\"}")).isEqualTo(OK);
        assertThat(v("{\"code\":3,\"message\":\"Aguardando pagamento\"}")).isEqualTo(OK);
        assertThat(v("{\"code\":3,\"mensaje\":\"x\",\"message\":\"Transacción pendiente\"}")).isEqualTo(OK);
        // A wait that ended in failure, or a message that only expects something, is a failure.
        assertThat(v("{\"code\":1001,\"msg\":\"等待超时\"}")).isInstanceOf(Verdict.BusinessError.class);
        assertThat(v("{\"code\":7,\"message\":\"Ожидается параметр id\"}")).isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void emptyResultsInSeveralLanguagesAreNoFailure() {
        assertThat(v("{\"code\":404,\"msg\":\"暂无数据\",\"data\":[]}")).isEqualTo(OK);
        assertThat(v("{\"code\":1,\"msg\":\"没有查询到数据\"}")).isEqualTo(OK);
        assertThat(v("{\"error\":\"Sin resultados\"}")).isEqualTo(OK);
        assertThat(v("{\"error\":\"Nenhum resultado encontrado\"}")).isEqualTo(OK);
        assertThat(v("{\"status\":\"error\",\"message\":\"Aucun résultat\"}")).isEqualTo(OK);
        assertThat(v("{\"code\":1,\"msg\":\"Ничего не найдено\"}")).isEqualTo(OK);
        // A failure that is not an empty result stays one.
        assertThat(v("{\"code\":1001,\"msg\":\"参数错误\"}")).isInstanceOf(Verdict.BusinessError.class);
    }

    @Test
    void anXmlExceptionInTheResponseAndAFailedStateInAStatusBlockFail() {
        Verdict v = c.classify(Samples.of(200, "text/xml", "<SearchResults><response><dateTimeRetrieved>2024</dateTimeRetrieved>"
                + "<exception><exceptionDescription>Search text is not a valid ABN</exceptionDescription>"
                + "<exceptionCode>WEBSERVICES</exceptionCode></exception></response></SearchResults>"));
        assertThat(((Verdict.BusinessError) v).type()).isEqualTo(ErrorType.VALIDATION);
        v = c.classify(Samples.of(200, "text/xml", "<wps:ExecuteResponse xmlns:wps=\"x\"><wps:Status><wps:ProcessFailed>"
                + "<ows:ExceptionReport><ows:Exception exceptionCode=\"InvalidParameterValue\"/></ows:ExceptionReport>"
                + "</wps:ProcessFailed></wps:Status></wps:ExecuteResponse>"));
        assertThat(v).isInstanceOf(Verdict.BusinessError.class);
        // An empty exception element, and a status block that succeeded, are no failure.
        assertThat(c.classify(Samples.of(200, "text/xml", "<SearchResults><response><exception/><abn>1</abn></response></SearchResults>")))
                .isEqualTo(OK);
        assertThat(c.classify(Samples.of(200, "text/xml", "<wps:ExecuteResponse xmlns:wps=\"x\"><wps:Status><wps:ProcessSucceeded>"
                + "done</wps:ProcessSucceeded></wps:Status></wps:ExecuteResponse>"))).isEqualTo(OK);
    }
}

