package dev.apiguard.semantics;

/**
 * What one body's envelope says, filled by {@link JsonScan}, {@link XmlScan} or {@link FormScan} and
 * judged by {@link #judge}. Mutable scratch, reused per thread and reset per call, so a verdict
 * allocates next to nothing.
 *
 * <p>The top-level envelope owns three nested ones, filled one level down and judged with stricter
 * rules: the members of a single wrapper object ({@code {"CreateOrderResponse":{...}}}), the members
 * of {@code data} (GraphQL root fields, or an envelope in {@code data}), and the items of a batch
 * array (one scratch, reused per item; only counts reach the parent). The nesting is bounded: the
 * nested envelopes own none of their own.
 */
final class Envelope {
    static final int MAX_HINTS = 512;
    private static final int MAX_HINT_PER_VALUE = 128;
    /** A wrapper is an envelope only when the object around it is small: wrapper plus a few metadata members. */
    static final int MAX_WRAPPER_SIBLINGS = 4;

    enum TopLevel { NONE, OBJECT, ARRAY, SCALAR }

    enum Judgement { OK, PARTIAL, FAILURE }

    TopLevel topLevel;
    /** Members seen (null-valued ones in {@link #nullMembers} too). */
    int members;
    /** Members no rule knows (a record's own fields: rowCount, startedAt, version), not null. */
    int dataMembers;
    /** A state member of any shape: {@code status}, {@code state} (also an object), {@code jobState}. */
    boolean stateNamed;
    /** The request read one record by its id: a GET whose route ends in a template parameter ({@code /jobs/{id}}). */
    boolean namedRead;
    /** A SOAP body whose operation reads (getX, QueryX): the POST reads a record. */
    boolean soapRead;
    /** Members whose value was an object or an array (a wrapper is dominant when it is the only one). */
    int structuredMembers;
    int nullMembers;
    boolean successTrue;
    boolean successFalse;
    boolean failureFlag;
    boolean errorMeaningful;
    /** An {@code errors: true} flag (Elasticsearch bulk), as opposed to an error object or list. */
    boolean errorsFlagTrue;
    boolean errorDetailMeaningful;
    boolean errorsArrayMeaningful;
    boolean dataPresent;
    /** A {@code data} member was there at all, even null (GraphQL's failed execution). */
    boolean dataKey;
    /** {@code data} held an object (GraphQL root fields, or a wrapped envelope). */
    boolean dataObject;
    boolean jsonrpc;
    boolean statusFailure;
    /** A failure word in a status other than exactly {@code invalid} (which may be a check's verdict on its subject). */
    boolean statusFailureNotVerdict;
    boolean statusFailureFromResult;
    /** The failure word was in a member other than {@code result} ({@code status}, {@code state} ...). */
    boolean statusFailureOwn;
    /** The status word was exactly JSend's {@code fail}: the request was rejected for its data. */
    boolean jsendFail;
    boolean statusSuccess;
    boolean statusFalse;
    /** A numeric status that is neither 0, 1, 10000, nor an HTTP success or redirect: a vendor code. */
    boolean statusNumberBad;
    /**
     * A numeric status of 1 or 3xx: success in many APIs (1 as "true", an HTTP redirect value), left alone;
     * but as a vendor's own code ({@code "status": 311} beside "key格式错误", {@code RESULT=1} beside
     * "User authentication failed") a failure when its message says so.
     */
    boolean statusNumberAmbiguous;
    /** An in-progress word (pending, processing, requires_action ...): not an outcome yet. */
    boolean inProgress;
    /** Set by {@link #judge}: a read of a money movement with its identity; its failed state and flags are data. */
    boolean readTransaction;
    /** Set by {@link #judge}: the body is the one record a {@link #namedRead} asked for. */
    boolean namedRecord;
    boolean resourceLike;
    /** A record's identity beyond {@code id}: {@code uid}, {@code url}, {@code name}, an ARN, a task or job id. */
    boolean recordKey;
    /** The identity was a record's own id member ({@code jobId}, {@code message_id}), not a name or a URL. */
    boolean recordIdKey;
    /** A state member ({@code status}, {@code state}, {@code done} ...): with an identity, the body is a record. */
    boolean stateMember;
    /** A {@code statusCode}/{@code status_code}/{@code httpStatus} member held a number. */
    boolean statusCodeSeen;
    /** A {@code statusCode}/{@code status_code}/{@code httpStatus} echo of 4xx/5xx. */
    boolean echoedHttpFailure;
    /** Batch items that carried an error member, error code or message (a 4xx's list of errors). */
    int itemsErrorish;
    /** Batch items whose error member held something, and items whose error member was there but empty. */
    int itemsErrorFull;
    /** A write's list under an unknown name: its failed and other items, and items with a full or empty error list. */
    int looseFailed;
    /** Batch items that were only an error object. */
    int itemsSoleError;
    int looseOk;
    int looseErrorFull;
    int looseErrorEmpty;
    int itemsErrorEmpty;
    /** An error member was there but empty ({@code "errors": []}, {@code "error": null}). */
    boolean errorEmpty;
    /** XML: a document element was seen (a 4xx's XML body describes the error). */
    boolean xmlDocument;
    /** Set per judgement: the body is a record being read (not created), so its error and status are data. */
    private boolean recordRead;
    private boolean gated;
    boolean codeNumeric;
    long codeNumber;
    boolean codeStringFailure;
    boolean codeSuccess;
    boolean errorCodeFailure;
    /** An error code whose value is a success value ({@code "ErrorCode": "0"}): its error text describes no failure. */
    boolean errorCodeSuccess;
    /** A result code ({@code resultCode}, {@code ret}, {@code return_code} ...) that is not a success value. */
    boolean resultCodeBad;
    /** A result code spelled as a failure word ({@code FAIL}, {@code ERROR}): no message needed. */
    boolean resultCodeFailureWord;
    boolean resultCodeSuccess;
    /** A payment decision said no: a decline word in a decision field, or {@code approved: false}. */
    boolean declined;
    /** The decline was in a {@code status} field, which on a resource is data unless the status is 201. */
    boolean declinedInStatus;
    boolean approvedTrue;
    /** The first 4xx/5xx number found in a status- or code-like field; 0 when none. */
    long httpLike;
    boolean httpLikeSuccess;
    long jsonRpcCode;
    boolean messagePresent;
    boolean messageSuccess;
    /** The message says the operation is still going (waiting, in progress): no outcome yet. */
    boolean messageInProgress;
    /** The message is a refusal ("transaction declined (invalid card)"): a decline beside a code that is not a success. */
    boolean declineMessage;
    /** A message that is exactly a refusal ("Denied", "Not Authorized"): on a transaction, the issuer said no. */
    boolean refusalMessage;
    /** A member named for a payment refusal ({@code refusalReason}, {@code decline_code}) held a value. */
    boolean refusalNamed;
    /** A member that names why ({@code reject_reason}, {@code failure_code}, {@code status_detail}) held a value. */
    boolean reasonGiven;
    /** A batch item's own result or response object carried errors. */
    boolean innerError;
    /** Items of a top-level array that are JSON-RPC error answers. */
    int rpcFailed;
    /** The failed-items list only reported items that were not there (reason MISSING, not found). */
    boolean failedItemsMissing;
    /** A top-level {@code "type": "error"} (a stream's error event). */
    boolean typeError;
    /** Money movements a write answered with ({@code charges: [...]}), and how many of them were declined. */
    int movements;
    int movementsDeclined;
    /** A count of items a batch processed, above zero ({@code total_created: 1}). */
    boolean processedCount;
    /** A list of succeeded items: 1 non-empty, -1 empty, 0 none seen. */
    int successList;
    /** A code spelled neither as a number nor as a success word ("800.100.151", "isv.LIMIT"). */
    boolean codeOther;
    boolean problemMedia;
    boolean problemTypeUri;
    boolean problemTitle;
    boolean problemDetail;
    boolean problemInstance;
    boolean awsType;
    /** A GraphQL mutation payload's {@code userErrors} (or the like) was non-empty. */
    boolean userErrors;
    /** Batch: items that reported a failure, items that did not, and whether a batch array was seen. */
    int batchFailed;
    /** Failed items of a read that were records with an identity and a state: data about them, not failures. */
    int batchFailedRecords;
    /** The first failed item's HTTP-like status (a 429 in a bulk answer), for the type. */
    long batchHttpLike;
    int batchOk;
    boolean batchArray;
    /** A success count ({@code success: 3}), which a failure count needs beside it. */
    boolean successCount;
    /** An item's {@code body} member was non-empty (batch items that carry a sub-response). */
    boolean bodyPresent;
    /** A failure count above zero ({@code failure: 2}); counts only beside a batch array. */
    boolean failureCount;
    /** A count that only batch answers carry ({@code FailedPutCount}, {@code FailedRecordCount}) above zero. */
    boolean failedBatchCount;
    /** A non-empty list of failed or unprocessed items ({@code failures}, {@code UnprocessedItems}). */
    boolean failedItems;
    /** The failed list was of unprocessed items ({@code UnprocessedItems}, {@code UnprocessedKeys}). */
    boolean unprocessed;
    /** A {@code PartialFailure} acknowledgement. */
    boolean partialFailureWord;
    /** XML: a SOAP or XML-RPC fault, an error document, or another XML failure signal. */
    boolean xmlFault;
    boolean xmlBatch;
    /** Another JSON value followed the first one (a stream of values, not one document). */
    boolean moreValues;
    /** The verdict rests on a form-encoded or NDJSON reading of the body (set by the classifier). */
    Verdict.Family encodingFamily;

