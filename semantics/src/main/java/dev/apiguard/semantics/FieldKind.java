package dev.apiguard.semantics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a top-level envelope field means to the built-in rules. Names are matched case-insensitively
 * and without {@code _} or {@code -}, so {@code error_code}, {@code errorCode} and {@code ErrorCode}
 * are one field.
 */
enum FieldKind {
    /** {@code ok}, {@code success}: false means the operation failed. */
    SUCCESS_FLAG,
    /** {@code isError}, {@code hasErrors}: true means the operation failed. */
    FAILURE_FLAG,
    /** {@code error}, {@code errors}, {@code fault}: present and non-empty means failure. */
    ERROR,
    /** {@code errorMessage}, {@code error_description}: failure too, unless the body is a resource. */
    ERROR_DETAIL,
    /** {@code data}: distinguishes a GraphQL partial success from a failure. */
    DATA,
    /** {@code status}, {@code stat}, {@code state}, {@code result}, {@code outcome}: a failure word. */
    STATUS,
    /** {@code code}: 0 or 2xx is success; needs a message beside it to count as a failure. */
    CODE,
    /** {@code errcode}, {@code error_code}, {@code retcode}: 0 means success. */
    ERROR_CODE,
    /** {@code statusCode}, {@code httpStatus}: an HTTP status echoed in the body. */
    HTTP_STATUS,
    /** {@code message}, {@code msg}, {@code errmsg}, {@code description}, {@code reason}. */
    MESSAGE,
    /** RFC 7807 members besides {@code status}. */
    PROBLEM_TYPE,
    PROBLEM_TITLE,
    PROBLEM_DETAIL,
    PROBLEM_INSTANCE,
    /** AWS JSON protocols: {@code __type} names the exception. */
    AWS_TYPE,
    JSONRPC,
    /** {@code id}, {@code object}, {@code sid}: the body is a resource, so its state is data. */
    RESOURCE_ID,
    /**
     * {@code resultCode}, {@code ret}, {@code return_code}, {@code response_code}: a vendor code whose
     * success value is known (0, 00, 10000, SUCCESS, OK, a 2xx); another value needs a message
     * beside it, a failure word ({@code FAIL}) or a decline word does not.
     */
    RESULT_CODE,
    /** {@code decision}: a payment decision (ACCEPT, REJECT, DECLINE, REVIEW). */
    DECISION,
    /** {@code approved}: false means a payment was not approved. */
    APPROVAL,
    /** {@code userErrors}: a GraphQL mutation payload's business errors. */
    USER_ERRORS,
    /** {@code failure}, {@code failures}, {@code failed}: a count or list of failed batch items. */
    FAILURE_COUNT,
    /** {@code FailedPutCount}, {@code FailedRecordCount}: counts only batch answers carry. */
    BATCH_COUNT,
    /** {@code UnprocessedItems}, {@code unprocessed}: items the batch did not process. */
    FAILED_ITEMS,
    /** {@code items}, {@code results}, {@code responses}: the per-item results of a batch, when an array. */
    BATCH_ARRAY,
    /** {@code response}, {@code body}, {@code *Response}, {@code *Result}: a wrapper, when an object. */
    WRAPPER,
    /** {@code uid}, {@code url}, {@code name}, {@code *Arn}, {@code jobId}: a record's identity, weaker than {@code id}. */
    RECORD_KEY,
    /**
     * {@code failure_code}, {@code status_detail}, {@code category}, {@code errorClass}, {@code refusal_reason_code}:
     * text that names what kind of failure it is. Read for the type only, never a failure signal on its own.
     */
    HINT,
    /** {@code total_created}, {@code num_records_imported}, {@code successCount}: items a batch did process. */
    SUCCESS_COUNT,
    /**
     * {@code payment}, {@code transaction}, {@code charge}, {@code order}, {@code transfer}: a money
     * movement's record, read as a wrapper when it is an object. With a write method, its failed state
     * is this request's outcome.
     */
    TRANSACTION,
    /** {@code paymentId}, {@code transaction_id}, {@code MerchantOrderId}: a record key that names a transaction. */
    TRANSACTION_KEY,
    /** {@code amount}, {@code currency}, {@code authorized_amount}: the body describes a money movement. */
    AMOUNT,
    /**
     * {@code charges}, {@code payments}, {@code captures}: the money movements a write made, when an array (a read's
     * list of them is records, not read item by item).
     */
    TRANSACTION_LIST,
    OTHER;

