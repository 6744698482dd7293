package dev.apiguard.semantics;

import static dev.apiguard.semantics.Samples.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Error types from the status (4xx) and from the body's words and numbers (2xx). */
class TypeInferenceTest {
    private final Classifier c = Classifiers.builtIn();

    private ErrorType type(int status, String body) {
        Verdict v = c.classify(json(status, body));
        assertThat(v).as(body).isInstanceOf(Verdict.BusinessError.class);
        return ((Verdict.BusinessError) v).type();
    }

    @Test
    void fourHundredsMapByStatusUnlessTheBodyNamesTheType() {
        String body = "{\"message\":\"request is invalid\"}";
        assertThat(type(401, body)).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(type(403, body)).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(type(429, body)).isEqualTo(ErrorType.RATE_LIMIT);
        assertThat(type(402, "{\"message\":\"x\"}")).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(type(400, body)).isEqualTo(ErrorType.VALIDATION);
        assertThat(type(422, body)).isEqualTo(ErrorType.VALIDATION);
        assertThat(type(404, body)).isEqualTo(ErrorType.NOT_FOUND);
        // Words that name a type outright win over the status: the body knows why it refused.
        assertThat(type(401, "{\"message\":\"card declined\"}")).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(type(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")).isEqualTo(ErrorType.RATE_LIMIT);
        assertThat(type(400, "{\"code\":\"SlowDown\",\"message\":\"Please reduce your request rate.\"}")).isEqualTo(ErrorType.RATE_LIMIT);
        assertThat(type(403, "{\"message\":\"You have exceeded a secondary rate limit.\"}")).isEqualTo(ErrorType.RATE_LIMIT);
        assertThat(type(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token has expired\"}")).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(type(400, "{\"code\":\"SignatureDoesNotMatch\"}")).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(type(404, "{\"message\":\"password too short\"}")).as("generic words defer to the status").isEqualTo(ErrorType.NOT_FOUND);
        assertThat(type(409, "{\"message\":\"card declined\"}")).as("unmapped 4xx: the body decides").isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(type(409, "{\"message\":\"already exists\"}")).isEqualTo(ErrorType.GENERIC_BUSINESS_ERROR);
        for (int status : new int[] {401, 403, 429, 402, 400, 422, 404}) {
            assertThat(((Verdict.BusinessError) c.classify(json(status, body))).silent()).isFalse();
        }
    }

    @Test
    void messagesInSeveralLanguagesNameTheType() {
        assertThat(type(200, "{\"code\":-3,\"message\":\"用户未登录\"}")).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(type(200, "{\"code\":-3,\"message\":\"请求频率超过上限\"}")).isEqualTo(ErrorType.RATE_LIMIT);
        assertThat(type(200, "{\"code\":-3,\"message\":\"订单不存在\"}")).isEqualTo(ErrorType.NOT_FOUND);
        assertThat(type(200, "{\"code\":-3,\"message\":\"카드 결제 실패\"}")).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(type(200, "{\"code\":-3,\"message\":\"인증 오류\"}")).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(type(200, "{\"code\":-3,\"message\":\"注文が見つかりません\"}")).isEqualTo(ErrorType.NOT_FOUND);
        assertThat(type(200, "{\"code\":-3,\"message\":\"Заказ не найден\"}")).as("Cyrillic capitals are lower-cased")
                .isEqualTo(ErrorType.NOT_FOUND);
        assertThat(type(200, "{\"code\":-3,\"message\":\"Ошибка авторизации\"}")).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(type(200, "{\"success\":false,\"message\":\"Too frequent, slow your requests\"}")).isEqualTo(ErrorType.RATE_LIMIT);
        assertThat(type(200, "{\"status\":\"ERROR\",\"message\":\"Not enough balance in the wallet\"}"))
                .isEqualTo(ErrorType.PAYMENT_FAILURE);
    }

    @Test
    void numericStringErrorCodesAreJudgedLikeNumbers() {
        // An HTTP-like code spelled as a string: "200" succeeds, "403" fails and types like the status.
        assertThat(c.classify(json(200, "{\"status\":\"SUCCESS\",\"subCode\":\"200\",\"message\":\"done\"}")))
                .isEqualTo(new Verdict.Ok(true));
        assertThat(c.classify(json(200, "{\"status\":\"PENDING\",\"subCode\":\"201\",\"message\":\"Initiated\"}")))
                .isEqualTo(new Verdict.Ok(true));
        assertThat(type(200, "{\"status\":\"ERROR\",\"subCode\":\"403\",\"message\":\"no\"}")).isEqualTo(ErrorType.AUTH_FAILURE);
        // An error text beside an error code of "0" describes a clean result.
        assertThat(c.classify(json(200, "{\"Results\":[{\"ErrorCode\":\"0\",\"ErrorText\":\"0 - clean\"}]}")))
                .isEqualTo(new Verdict.Ok(true));
        assertThat(c.classify(json(200, "{\"ErrorCode\":\"0\",\"ErrorText\":\"0 - clean\"}"))).isEqualTo(new Verdict.Ok(true));
        assertThat(type(200, "{\"ErrorCode\":\"5\",\"ErrorText\":\"5 - parameter is invalid\"}")).isEqualTo(ErrorType.VALIDATION);
    }

    @Test
    void qualifiedMessageMembersTalkLikeMessages() {
        // status false needs a message beside it; statusMsg is one.
        assertThat(type(200, "{\"status\":false,\"statusMsg\":\"could not schedule\"}")).isEqualTo(ErrorType.GENERIC_BUSINESS_ERROR);
        // An error's message on a record read describes an earlier failure: not this call's.
        assertThat(c.classify(json(200, "{\"order_id\":\"o1\",\"status\":\"FAILED\",\"bank_error_message\":\"Invalid PIN\"}")))
                .isEqualTo(new Verdict.Ok(true));
        // A JSON-RPC 1.0 answer: "result": null beside the error is no record state.
        assertThat(type(200, "{\"result\":null,\"error\":{\"message\":\"Item #9 does not exist.\",\"code\":101},\"id\":1}"))
                .isEqualTo(ErrorType.NOT_FOUND);
    }

    @Test
    void twoHundredsUseTheBodysWords() {
        assertThat(type(200, "{\"error\":\"card_declined\"}")).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(type(200, "{\"error\":\"insufficient_funds\"}")).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(type(200, "{\"error\":\"Rate limit reached\"}")).isEqualTo(ErrorType.RATE_LIMIT);
        assertThat(type(200, "{\"error\":\"Too Many Requests\"}")).isEqualTo(ErrorType.RATE_LIMIT);
        assertThat(type(200, "{\"error\":\"unauthorized\"}")).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(type(200, "{\"error\":\"invalid token\"}")).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(type(200, "{\"error\":\"Forbidden\"}")).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(type(200, "{\"error\":\"email is invalid\"}")).isEqualTo(ErrorType.VALIDATION);
        assertThat(type(200, "{\"error\":\"name is required\"}")).isEqualTo(ErrorType.VALIDATION);
        assertThat(type(200, "{\"error\":\"qty must be positive\"}")).isEqualTo(ErrorType.VALIDATION);
        assertThat(type(200, "{\"error\":\"order not found\"}")).isEqualTo(ErrorType.NOT_FOUND);
        assertThat(type(200, "{\"error\":\"No such customer\"}")).isEqualTo(ErrorType.NOT_FOUND);
        assertThat(type(200, "{\"error\":\"kaput\"}")).isEqualTo(ErrorType.GENERIC_BUSINESS_ERROR);
    }

    @Test
    void precedenceMostSpecificFirst() {
        assertThat(type(200, "{\"error\":\"card declined: authentication required\"}")).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(type(200, "{\"error\":\"invalid API key\"}")).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(type(200, "{\"error\":\"login throttled, try later\"}")).isEqualTo(ErrorType.RATE_LIMIT);
        assertThat(type(200, "{\"error\":\"invalid request: user not found\"}")).isEqualTo(ErrorType.NOT_FOUND);
    }

    @Test
    void numbersInTheBodyWhenWordsSayNothing() {
        assertThat(type(200, "{\"ok\":false,\"error_code\":429}")).isEqualTo(ErrorType.RATE_LIMIT);
        assertThat(type(200, "{\"error\":{\"code\":404}}")).isEqualTo(ErrorType.NOT_FOUND);
        assertThat(type(200, "{\"status\":403,\"message\":\"nope\"}")).isEqualTo(ErrorType.AUTH_FAILURE);
        assertThat(type(200, "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,\"message\":\"bad\"},\"id\":1}"))
                .isEqualTo(ErrorType.VALIDATION);
    }

    @Test
    void fiveHundredsHaveNoType() {
        assertThat(c.classify(json(500, "{\"error\":\"card declined\"}"))).isEqualTo(new Verdict.Ok(false));
        assertThat(c.classify(json(599, "{\"ok\":false}"))).isEqualTo(new Verdict.Ok(false));
    }

    @Test
    void kebabCaseCodesRefusalsInSpanishAndPortugueseAndDailyLimitsNameTheirTypes() {
        assertThat(type(400, "{\"success\":false,\"error\":\"no channel\",\"errorType\":\"error-room-not-found\"}"))
                .isEqualTo(ErrorType.NOT_FOUND);
        assertThat(type(400, "{\"errors\":[{\"code\":\"invalid_creditCard\",\"description\":\"Transação não autorizada.\"}]}"))
                .isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(type(200, "{\"status\":\"error\",\"message\":\"Tarjeta rechazada por el banco\"}")).isEqualTo(ErrorType.PAYMENT_FAILURE);
        assertThat(type(200, "{\"status\":\"REQUEST_NOT_PROCESSED\",\"message\":[\"The daily threshold for total number of requests "
                + "has been reached.\"]}")).isEqualTo(ErrorType.RATE_LIMIT);
        // A conflict stays generic (409 "already exists"), as before.
        assertThat(type(409, "{\"message\":\"Document already exists\"}")).isEqualTo(ErrorType.GENERIC_BUSINESS_ERROR);
    }

    @Test
    void wordsForAWrongOrIncompleteInputNameValidationAndNoMatchNamesNotFound() {
        assertThat(type(200, "{\"result\":\"error\",\"message\":\"Please specify a value for 'site'.\"}")).isEqualTo(ErrorType.VALIDATION);
        assertThat(type(200, "{\"status\":\"error\",\"message\":\"'termType' value should be one of: A, B\"}"))
                .isEqualTo(ErrorType.VALIDATION);
        assertThat(type(200, "{\"Errors\":[{\"description\":\"No valid search criteria provided\"}]}")).isEqualTo(ErrorType.VALIDATION);
        assertThat(type(200, "{\"error\":{\"code\":1006,\"message\":\"No matching location found.\"}}")).isEqualTo(ErrorType.NOT_FOUND);
        // Without such words the body's failure keeps the generic type.
        assertThat(type(200, "{\"result\":\"error\",\"message\":\"Something went wrong\"}")).isEqualTo(ErrorType.GENERIC_BUSINESS_ERROR);
    }
}

