package dev.apiguard.semantics;

/**
 * Infers the error type from what the body says (codes, messages, status words) and from status
 * numbers. Checked in a fixed order, most specific first: a declined card that mentions
 * "authentication" is a payment failure; an "invalid API key" is an auth failure, not validation.
 */
final class TypeHints {
    private TypeHints() {}

    private static final String[] PAYMENT = {
        "支付", "余额不足", "결제", "카드", "잔액", "決済", "残高不足", "оплат", "недостаточно средств",
        "declin", "insufficient_funds", "insufficient funds", "insufficient_fund", "do not honor", "refused", "not approved", "insufficient balance", "payment", "card_error",
        "card_", "card ", "card's", "cvc", "do_not_honor", "billing", "funds", "sufficient_fund",
        "sufficient fund", "insufficient_balance", "notenough", "not_enough", "call issuer", "call_issuer",
        "pick up card", "pickup_card", "lost card", "stolen card", "expired card", "expired_card"
    };
    private static final String[] RATE_LIMIT = {
        "frequency of requests", "request frequency", "requests too frequent", "too frequent", "excessive requests", "频率", "频繁", "上限", "限流", "请求过多", "配额", "超限", "호출 한도", "요청 한도", "リクエスト数", "上限に達", "слишком много запросов", "лимит",
        "rate limit", "rate_limit", "ratelimit", "rate-limit", "rate exceeded", "too many requests",
        "too_many_requests", "toomanyrequests", "throttl", "requestlimitexceeded", "request limit", "throughputexceeded", "throughput exceeded", "quota", "over_query_limit", "over_daily_limit",
        "limit exceeded", "limit_exceeded", "limitexceeded", "limit reached", "resource_exhausted", "slow down",
        "slowdown", "retry after", "retry_after", "frequency limit", "usage limit", "usage_limit", "call limit",
        "calls limit", "query limit", "points_limit", "points limit", "complexity budget", "budget exhausted",
        "too many visits", "too many calls", "requests exceeded", "request volume", "qps",
        "flow control", "flow_control", "limit_control", "limitcontrol", "daily limit", "daily threshold", "hourly limit"
    };
    private static final String[] AUTH = {
        "未登录", "登录", "鉴权", "认证", "签名", "인증", "로그인", "권한", "認証", "ログイン", "авториз", "аутентиф",
        "unauthori", "unauthenticated", "not_authed", "not authed", "invalid_auth", "invalid token",
        "invalid_token", "token expired", "token_expired", "expired token", "expired_token", "access token",
        "access_token", "auth token", "auth_token", "forbidden", "permission", "access denied", "access_denied", "accessdenied",
        "request_denied", "not authorized", "not_authorized", "notauthorized", "credential", "api key", "api_key",
        "apikey", "api-key", "invalid key", "invalid_key", "invalid-key", "oauth", "authenticat", "authoriz", "signature", "login", "password",
        "invalid_client", "invalid_grant", "unauthorized_client", "session expired", "session has expired",
        "jwt", "revoked", "secret", "invalid session", "invalid_session", "invalid-session", "sessionkey",
        "access key", "access_key", "not allowed to", "access-denied", "denied", "expiredtoken", "tokenexpired",
        "invalidtoken", "not logged in", "not_logged_in", "notloggedin"
    };
    private static final String[] NOT_FOUND = {
        "不存在", "找不到", "존재하지 않", "없습니다", "見つかりません", "存在しません", "не найден", "не существует",
        "not found", "not_found", "notfound", "not-found", "no such", "no_such", "nosuch", "does not exist", "doesn't exist",
        "does_not_exist", "resource_missing", "unknown method", "no route", "not_exist", "not-exist", "not exist",
        "notexist", "could not find", "couldn't find", "cannot find", "can't find", "unable to find", "no matching"
    };
    private static final String[] VALIDATION = {
        "参数", "格式", "必填", "형식", "필수", "파라미터", "パラメータ", "形式", "必須", "неверн", "некорректн", "обязательн",
        "invalid", "required", "must be", "must_be", "validat", "missing", "malformed", "bad request",
        "bad_request", "badrequest", "parse error", "parse_error", "unprocessable", "blank", "too long",
        "too_long", "too short", "too_short", "format", "argument", "param", "user_input", "constraint",
        "out of range", "out_of_range", "not allowed", "cannot be", "can't be", "duplicate", "exceeds",
        "does not match", "doesn't match", "mismatch", "conditional", "precondition", "illegal", "timeout-or-duplicate", "already-seen", "already seen",
        "not a valid",
        // an input that is wrong or incomplete, in the words APIs use for it (a conflict with existing data,
        // "already exists", stays a generic business error: the project's stance for a 409)
        "should be", "please specify", "please provide", "no valid", "not match"
    };