    private static final Map<String, FieldKind> NORMALISED = Map.ofEntries(
            Map.entry("ok", SUCCESS_FLAG), Map.entry("success", SUCCESS_FLAG),
            Map.entry("succeeded", SUCCESS_FLAG), Map.entry("successful", SUCCESS_FLAG),
            Map.entry("issuccess", SUCCESS_FLAG), Map.entry("issuccessful", SUCCESS_FLAG),
            Map.entry("iserror", FAILURE_FLAG), Map.entry("haserror", FAILURE_FLAG),
            Map.entry("haserrors", FAILURE_FLAG), Map.entry("isfailure", FAILURE_FLAG),
            Map.entry("error", ERROR), Map.entry("errors", ERROR), Map.entry("err", ERROR),
            Map.entry("errormessage", ERROR_DETAIL), Map.entry("errormsg", ERROR_DETAIL),
            Map.entry("errordescription", ERROR_DETAIL), Map.entry("errordetail", ERROR_DETAIL),
            Map.entry("errordetails", ERROR_DETAIL), Map.entry("errortype", ERROR_DETAIL),
            Map.entry("exception", ERROR), Map.entry("fault", ERROR), Map.entry("errorcodes", ERROR),
            Map.entry("data", DATA),
            Map.entry("status", STATUS), Map.entry("stat", STATUS), Map.entry("state", STATUS),
            Map.entry("result", STATUS), Map.entry("outcome", STATUS),
            Map.entry("code", CODE),
            Map.entry("errcode", ERROR_CODE), Map.entry("errorcode", ERROR_CODE), Map.entry("errno", ERROR_CODE),
            Map.entry("retcode", RESULT_CODE), Map.entry("respcode", RESULT_CODE),
            Map.entry("rspcode", RESULT_CODE), Map.entry("rescode", RESULT_CODE), Map.entry("ret", RESULT_CODE), Map.entry("rc", RESULT_CODE),
            Map.entry("statuscode", HTTP_STATUS), Map.entry("httpstatus", HTTP_STATUS),
            Map.entry("httpcode", HTTP_STATUS), Map.entry("httpstatuscode", HTTP_STATUS),
            Map.entry("message", MESSAGE), Map.entry("msg", MESSAGE), Map.entry("errmsg", MESSAGE),
            Map.entry("retmsg", MESSAGE), Map.entry("resultmsg", MESSAGE), Map.entry("returnmsg", MESSAGE),
            Map.entry("description", MESSAGE), Map.entry("reason", MESSAGE),
            Map.entry("statusmessage", MESSAGE), Map.entry("statustext", MESSAGE),
            Map.entry("type", PROBLEM_TYPE), Map.entry("title", PROBLEM_TITLE),
            Map.entry("detail", PROBLEM_DETAIL), Map.entry("instance", PROBLEM_INSTANCE),
            Map.entry("jsonrpc", JSONRPC),
            Map.entry("id", RESOURCE_ID), Map.entry("object", RESOURCE_ID), Map.entry("uuid", RESOURCE_ID),
            Map.entry("sid", RESOURCE_ID),
            Map.entry("errorresponse", ERROR), Map.entry("refusalreason", ERROR_DETAIL),
            Map.entry("errorinformation", ERROR_DETAIL), Map.entry("failurereason", ERROR_DETAIL),
            Map.entry("subcode", ERROR_CODE), Map.entry("suberrorcode", ERROR_CODE), Map.entry("errcd", ERROR_CODE),
            Map.entry("resultcode", RESULT_CODE), Map.entry("returncode", RESULT_CODE),
            Map.entry("responsecode", RESULT_CODE), Map.entry("resultstatus", RESULT_CODE),
            Map.entry("decision", DECISION), Map.entry("approved", APPROVAL), Map.entry("errortext", ERROR_DETAIL),
            Map.entry("messages", WRAPPER), Map.entry("meta", WRAPPER), Map.entry("done", STATUS),
            Map.entry("uid", RECORD_KEY), Map.entry("url", RECORD_KEY), Map.entry("name", RECORD_KEY),
            Map.entry("sha", RECORD_KEY), Map.entry("kind", RECORD_KEY), Map.entry("taskid", RECORD_KEY),
            Map.entry("jobid", RECORD_KEY), Map.entry("runid", RECORD_KEY), Map.entry("buildid", RECORD_KEY),
            Map.entry("commandid", RECORD_KEY), Map.entry("executionid", RECORD_KEY), Map.entry("operationid", RECORD_KEY), Map.entry("fraudstatus", STATUS), Map.entry("approval", APPROVAL), Map.entry("isapproved", APPROVAL),
            Map.entry("ack", STATUS), Map.entry("paymentstatus", STATUS), Map.entry("transactionstatus", STATUS),
            Map.entry("submsg", MESSAGE), Map.entry("msgs", MESSAGE), Map.entry("respmsg", MESSAGE), Map.entry("shortmessage", MESSAGE),
            Map.entry("longmessage", MESSAGE), Map.entry("resultdesc", MESSAGE), Map.entry("resultmessage", MESSAGE),
            Map.entry("responsesummary", MESSAGE), Map.entry("responsedescription", MESSAGE),
            Map.entry("responsetext", MESSAGE), Map.entry("responsemessage", MESSAGE), Map.entry("returnmessage", MESSAGE),
            Map.entry("usererrors", USER_ERRORS),
            Map.entry("failure", FAILURE_COUNT), Map.entry("failures", FAILURE_COUNT), Map.entry("failed", FAILURE_COUNT),
            Map.entry("failurecount", FAILURE_COUNT), Map.entry("failedcount", FAILURE_COUNT),
            Map.entry("failedputcount", BATCH_COUNT), Map.entry("failedrecordcount", BATCH_COUNT),
            Map.entry("failedentrycount", BATCH_COUNT), Map.entry("failedentries", FAILED_ITEMS),
            Map.entry("unprocesseditems", FAILED_ITEMS), Map.entry("unprocessedkeys", FAILED_ITEMS),
            Map.entry("unprocessed", FAILED_ITEMS),
            Map.entry("items", BATCH_ARRAY), Map.entry("results", BATCH_ARRAY), Map.entry("recipients", BATCH_ARRAY), Map.entry("responses", BATCH_ARRAY),
            Map.entry("records", BATCH_ARRAY), Map.entry("value", BATCH_ARRAY), Map.entry("entries", BATCH_ARRAY), Map.entry("operations", BATCH_ARRAY),
            Map.entry("response", WRAPPER), Map.entry("body", WRAPPER), Map.entry("payload", WRAPPER),
            Map.entry("return", WRAPPER), Map.entry("reply", WRAPPER), Map.entry("rsp", WRAPPER), Map.entry("resultset", WRAPPER),
            Map.entry("statusdetail", HINT), Map.entry("statusreason", HINT), Map.entry("category", HINT),
            Map.entry("errorclass", HINT), Map.entry("errorgroup", HINT), Map.entry("errorname", HINT),
            Map.entry("errorkey", HINT), Map.entry("issue", HINT), Map.entry("issues", HINT),
            Map.entry("payment", TRANSACTION), Map.entry("transaction", TRANSACTION), Map.entry("charge", TRANSACTION),
            Map.entry("order", TRANSACTION), Map.entry("transfer", TRANSACTION), Map.entry("refund", TRANSACTION),
            Map.entry("payout", TRANSACTION), Map.entry("capture", TRANSACTION), Map.entry("authorization", TRANSACTION),
            Map.entry("amount", AMOUNT), Map.entry("currency", AMOUNT), Map.entry("currencycode", AMOUNT),
            Map.entry("charges", TRANSACTION_LIST), Map.entry("payments", TRANSACTION_LIST), Map.entry("captures", TRANSACTION_LIST),
            Map.entry("transactions", TRANSACTION_LIST), Map.entry("authorizations", TRANSACTION_LIST));