    /** The wrapper envelope was filled by this scan (otherwise it holds an earlier body's facts). */
    boolean wrappedFilled;
    /** The wrapper was a transaction object ({@code {"payment": {...}}}), not a named envelope wrapper. */
    boolean wrappedTransaction;
    /** The wrapper was an unnamed object opening the body; an envelope only as the body's sole member. */
    boolean wrappedSole;
    /** The body describes a money movement: an amount, a transaction key, {@code "object": "charge"}. */
    boolean transactionLike;
    /** What the request method says (set per verdict, on this envelope and its nested ones, before judging). */
    ResponseSample.Intent intent = ResponseSample.Intent.UNKNOWN;
    /** Set by {@link #judge} for a failure: its family, whether a batch failed in part, and whose facts decided. */
    Verdict.Family family;
    boolean batchPartial;
    Envelope decidedBy;

    /** Shared by an envelope and its nested ones: lower-cased codes and messages, for type inference. */
    final Hints hints;
    final Envelope wrapped;
    final Envelope data;
    final Envelope item;

    /** Lower-cased text: {@code text} holds codes, messages and error members; {@code codes} only code-like values. */
    static final class Hints {
        final char[] text = new char[MAX_HINTS];
        int length;
        final char[] codes = new char[MAX_HINTS / 2];
        int codeLength;
    }