    /*
     * Words that name their type outright: they decide even against the HTTP status (a 400 that says
     * Throttling is a rate limit; a 400 about an expired token is an auth failure).
     */
    // "insufficient_quota" is a billing error (vendor convention: OpenAI API error codes,
    // https://platform.openai.com/docs/guides/error-codes), not a rate limit.
    private static final String[] SPECIFIC_PAYMENT = {
        "余额不足", "결제", "카드", "잔액 부족", "残高不足", "недостаточно средств",
        "declin", "insufficient_funds", "insufficient funds", "insufficient_fund", "do not honor", "refused", "not approved", "insufficient_fund", "insufficient balance",
        "do_not_honor", "do not honor", "do not honour", "refused", "not approved", "billing", "insufficient_quota",
        "sufficient_fund", "sufficient fund", "balance_not_enough", "not enough balance", "balance insufficient",
        "insufficient balance", "insufficient_balance", "notenough", "not_enough", "call issuer", "call_issuer",
        "pick up card", "pickup_card", "lost card", "stolen card", "expired card", "expired_card", "cvv", "cvc", "sufficient balance",
        // Spanish and Portuguese: refused, not authorised, insufficient funds or balance
        "rechazad", "denegad", "recusad", "não autorizad", "no autorizad", "fondos insuficientes", "saldo insuficiente"
    };
    private static final String[] SPECIFIC_RATE_LIMIT = RATE_LIMIT;
    private static final String[] SPECIFIC_AUTH = {
        "未登录", "鉴权", "认证失败", "签名", "인증", "로그인", "認証", "авториз",
        "unauthori", "unauthenticated", "not_authed", "invalid_auth", "invalid token", "invalid_token",
        "token expired", "token_expired", "expired token", "expired_token", "token is expired", "token has expired",
        "signature", "auth token", "auth_token", "invalid key", "invalid_key", "invalid api key", "invalid_api_key", "invalid-api-key",
        "api key", "api_key", "apikey", "credential", "invalid_client", "invalid_grant", "session expired",
        "session has expired", "jwt", "revoked", "invalid session", "invalid_session", "invalid-session",
        "access key", "access_key", "access token", "access_token", "permission", "not allowed to", "accessdenied", "access denied", "access_denied", "forbidden", "not authorized",
        "not_authorized", "notauthorized", "access-denied", "expiredtoken", "tokenexpired", "invalidtoken",
        "not logged in", "not authenticated",
        "not_logged_in", "notloggedin", "invalid-input-secret", "invalid_secret", "invalid secret"
    };
    private static final String[] SPECIFIC_NOT_FOUND = {
        "不存在", "존재하지 않", "見つかりません", "存在しません", "не найден", "не существует",
        "not found", "not_found", "notfound", "not-found", "no such", "no_such", "nosuch", "does not exist", "does_not_exist",
        "resource_missing", "not_exist", "not-exist", "not exist", "notexist"
    };

    /**
     * The type named outright by {@code hints[0, len)}, or null: payment, rate limit, auth and
     * not-found words; never the generic validation ones.
     */
    static ErrorType specific(char[] hints, int len) {
        if (len <= 0) {
            return null;
        }
        if (any(hints, 0, len, SPECIFIC_PAYMENT) || insufficientMoney(hints, 0, len)) {
            return ErrorType.PAYMENT_FAILURE;
        }
        if (any(hints, 0, len, SPECIFIC_RATE_LIMIT)) {
            return ErrorType.RATE_LIMIT;
        }
        if (any(hints, 0, len, SPECIFIC_AUTH) || badCredential(hints, 0, len)) {
            return ErrorType.AUTH_FAILURE;
        }
        if (any(hints, 0, len, SPECIFIC_NOT_FOUND)) {
            return ErrorType.NOT_FOUND;
        }
        return null;
    }

    /** The type the (lower-cased) hint text names, or null. */
    static ErrorType fromText(char[] hints, int len) {
        return fromText(hints, 0, len);
    }