    /**
     * Objects that report how the call went rather than carry its payload: {@code status}, {@code meta},
     * {@code header}, {@code ResponseStatus}, {@code resultInfo}. Their members
     * speak for the object that holds them.
     */
    private static final java.util.Set<String> STATUS_BLOCKS = java.util.Set.of("status", "responsestatus",
            "statusinfo", "resultinfo", "responseinfo", "returninfo", "header", "responseheader", "responsemetadata", "meta",
            // the call's own status under the name of what it reports on: {"requestStatus": {"success": false, ...}}
            "requeststatus", "apistatus", "callstatus", "operationstatus", "resultstatus", "replystatus");
    private static final Map<String, Boolean> BLOCK_CACHE = new ConcurrentHashMap<>();

    static boolean statusBlock(String name) {
        Boolean cached = BLOCK_CACHE.get(name);
        if (cached != null) {
            return cached;
        }
        boolean block = STATUS_BLOCKS.contains(normalise(name));
        if (BLOCK_CACHE.size() < CACHE_LIMIT && name.length() <= 64) {
            BLOCK_CACHE.put(name, block);
        }
        return block;
    }

    /** Field names repeat across responses; the cache saves the normalisation. Bounded. */
    private static final int CACHE_LIMIT = 4096;
    private static final Map<String, FieldKind> CACHE = new ConcurrentHashMap<>();