    Envelope() {
        hints = new Hints();
        wrapped = new Envelope(hints);
        data = new Envelope(hints);
        item = new Envelope(hints);
    }

    private Envelope(Hints shared) {
        hints = shared;
        wrapped = data = item = null;
    }

    /** This envelope holds the body's {@code data} (set by the parent before judging it). */
    private boolean isData;

    boolean nested() {
        return wrapped == null;
    }

    /** Per verdict. The nested envelopes are cleared when a scan starts filling them ({@link #wrappedFilled}). */
    void reset() {
        clear();
        hints.length = 0;
        hints.codeLength = 0;
    }

    void clear() {
        topLevel = TopLevel.NONE;
        members = nullMembers = structuredMembers = dataMembers = 0;
        successTrue = successFalse = failureFlag = errorMeaningful = errorsFlagTrue = errorDetailMeaningful = false;
        errorsArrayMeaningful = dataPresent = dataKey = dataObject = jsonrpc = false;
        statusFailure = statusFailureNotVerdict = statusFailureFromResult = statusFailureOwn = jsendFail = statusSuccess = statusFalse = inProgress = readTransaction = namedRecord = stateNamed = soapRead = statusNumberBad = statusNumberAmbiguous = false;
        resourceLike = recordKey = recordIdKey = stateMember = echoedHttpFailure = statusCodeSeen = xmlDocument = false;
        looseFailed = looseOk = looseErrorFull = looseErrorEmpty = itemsSoleError = 0;
        itemsErrorish = itemsErrorFull = itemsErrorEmpty = movements = movementsDeclined = 0;
        errorEmpty = false;
        codeNumeric = codeStringFailure = codeSuccess = errorCodeFailure = errorCodeSuccess = false;
        resultCodeBad = resultCodeFailureWord = resultCodeSuccess = declined = declinedInStatus = approvedTrue = false;
        codeNumber = 0;
        httpLike = 0;
        httpLikeSuccess = false;
        jsonRpcCode = 0;
        messagePresent = messageSuccess = messageInProgress = declineMessage = refusalMessage = refusalNamed = reasonGiven = codeOther = processedCount = false;
        successList = 0;
        innerError = typeError = failedItemsMissing = false;
        rpcFailed = 0;
        problemMedia = problemTypeUri = problemTitle = problemDetail = problemInstance = false;
        awsType = userErrors = false;
        batchFailed = batchOk = batchFailedRecords = 0;
        batchHttpLike = 0;
        unprocessed = false;
        batchArray = successCount = bodyPresent = failureCount = failedBatchCount = failedItems = partialFailureWord = false;
        xmlFault = xmlBatch = false;
        encodingFamily = null;
        wrappedFilled = wrappedTransaction = wrappedSole = transactionLike = false;
        moreValues = false;
        family = null;
        batchPartial = false;
        decidedBy = this;
    }

    /** Sets the request's intent on this envelope and its nested ones (the scans clear everything else). */
    void intent(ResponseSample.Intent i) {
        intent = i;
        if (wrapped != null) {
            wrapped.intent = i;
            data.intent = i;
            item.intent = i;
        }
    }

    /**
     * This request made the record the body returns: a 201, or a write method (POST, PUT, PATCH) answered
     * with a money movement. Its failed or declined state is then this request's outcome, not data.
     */
    private boolean made(int status) {
        return status == 201 || (intent == ResponseSample.Intent.WRITE && transactionLike);
    }

    void hint(char[] text, int off, int len) {
        Hints h = hints;
        int room = MAX_HINTS - h.length - 1;
        int n = Math.min(Math.min(len, MAX_HINT_PER_VALUE), room);
        if (n <= 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            h.text[h.length++] = Text.lower(text[off + i]);
        }
        h.text[h.length++] = ' ';
    }

    /** A code-like value: read for the type before any message is. */
    void codeHint(char[] text, int off, int len) {
        hint(text, off, len);
        Hints h = hints;
        int room = h.codes.length - h.codeLength - 1;
        int n = Math.min(Math.min(len, MAX_HINT_PER_VALUE), room);
        if (n <= 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            h.codes[h.codeLength++] = Text.lower(text[off + i]);
        }
        h.codes[h.codeLength++] = ' ';
    }

    void hintByte(byte b) {
        if (hints.length < MAX_HINTS) {
            hints.text[hints.length++] = b >= 0 ? Text.lower((char) b) : ' ';
        }
    }

    int hintLength() {
        return hints.length;
    }

    /** A status or code number seen in the body. */
    void statusNumber(long n) {
        if (n >= 400 && n <= 599) {
            if (httpLike == 0) {
                httpLike = n;
            }
        } else if (n >= 200 && n <= 299) {
            httpLikeSuccess = true;
        } else if (n >= -32768 && n <= -32000 && jsonRpcCode == 0) {
            jsonRpcCode = n;
        }
    }