    /** The type {@code hints[from, to)} names, or null. */
    static ErrorType fromText(char[] hints, int from, int len) {
        if (len <= from) {
            return null;
        }
        if (any(hints, from, len, PAYMENT) || insufficientMoney(hints, from, len)) {
            return ErrorType.PAYMENT_FAILURE;
        }
        if (any(hints, from, len, RATE_LIMIT)) {
            return ErrorType.RATE_LIMIT;
        }
        if (any(hints, from, len, AUTH)) {
            return ErrorType.AUTH_FAILURE;
        }
        if (any(hints, from, len, NOT_FOUND)) {
            return ErrorType.NOT_FOUND;
        }
        if (any(hints, from, len, VALIDATION)) {
            return ErrorType.VALIDATION;
        }
        return null;
    }

    /** The contract's status mapping: 401/403 auth, 429 rate, 402 payment, 400/422 validation, 404 not found. */
    static ErrorType fromStatus(long status) {
        return switch ((int) Math.max(Math.min(status, 1000), -1)) {
            case 401, 403, 407 -> ErrorType.AUTH_FAILURE;
            case 429 -> ErrorType.RATE_LIMIT;
            case 402 -> ErrorType.PAYMENT_FAILURE;
            case 400, 422 -> ErrorType.VALIDATION;
            case 404, 410 -> ErrorType.NOT_FOUND;
            default -> null;
        };
    }

    /** JSON-RPC 2.0 reserved codes. */
    static ErrorType fromJsonRpcCode(long code) {
        if (code == -32601) {
            return ErrorType.NOT_FOUND;
        }
        if (code == -32700 || code == -32600 || code == -32602) {
            return ErrorType.VALIDATION;
        }
        return null;
    }

    private static final String[] NAMES_VALIDATION = {"validat", "required", "missing",
        "malformed", "user_input", "userinput", "constraint", "format",
        "precondition", "conditional", "duplicate", "immutable", "unprocessable"};

    /** Codes that name a validation failure, not just a generic bad request. */
    static boolean namesValidation(char[] codes, int len) {
        return any(codes, 0, len, NAMES_VALIDATION);
    }

    /**
     * What proves the caller: a token, an app key, a secret, a signature or hash, a password. An app id alone
     * is not here: the regression corpus reads "invalid appid" as validation (an identifier, not a secret).
     */
    private static final String[] CREDENTIAL = {"token", "appkey", "app key", "app_key", "apikey", "secret",
        "signature", "checksum", "hash", "password", "passwd", "credential", "authentication"};
    /** Words that say a credential is bad, in several languages. */
    private static final String[] BAD = {"invalid", "expired", "incorrect", "wrong", "mismatch", "not valid",
        "does not match", "not authenticated", "failed", "失效", "无效", "错误", "有误", "不正", "неправильн", "неверн"};

    /**
     * An expired token, a bad signature, a wrong app id: an auth failure whatever the status. A page
     * token or cursor is paging input, not a credential.
     */
    private static boolean badCredential(char[] hints, int from, int to) {
        return any(hints, from, to, CREDENTIAL) && any(hints, from, to, BAD) && !Text.contains(hints, from, to, "page");
    }

    /** The text names a credential (a token, a key, a signature, a password). */
    static boolean namesCredential(char[] hints, int len) {
        return any(hints, 0, len, CREDENTIAL) || any(hints, 0, len, SPECIFIC_AUTH_CREDENTIAL);
    }

    private static final String[] SPECIFIC_AUTH_CREDENTIAL = {"api key", "api_key", "access key", "access_key",
        "jwt", "login", "session", "client"};

    /** "Insufficient USDT balance", "cc_rejected_insufficient_amount": short of money, whatever sits between. */
    private static boolean insufficientMoney(char[] hints, int from, int to) {
        boolean shortOf = Text.contains(hints, from, to, "insufficient") || Text.contains(hints, from, to, "not enough")
                || Text.contains(hints, from, to, "no enough") || Text.contains(hints, from, to, "no_enough");
        return shortOf && (Text.contains(hints, from, to, "balance")
                || Text.contains(hints, from, to, "fund") || Text.contains(hints, from, to, "amount")
                || Text.contains(hints, from, to, "credit"));
    }

    private static boolean any(char[] hints, int from, int to, String[] needles) {
        for (String needle : needles) {
            if (Text.contains(hints, from, to, needle)) {
                return true;
            }
        }
        return false;
    }
}