    static FieldKind of(String name) {
        FieldKind cached = CACHE.get(name);
        if (cached != null) {
            return cached;
        }
        FieldKind kind = name.equals("__type") ? AWS_TYPE : classify(normalise(name));
        if (CACHE.size() < CACHE_LIMIT && name.length() <= 64) {
            CACHE.put(name, kind);
        }
        return kind;
    }

    private static FieldKind classify(String normalised) {
        FieldKind kind = NORMALISED.get(normalised);
        if (kind != null) {
            return kind;
        }
        if (normalised.length() > 2 && normalised.endsWith("id") && !normalised.contains("request")
                && !normalised.contains("trace") && !normalised.contains("correlation") && !normalised.contains("idempoten")) {
            // paymentId, transaction_id, MerchantOrderId: the record is a money movement.
            return transactionWord(normalised) ? TRANSACTION_KEY
                    : RECORD_KEY; // dag_run_id, CommandId: a record's identity (request and trace ids are the call's)
        }
        if (normalised.length() > 8 && normalised.endsWith("approved")
                && (transactionWord(normalised) || normalised.startsWith("trn"))) {
            return APPROVAL; // trnApproved, paymentApproved: a transaction's approval flag
        }
        if (normalised.length() > 6 && normalised.endsWith("amount")) {
            return AMOUNT; // authorized_amount, totalAmount
        }
        if (normalised.length() > 3 && normalised.endsWith("arn")) {
            return RECORD_KEY; // an AWS resource name: executionArn, taskArn
        }
        if (normalised.length() > 6 && normalised.endsWith("count") && (normalised.contains("error")
                || normalised.contains("fail") || normalised.contains("reject"))) {
            return FAILURE_COUNT; // error_count, failedCount, rejectedCount: counts, not codes
        }
        if (normalised.length() > 8 && (normalised.startsWith("total") || normalised.startsWith("num"))
                && (normalised.contains("error") || normalised.contains("fail") || normalised.contains("reject"))) {
            return FAILURE_COUNT; // total_rejected_recipients, num_failed: a count of items that did not go through
        }
        if (normalised.length() > 6 && (normalised.contains("count") || normalised.startsWith("num")
                || normalised.startsWith("total")) && (normalised.contains("success") || normalised.contains("succeeded")
                || normalised.contains("created") || normalised.contains("imported") || normalised.contains("accepted")
                || normalised.contains("processed") || normalised.contains("inserted"))) {
            return SUCCESS_COUNT;
        }
        if (normalised.contains("errresp") || normalised.contains("errorresp")) {
            return ERROR; // gw_err_resp, error_response: a wrapper that is an error
        }
        // Per-item error lists of a batch: insertErrors, PartialErrors, partialFailureError, rejectedLogEventsInfo.
        if (normalised.length() > 6 && (normalised.endsWith("errors") || normalised.endsWith("failures")
                || normalised.startsWith("partialfailure") || normalised.startsWith("partialerror")
                || normalised.startsWith("rejected"))) {
            return FAILED_ITEMS;
        }
        // Words that say what went wrong, in a member no rule above reads: failure_code, decline_reason,
        // refusalReasonCode, errorGroup. They type a failure that other members establish.
        if (normalised.length() > 6 && (normalised.startsWith("failure") || normalised.startsWith("decline")
                || normalised.startsWith("refusal") || normalised.startsWith("reject") || normalised.endsWith("reason")
                || normalised.endsWith("reasoncode"))) {
            return HINT;
        }
        // A message under a qualified name: statusMsg, ReturnMessage, friendly_message. An error's message
        // (bank_error_message, httpErrorMessage) is an error detail: on a record it describes an earlier failure.
        if ((normalised.length() > 4 && (normalised.endsWith("msg") || normalised.endsWith("desc")))
                || (normalised.length() > 6 && normalised.endsWith("message"))) {
            return normalised.contains("error") || normalised.startsWith("err") ? ERROR_DETAIL : MESSAGE;
        }
        // A state under a qualified name: messageStatus, txn_status, deliveryStatus.
        if (normalised.length() > 7 && normalised.endsWith("status") && !normalised.startsWith("http")) {
            return STATUS;
        }
        // An operation's answer named after it: CreateOrderResponse, alipay_trade_pay_response, GetUserResult (and
        // JD open platform's spelling, jingdong_*_responce).
        if (normalised.length() > 8 && (normalised.endsWith("response") || normalised.endsWith("result")
                || normalised.endsWith("reply") || normalised.endsWith("responce"))) {
            return WRAPPER;
        }
        if (normalised.length() > 9 && normalised.endsWith("responses")) {
            return BATCH_ARRAY; // compositeResponse lists, batchResponses
        }
        if (normalised.length() > 6 && normalised.startsWith("error")) {
            return HINT; // errorInfo, error_data, errorObject: read for what kind of failure it names
        }
        return OTHER;
    }