    /**
     * A well-known success value of a numeric code: 0, a 2xx, or 10000 (vendor convention: Alipay
     * OpenAPI's public response code 10000 means success, https://opendocs.alipay.com/common/02km9f).
     */
    static boolean successCode(long n) {
        return n == 0 || (n >= 200 && n <= 299) || n == 10000;
    }

    /** Words of an empty result, in several languages: a search or list that matched nothing succeeded. */
    private static final String[] EMPTY_RESULT = {"no results", "no result found", "no results found", "zero results",
        "zero_results", "norecordsmatch", "no records match", "no records found", "results not found",
        "no matching records", "no matching results", "no data found", "no_data", "nodata", "any results",
        "returned no results", "暂无数据", "无数据", "没有数据", "没有查询到", "未查询到", "查询无", "データがありません",
        "該当するデータ", "결과가 없", "데이터가 없", "нет данных", "ничего не найдено", "sin resultados", "nenhum resultado",
        "keine ergebnisse", "aucun résultat"};

    /** The failure's own words say the answer is an empty result, not a failed request. */
    boolean emptyResult() {
        Hints h = hints;
        // Well-known convention: Apollo's automatic persisted queries answer an unknown query hash with
        // PERSISTED_QUERY_NOT_FOUND, and the client resends the full query: a protocol step, not a failure
        // (https://www.apollographql.com/docs/apollo-server/performance/apq).
        if (Text.contains(h.codes, 0, h.codeLength, "persisted_query_not_found")
                || Text.contains(h.text, 0, h.length, "persistedquerynotfound")) {
            return true;
        }
        for (String phrase : EMPTY_RESULT) {
            if (Text.contains(h.text, 0, h.length, phrase)) {
                return true;
            }
        }
        return false;
    }

    /** Signals that alone say the request failed. */
    boolean strongFailure() {
        // A read's data is the record it read: a state there ({"data": {"status": "failed"}}) is that record's.
        // A result word beside a status that says success is the answer's content ({"status": "success", "result":
        // "invalid"}: a verdict on the input), not the call's outcome.
        boolean resultIsContent = statusFailureFromResult && (jsonrpc || (!statusFailureOwn && statusSuccess));
        boolean statusSaysFailed = statusFailure && !gated && !resultIsContent
                && !(isData && intent == ResponseSample.Intent.READ) && !validityVerdict();
        // success:false beside a pending flag or a redirect is "not yet"; on a read of a payment, the payment's own.
        boolean flagSaysFailed = (successFalse || failureFlag) && !(inProgress && !errorMeaningful) && !readTransaction
                && !namedRecord;
        return flagSaysFailed || (errorMeaningful && !recordRead) || statusSaysFailed
                || ((errorCodeFailure || errorDetailNotCleared()) && !gated && !readDecline())
                || awsType || problemDocument() || xmlFault || (resultCodeFailureWord && !gated) || userErrors;
    }

    /**
     * {@code "status": "invalid"} with nothing beside it that talks (no message, error, reason or code) is a
     * validator's answer about what it checked (an e-mail address, a phone number, a coupon): the check went through.
     * Beside a message ({@code "status": "invalid", "message": "Invalid API key"}) it is the call's outcome.
     */
    private boolean validityVerdict() {
        return !statusFailureNotVerdict && !messagePresent && !errorMeaningful && !errorDetailMeaningful && !reasonGiven
                && !codeNumeric && !codeOther && !errorCodeFailure && !resultCodeBad && httpLike == 0;
    }

    /** Error text counts unless an error code beside it says success ({@code ErrorCode: "0"}, "0 - decoded clean"). */
    private boolean errorDetailNotCleared() {
        return errorDetailMeaningful && !(errorCodeSuccess && !errorCodeFailure);
    }

    /**
     * A read (a GET, a lookup POST) answered with a payment's decline: the body describes that payment, and its
     * refusal reason or error code are the record's, as {@link #paymentDeclined} already holds for the decline itself.
     */
    private boolean readDecline() {
        return intent == ResponseSample.Intent.READ && declined;
    }

    /** Signals that need a message beside them and yield to any success indication. */
    boolean weakFailure() {
        if ((gated && !echoedHttpFailure) || !messagePresent || messageSuccess || messageInProgress) {
            return false;
        }
        if (intent == ResponseSample.Intent.READ && declined) {
            return false; // a GET's code and message beside a decline describe the payment it read
        }
        boolean badCode = codeNumeric && !successCode(codeNumber);
        return badCode || codeStringFailure || httpLike != 0 || statusFalse || resultCodeBad || statusNumberBad
                || (statusNumberAmbiguous && !httpLikeSuccess && messageSaysFailure());
    }

    /** Failure words of messages (whole words: "0 errors" names none). */
    private static final Text.Lexicon MESSAGE_FAILURE_TOKENS = new Text.Lexicon("error", "fail", "failed", "failure",
        "invalid", "exceeded", "denied", "unauthorized", "unauthorised", "forbidden", "declined", "rejected", "refused");
    /** The same in CJK and Cyrillic scripts, where words are not space-delimited. */
    private static final String[] MESSAGE_FAILURE_NON_ASCII = {"错误", "錯誤", "失败", "失敗", "无效", "超限", "不存在",
        "エラー", "실패", "오류", "ошибк", "неверн"};

    /** The body's messages and codes name a failure: a failure word, or a word that names a failure's type. */
    private boolean messageSaysFailure() {
        Hints h = hints;
        if (Text.hasToken(h.text, 0, h.length, MESSAGE_FAILURE_TOKENS)) {
            return true;
        }
        for (String word : MESSAGE_FAILURE_NON_ASCII) {
            if (Text.contains(h.text, 0, h.length, word)) {
                return true;
            }
        }
        return TypeHints.specific(h.text, h.length) != null;
    }

    boolean successSaid() {
        return statusSuccess || messageSuccess || codeSuccess || httpLikeSuccess || resultCodeSuccess || approvedTrue
                || (codeNumeric && successCode(codeNumber));
    }

    /** A payment decision said no, and this request made it (not a read of an old record). */
    boolean paymentDeclined(int status) {
        if (intent == ResponseSample.Intent.READ) {
            return false; // a GET (or a lookup POST) of a declined payment read it: the decline was an earlier request's outcome
        }
        if (!declined) {
            // A refusal message decides beside a code that is not a success value (a result code and its text).
            return declineMessage && !successSaid() && (codeOther || codeStringFailure || resultCodeBad
                    || resultCodeFailureWord || statusNumberBad || (codeNumeric && !successCode(codeNumber)));
        }
        if (statusSuccess && !declinedInStatus && !transactionLike) {
            // {"status": "completed", "decision": "declined"} with no money in sight: a completed check (an identity
            // or a risk review) whose content is the decision; the call itself says it went through.
            return false;
        }
        // A resource in a declined state is a record (data), unless this request just made it (a 201, a
        // write answered with a transaction), or the decline is in a decision field rather than in the record's status.
        return !resourceLike || made(status) || !declinedInStatus;
    }

    /**
     * A transaction object ({@code {"payment": {...}}}, a wrapper or data) that this request made, and that was
     * refused: its decision or status declined, or a failed state or a result code that is not a success sits
     * beside a refusal message.
     * Only refusals count, not every envelope rule nor a bare "failed" state: the object is a record
     * nested in the answer, which may describe more than this request's outcome.
     */
    boolean madeAndRefused(int status) {
        if (!made(status) || successTrue || approvedTrue || inProgress || messageInProgress) {
            return false;
        }
        return paymentDeclined(status)
                || ((resultCodeBad || statusNumberBad || statusFailure) && (declineMessage || refusalMessage));
    }

    /**
     * The signals an unnamed wrapper must show to count as an envelope: a flag, a failure state beside a
     * status code and a message, an error code, an echoed HTTP failure, or failed batch items. An error text or a {@code __type} alone
     * may be the payload's own data.
     */
    boolean clearFailure() {
        return family == Verdict.Family.BATCH || successFalse || failureFlag
                || (statusFailure && !gated && messagePresent && statusCodeSeen) // an OCS-style status block
                || errorCodeFailure || echoedHttpFailure || userErrors;
    }

    /** RFC 7807/9457, by media type or by shape (a URI {@code type} or an error {@code status} with a title). */
    boolean problemDocument() {
        if (problemMedia && topLevel == TopLevel.OBJECT) {
            return true;
        }
        if (problemTitle && httpLike != 0) {
            return true;
        }
        return problemTypeUri && (problemTitle || problemDetail) && (problemDetail || problemInstance || httpLike != 0);
    }

    /** Batch evidence: failed items beside a batch array, a batch-only failure count, or a list of failed items. */
    boolean batchFailure() {
        return batchFailed > 0 || failedBatchCount || failedItems || (failureCount && successCount && batchArray)
                || (errorsFlagTrue && batchArray) || partialFailureWord || writeCounts();
    }

    /** Some items of a failed batch went through (counts and lists without items leave it open). */
    private boolean someOk() {
        return successList == 0 ? batchFailed == 0 || batchOk > 0 : successList > 0 || batchOk > 0;
    }

    /** A write answered with counts: some items rejected beside some accepted (a send to several recipients). */
    private boolean writeCounts() {
        return failureCount && processedCount && intent == ResponseSample.Intent.WRITE;
    }