    /** Words that name a money movement, in a normalised member name. */
    static boolean transactionWord(String normalised) {
        return normalised.contains("payment") || normalised.contains("transaction") || normalised.contains("charge")
                || normalised.contains("order") || normalised.contains("transfer") || normalised.contains("txn")
                || normalised.contains("refund") || normalised.contains("payout");
    }

    /**
     * {@link #transactionWord} of a value's text lower-cased, without making it a String: its words are ASCII, and no
     * character outside ASCII lower-cases into one of their letters (the Kelvin sign's k is in none of them). Each
     * position is tried only for the words that start with its letter.
     */
    static boolean transactionWord(char[] buf, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            boolean found = switch (Text.lower(buf[i])) {
                case 'p' -> at(buf, i, end, "payment") || at(buf, i, end, "payout");
                case 't' -> at(buf, i, end, "transaction") || at(buf, i, end, "transfer") || at(buf, i, end, "txn");
                case 'c' -> at(buf, i, end, "charge");
                case 'o' -> at(buf, i, end, "order");
                case 'r' -> at(buf, i, end, "refund");
                default -> false;
            };
            if (found) {
                return true;
            }
        }
        return false;
    }

    private static boolean at(char[] buf, int i, int end, String lowerWord) {
        return Text.startsWithIgnoreCase(buf, i, end - i, lowerWord);
    }

    private static String normalise(String name) {
        if (name.length() > 64) {
            return "";
        }
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '-' && c != ' ') {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