    /**
     * The built-in verdict. For a 2xx, an explicit success flag wins, a GraphQL {@code errors} beside
     * usable {@code data} is a partial success, then strong signals, then weak ones unless the body also
     * says success, then a payment decision, then a wrapper or {@code data} envelope one level down,
     * then a batch's items. For a 4xx any non-empty JSON object counts: it is the API describing the error.
     */
    Judgement judge(int status) {
        family = null;
        batchPartial = false;
        decidedBy = this;
        // A 201 answers a creation: the resource it returns in a failed state is this request's outcome.
        // Otherwise a resource's status is data, and a record with a state (a job, an operation, a
        // build) that carries an error describes an earlier failure: reading it succeeded.
        // A job or run, not an envelope that talks; on a read, a record named by its own id talks about itself.
        boolean record = recordKey && stateMember && (!messagePresent || (intent == ResponseSample.Intent.READ && recordIdKey));
        // A read of a transaction (a GET or a lookup POST of a record with a transaction key) describes it: its
        // failed or pending state is data. A write answered with a failed state and its reason is this request's outcome.
        readTransaction = intent == ResponseSample.Intent.READ && transactionLike && (recordKey || resourceLike);
        boolean failedWrite = intent == ResponseSample.Intent.WRITE && statusFailure && reasonGiven;
        // A record this request created in a failed state is its outcome when it moves money or says why it failed;
        // a created record whose state is the caller's own report (a CI posting a commit status "failure" with its
        // description) is data the request stored.
        boolean madeOutcome = made(status) && (transactionLike || reasonGiven || errorMeaningful || errorDetailMeaningful
                || errorCodeFailure || !resourceLike);
        gated = (resourceLike || record || readTransaction) && !madeOutcome && !failedWrite;
        // A GET of one record by its id answered with that record (a state and several fields of its own, an
        // envelope has few): its failed state, success:false and error text describe it (a failed job or build).
        // Without an id in the route, a GET's body needs more fields of its own to read as a record (a scan's
        // result: host, port, times, versions beside its status).
        namedRecord = intent == ResponseSample.Intent.READ && stateNamed && dataMembers >= (namedRead ? 4 : 6)
                && !made(status);
        gated |= namedRecord;
        recordRead = ((resourceLike || recordKey) && stateMember && !messagePresent && !made(status)) || namedRecord;
        if (xmlFault) {
            return fail(Verdict.Family.XML, xmlBatch);
        }
        if (xmlDocument && status >= 400 && status < 500) {
            return fail(Verdict.Family.XML, false); // a 4xx's XML body is the API describing the error
        }
        if (topLevel == TopLevel.ARRAY && status >= 400) {
            return itemsErrorish > 0 ? fail(Verdict.Family.ENVELOPE, false) : Judgement.OK; // [{"message":..,"errorCode":..}]
        }
        if (topLevel == TopLevel.ARRAY && status < 400 && intent == ResponseSample.Intent.WRITE && batchFailed == 0
                && itemsErrorFull > 0 && itemsErrorEmpty > 0) {
            // A write's per-item answers, each with an error list: one list empty, another not. Some items failed.
            return fail(Verdict.Family.BATCH, true);
        }
        if (topLevel == TopLevel.ARRAY && status < 400 && intent == ResponseSample.Intent.READ && itemsSoleError > 0
                && batchOk == 0) {
            // A read answered only with error objects ([{"error": {"description": "unauthorized user"}}]): no records.
            return fail(Verdict.Family.ENVELOPE, false);
        }
        if (topLevel == TopLevel.ARRAY && status < 400 && intent == ResponseSample.Intent.READ) {
            // A read's top-level array is a list of records (webhook deliveries, log entries, jobs): a status code
            // or an error inside one is that record's, not a sub-operation of this request that failed.
            return Judgement.OK;
        }
        if (topLevel == TopLevel.ARRAY) {
            // Items of a top-level array are a batch's results only when one failed with an error beside it.
            if (status < 400 && batchFailed == 0 && rpcFailed > 0 && batchOk > 0) {
                // A JSON-RPC batch whose answers mix results and errors; an all-error array stays as before.
                return fail(Verdict.Family.BATCH, true);
            }
            return status < 400 && batchFailed > 0 ? fail(Verdict.Family.BATCH, batchOk > 0) : Judgement.OK;
        }
        if (topLevel != TopLevel.OBJECT) {
            return Judgement.OK;
        }
        if (typeError && encodingFamily == Verdict.Family.NDJSON && status < 300) {
            return fail(Verdict.Family.NDJSON, false); // a stream whose last event is of type ERROR (a watch that ended)
        }
        if (encodingFamily == Verdict.Family.NDJSON && intent == ResponseSample.Intent.READ && status < 300) {
            // A read of a stream of records (a log, an export): its last line is a record, its error member that
            // record's. Only the stream's own event of type ERROR (above) ends a read badly.
            return Judgement.OK;
        }
        if (errorsArrayMeaningful && dataPresent && !successFalse) {
            // GraphQL: errors beside data. Data whose every root field is null carries nothing: failed.
            boolean dataEmpty = dataObject && data != null && data.members == data.nullMembers;
            return dataEmpty ? fail(Verdict.Family.GRAPHQL, false) : Judgement.PARTIAL;
        }
        if (status >= 400) {
            // A 4xx that answers with a structured object is the API describing the error.
            if (members > 0 && errorMeaningful && processedCount) {
                return fail(Verdict.Family.BATCH, true); // rejected records beside a count of imported ones
            }
            return members > 0 ? fail(ownFamily(), false) : Judgement.OK;
        }
        if (successTrue && !(wrappedFilled && !jsonrpc && wrapped.madeAndRefused(status) && wrapped.declined)) {
            // success:true is the call's; a payment this request made and that was declined inside the answer
            // ({"successful": true, "response": {"successful": false, "message": "Declined", "amount": ...}}) is
            // still this request's outcome (below).
            return Judgement.OK;
        }
        if (paymentDeclined(status)) {
            return fail(Verdict.Family.PAYMENT, false);
        }
        if (failedItemsMissing && failedItems && batchFailed == 0 && !failedBatchCount
                && !errorMeaningful && !successFalse) {
            return Judgement.PARTIAL; // a read of several items, some of them missing: a partial read
        }
        if (intent == ResponseSample.Intent.READ && batchFailed > 0 && batchFailedRecords == batchFailed
                && !failedBatchCount && !failedItems && !failureFlag && !errorMeaningful) {
            // A read's list of records, each with its id and state ({"items": [{"id": .., "status": "REJECTED",
            // "errors": [..]}]}): an error inside one describes that record, as in a top-level array.
            return Judgement.OK;
        }
        if (batchFailure() && !(resourceLike && !batchArray && !writeCounts())) {
            // Partial unless every item read failed (counts and lists without items leave it open).
            return fail(Verdict.Family.BATCH, someOk());
        }
        if (errorMeaningful && !recordRead && !jsonrpc && (batchOk > 0 || processedCount || successList > 0)) {
            // An error list beside items that went through (results, a created count): a batch failed in part.
            return fail(Verdict.Family.BATCH, true);
        }
        if (strongFailure()) {
            return fail(ownFamily(), false);
        }
        if (members - nullMembers <= 2 && !successTrue && (looseFailed > 0 || (looseErrorFull > 0 && looseErrorEmpty > 0))) {
            // A write's per-item outcomes as (nearly) the whole body: some items failed, with their errors.
            return fail(Verdict.Family.BATCH, looseOk > 0 || looseErrorEmpty > 0);
        }
        if (weakFailure() && !successSaid()) {
            return fail(ownFamily(), false);
        }
        // A transaction object is this request's outcome only when the request made it (a write, a 201).
        boolean wrapperJudged = wrappedFilled && !wrappedTransaction && (!wrappedSole || members == 1);
        // So is a money movement in the wrapper or in data that this request made and that was refused, even
        // where the envelope around it says the call went through ({"code": "00", "data": {"status": "failed", ...}}).
        Envelope refused = wrappedFilled && wrapped.madeAndRefused(status) ? wrapped
                : data != null && dataObject && data.madeAndRefused(status) ? data : null;
        if (refused != null) {
            Judgement j = fail(Verdict.Family.PAYMENT, false);
            decidedBy = refused;
            return j;
        }
        if (movements > 0 && movementsDeclined == movements && made(status) && !successTrue && !approvedTrue) {
            return fail(Verdict.Family.PAYMENT, false); // every money movement this request made was declined
        }
        if (wrapperJudged && !jsonrpc && wrapped.paymentDeclined(status)) {
            // A transaction declined inside an envelope that only says the call went through.
            Judgement j = fail(Verdict.Family.PAYMENT, false);
            decidedBy = wrapped;
            return j;
        }
        // A resource's wrapper and data are its payload, unless this request made it: then its response block
        // ({"id": "chg_1", "status": "RESTRICTED", "response": {"code": "702", ...}}) is this request's outcome.
        // A body that is only an id beside its wrapper ({"id": "req-1", "result": {...}}) is an envelope, not a resource.
        boolean resource = resourceLike && !made(status) && members > 2;
        // Items that a write's data or wrapper reports as failed or rejected ({"code": 0, "data": {"accepted": [...],
        // "rejected": [...]}}), under an envelope that only says the call was taken: some sub-operations failed.
        Envelope items = !jsonrpc && intent == ResponseSample.Intent.WRITE
                ? (data != null && dataObject && data.batchFailure() ? data
                        : wrappedFilled && !wrappedTransaction && wrapped.batchFailure() ? wrapped : null)
                : null;
        if (items != null && !items.resourceLike) {
            return fail(Verdict.Family.BATCH, items.someOk());
        }
        if (successSaid() || jsonrpc || resource || recordRead) {
            return Judgement.OK;
        }
        // The wrapper is the body's dominant member: beside a few others, or the only structured one beside
        // metadata (a trace id, a timestamp, a signature; no record's name or key), or the response block of a
        // resource this request made.
        boolean dominant = members <= MAX_WRAPPER_SIBLINGS || (structuredMembers == 1 && !recordKey && !transactionLike)
                || (resourceLike && made(status));
        if (wrapperJudged && dominant) {
            Judgement inner = wrapped.judge(status);
            if (inner == Judgement.FAILURE && (!wrappedSole || wrapped.clearFailure())) {
                Judgement j = fail(wrapped.family, wrapped.batchPartial);
                decidedBy = wrapped.decidedBy;
                return j;
            }
        }
        if (data != null && dataObject && !errorsArrayMeaningful && !data.resourceLike && data.judgeAsData(status)) {
            // An envelope in data is judged as one at the top (its GraphQL root fields only by their error lists);
            // a resource in data (it has an id) is the payload, its members are data.
            Judgement j = fail(data.family, data.batchPartial);
            decidedBy = data.decidedBy;
            return j;
        }
        return Judgement.OK;
    }

    private boolean judgeAsData(int status) {
        isData = true;
        return judge(status) == Judgement.FAILURE;
    }

    private Judgement fail(Verdict.Family f, boolean batch) {
        family = encodingFamily != null ? encodingFamily : f;
        batchPartial = batch;
        return Judgement.FAILURE;
    }

    /** A batch item that reports its own failure (and is not just a record with an error field). */
    boolean itemFailed(boolean topLevelArray) {
        if (innerError || (members == 1 && errorMeaningful && structuredMembers == 1)) {
            // Errors in the item's own result or response; or an item that is only an error object
            // ([{"success": {...}}, {"error": {"description": ...}}]): that sub-operation failed.
            return true;
        }
        if (intent == ResponseSample.Intent.WRITE && statusFailure && (reasonGiven || messagePresent)) {
            // A write's per-item results ([{"status": "rejected", "reject_reason": ...}] answering a send): a
            // failed item, with its reason, is part of this request, not a record read back.
            return true;
        }
        if (topLevelArray) {
            return ((successFalse || httpLike != 0) && errorMeaningful) || echoedHttpFailure
                    || (httpLike != 0 && bodyPresent) || (errorCodeFailure && messagePresent);
        }
        // A record in a list (it has an id) with success:false is an audit entry, unless it carries its error.
        return ((successFalse || failureFlag) && (!resourceLike || errorMeaningful))
                || (errorDetailNotCleared() && !resourceLike)
                // A record with a state (a message found by a search: its id and status) whose error code is
                // data about that record, not a failed item of this request.
                || ((errorMeaningful || errorCodeFailure) && (!resourceLike || httpLike != 0)
                        && !(recordKey && stateMember && httpLike == 0))
                || (httpLike != 0 && bodyPresent) || echoedHttpFailure
                // {"status": "error", "message": ...}: an item that reports its own failure, not a record's state
                || (statusFailure && !declinedInStatus && messagePresent && !resourceLike && !recordKey);
    }

    /** Which family a failure of this envelope's own members belongs to. */
    private Verdict.Family ownFamily() {
        if (jsonrpc && (errorMeaningful || jsonRpcCode != 0)) {
            return Verdict.Family.JSONRPC;
        }
        if ((dataKey && errorsArrayMeaningful) || userErrors) {
            return Verdict.Family.GRAPHQL;
        }
        if (problemDocument() || awsType) {
            return Verdict.Family.PROBLEM;
        }
        if (declined) {
            return Verdict.Family.PAYMENT;
        }
        if (!successFalse && !errorMeaningful && !statusFailure
                && (errorCodeFailure || resultCodeBad || resultCodeFailureWord || statusNumberBad
                        || (codeNumeric && !successCode(codeNumber)))) {
            return Verdict.Family.VENDOR_CODE;
        }
        return Verdict.Family.ENVELOPE;
    }

    /**
     * The type: the body's own codes, then its messages, then the status. Words that name a type
     * outright (throttling, an expired token, a decline, not found) win over the 4xx status; generic
     * validation words do not (a 401 "invalid request" is still an auth failure).
     */
    ErrorType inferType(int status) {
        if (decidedBy != null && decidedBy != this) {
            return decidedBy.inferType(status);
        }
        ErrorType type = typeFromBody(status);
        // A money movement this request made, and that failed without naming another cause: the card or
        // account was refused ("Not Authorized" by the issuer, "Denied"), unless a credential is named.
        if (transactionLike && made(status) && status < 400
                && (type == ErrorType.GENERIC_BUSINESS_ERROR || type == ErrorType.AUTH_FAILURE)
                && !TypeHints.namesCredential(hints.text, hints.length)) {
            return ErrorType.PAYMENT_FAILURE;
        }
        return type;
    }

    private ErrorType typeFromBody(int status) {
        Hints h = hints;
        ErrorType fromCodes = TypeHints.fromText(h.codes, 0, h.codeLength);
        ErrorType fromText = TypeHints.fromText(h.text, 0, h.length);
        ErrorType statusType = status >= 400 && status < 500 ? TypeHints.fromStatus(status) : null;
        if (statusType == ErrorType.RATE_LIMIT) {
            return statusType; // a 429 says it outright (a 402 may still be a quota: the words decide)
        }
        ErrorType specific = TypeHints.specific(h.codes, h.codeLength);
        if (specific != null) {
            return specific;
        }
        // A code that names validation outright decides before the prose: "validation-failed" beside a
        // message that says "field not found" is a validation error. A generic "bad_request" code does not
        // (its message may name a decline), nor against a status that names another type.
        if (fromCodes == ErrorType.VALIDATION && (statusType == null || statusType == ErrorType.VALIDATION)
                && TypeHints.namesValidation(h.codes, h.codeLength)) {
            return fromCodes;
        }
        specific = TypeHints.specific(h.text, h.length);
        if (specific != null) {
            return specific;
        }
        if (statusType != null) {
            return statusType;
        }
        if (jsonRpcCode != 0) {
            ErrorType rpc = TypeHints.fromJsonRpcCode(jsonRpcCode); // the spec's reserved codes are exact
            if (rpc != null) {
                return rpc;
            }
        }
        if (fromCodes != null) {
            return fromCodes;
        }
        if (fromText != null) {
            return fromText;
        }
        if (httpLike != 0) {
            ErrorType t = TypeHints.fromStatus(httpLike);
            if (t != null) {
                return t;
            }
        }
        if (batchHttpLike != 0) {
            ErrorType t = TypeHints.fromStatus(batchHttpLike);
            if (t != null) {
                return t;
            }
        }
        if (declined || refusalNamed) {
            return ErrorType.PAYMENT_FAILURE; // a decline, or a refusal reason given: the payment was refused
        }
        if (jsendFail) {
            return ErrorType.VALIDATION; // JSend: "fail" is a rejected call, "error" a failed one
        }
        if (unprocessed) {
            return ErrorType.RATE_LIMIT; // a batch's unprocessed items: capacity ran out (DynamoDB-style)
        }
        if (family == Verdict.Family.BATCH && !Text.contains(h.text, 0, h.length, "internal")) {
            return ErrorType.VALIDATION; // items a batch rejected without naming why: bad items
        }
        return ErrorType.GENERIC_BUSINESS_ERROR;
    }
}
