package dev.apiguard.semantics;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * One streaming pass over a JSON body. The top-level members fill the {@link Envelope}; nested
 * structures are skipped token by token, except inside error members (read for type hints) and
 * along user-rule pointers (values captured). The tokens come from the byte lexer ({@link JsonTokens}): at the
 * end of a cut prefix it reports "no more input"; malformed JSON throws.
 */
final class JsonScan {
    /** Type hints are read this deep inside an error member; deeper content only counts as present. */
    private static final int HINT_DEPTH = 4;

    private static final Text.Lexicon FAILURE_TOKENS = new Text.Lexicon(
        "fail", "failed", "failure", "error", "errored", "denied", "declined", "rejected", "invalid",
        "unauthorized", "unauthorised", "forbidden", "ko", "nok", "exceeded", "decline", "refused", "reject", "deny",
        "unsuccessful"
    );
    /** Words of success inside a state or result code ({@code TXN_SUCCESS}, {@code REQUEST_SUCCEEDED}). */
    private static final Text.Lexicon SUCCESS_TOKENS = new Text.Lexicon("success", "succeeded", "successful");
    /** What a negated state denies ({@code REQUEST_NOT_PROCESSED}, {@code NOT_APPROVED}): the call did not go through. */
    private static final Text.Lexicon NEGATABLE_TOKENS = new Text.Lexicon("ok", "success", "successful", "succeeded",
        "processed", "accepted", "approved", "authorised", "authorized", "allowed", "permitted");
    private static final Text.Lexicon NOT_TOKEN = new Text.Lexicon("not");
    /** A refused payment: only these make a {@code status} or result code a decline. */
    private static final Text.Lexicon DECLINE_TOKENS = new Text.Lexicon("declined", "decline", "refused", "refusal");
    /** Decision-field words that refuse without naming a payment (CyberSource-style REJECT). */
    private static final Text.Lexicon REJECT_TOKENS = new Text.Lexicon("reject", "rejected");
    private static final String[] DECLINE_MESSAGES = {"declined", "decline", "refused", "not approved", "do not honor",
        "do not honour"};
    /** Whole messages that refuse without naming a payment; they count only on a transaction this request made. */
    private static final String[] REFUSAL_MESSAGES = {"denied", "not authorized", "not authorised", "rejected",
        "unauthorized", "unauthorised"};
    /** eBay-style AckCodeType: Success, Warning, SuccessWithWarning (https://developer.ebay.com/devzone/xml/docs/reference/ebay/types/AckCodeType.html). */
    /** A result code saying the payment was cancelled before completion (Adyen-style "Cancelled"). */
    /** A decision that failed to be made; DENY from an authorization service is its answer, not a failure. */
    private static final Text.Lexicon DECISION_FAILURE_TOKENS = new Text.Lexicon("error", "fail", "failed", "failure");
    /** Words of a message saying the operation is still going, in several languages' API styles (Spanish, Portuguese, German, French). */
    private static final Text.Lexicon IN_PROGRESS_TOKENS = new Text.Lexicon("waiting", "pending", "processing", "queued", "asynchronous",
        "review", "awaiting", "deferred", "inprogress", "initiated", "pendiente", "procesando", "pendente", "processando",
        "aguardando", "ausstehend", "bearbeitung", "attente");
    /**
     * Words of a message that says the call went through, in several languages' API styles ("approved" of a
     * payment answer; Spanish, Portuguese, German); a negated one ("not approved") does not count.
     */
    private static final Text.Lexicon SUCCESS_MESSAGE_TOKENS = new Text.Lexicon("successfully", "succeeded", "approved",
        "exitoso", "exitosa", "exitosamente", "sucesso", "erfolgreich");
    /**
     * Success words of messages written in CJK or Cyrillic scripts (success, normal completion), and the
     * failure words that overrule them ("不成功" is "not successful").
     */
    private static final String[] SUCCESS_PHRASES_NON_ASCII = {"成功", "성공", "정상", "успешн", "успех"};
    private static final String[] FAILURE_PHRASES_NON_ASCII = {"不成功", "未成功", "失败", "失敗", "错误", "錯誤", "エラー",
        "실패", "오류", "неуспеш", "не успеш", "ошибк", "超时"};
    /** In-progress words of such messages: processing, accepted for processing, waiting, awaiting payment, paying. */
    private static final String[] IN_PROGRESS_PHRASES_NON_ASCII = {"处理中", "已受理", "等待", "待支付", "支付中", "処理中",
        "進行中", "처리중", "처리 중", "진행중", "진행 중", "대기", "в обработке", "обрабатыва", "ожидает ", "ожидани"};
    /** Whole result-code values that fail: F (of S/F/U result statuses), NG ("no good"). */
    private static final String[] FAILURE_CODE_WORDS = {"f", "ng"};
    private static final Text.Lexicon CANCELLED_TOKENS = new Text.Lexicon("cancelled", "canceled");
    private static final String[] ACK_OK = {"success", "warning", "successwithwarning"};
    private static final Text.Lexicon PARTIAL_FAILURE_TOKENS = new Text.Lexicon("partialfailure", "partial_failure", "partiallyfailed");
    /** A result code or decision that approves: Adyen "Authorised", CyberSource "ACCEPT". */
    private static final String[] APPROVAL_WORDS = {"authorised", "authorized", "approved", "accept", "accepted",
        "success", "successful", "ok", "00", "0000", "10000"};
    private static final String[] FAILURE_WORDS = {"not_found", "notfound", "not found", "over_query_limit",
        "over_daily_limit"};
    private static final String[] SUCCESS_WORDS = {"ok", "success", "succeeded", "successful", "true", "done",
        "completed", "complete", "accepted", "created", "healthy", "up", "pass", "passed", "0", "00", "0000", "200"};
    /** Values of an error member that say there is none ({@code "error": "No error"}, {@code "-"}, a Y/N flag's N). */
    private static final String[] EMPTY_WORDS = {"0", "none", "null", "nil", "false", "ok", "success", "no", "n/a",
        "-", "n", "no error", "no errors", "no_error", "noerror", "successful", "succeeded"};
    private static final int MAX_EMPTY_WORD = java.util.Arrays.stream(EMPTY_WORDS).mapToInt(String::length).max().orElse(0);

    /** The body's envelope; {@link #env} is the one being filled (it or one of its nested ones). */
    private final Envelope root;
    private Envelope env;
    private boolean wrapperUsed;
    /** Batch items read per array; the rest are skipped (they only count past the captured prefix anyway). */
    static final int MAX_BATCH_ITEMS = 64;
    private final Consumer<RuntimeException> onInternalError;
    private final JsonTokens p = new JsonTokens();
    private Captures captures;
    private boolean ended;

    /** @param onInternalError told of exceptions that are bugs (here or in the parser), not bad input */
    JsonScan(Envelope env, Consumer<RuntimeException> onInternalError) {
        this.root = env;
        this.env = env;
        this.onInternalError = onInternalError;
    }

    /**
     * Scans one document, {@code bytes[offset, end)}; {@code whole} when it ends like a complete one, else it is read
     * as a prefix. Syntax errors end the scan with what was seen so far.
     */
    void scan(byte[] bytes, int offset, int end, boolean whole, PointerTrie.Node pointers, Captures captures) {
        this.p.reset(bytes, offset, end, whole);
        this.captures = captures;
        this.ended = false;
        this.env = root;
        this.mode = Mode.TOP;
        this.wrapperUsed = false;
        try {
            JsonToken t = next();
            if (t == null) {
                return;
            }
            if (t == JsonToken.START_OBJECT) {
                env.topLevel = Envelope.TopLevel.OBJECT;
                objectMembers(pointers, 0);
                if (!ended) {
                    env.moreValues = next() == JsonToken.START_OBJECT; // a second root value: a JSON stream
                }
            } else if (t == JsonToken.START_ARRAY) {
                env.topLevel = Envelope.TopLevel.ARRAY;
                batchItems(pointers, true, 0);
            } else {
                env.topLevel = Envelope.TopLevel.SCALAR;
                value(t, pointers, false, FieldKind.OTHER, 0);
            }
        } catch (IOException malformed) {
            // Malformed or oddly encoded input: the verdict uses what was seen before it.
        } catch (RuntimeException bug) {
            // Not bad input but a bug: the verdict still uses what was seen before it, and it is reported.
            onInternalError.accept(bug);
        } finally {
            this.p.clear();
            this.captures = null;
            this.env = root;
            this.mode = Mode.TOP;
        }
    }

    private JsonToken next() throws IOException {
        // The end of a prefix: a number or literal right at the cut was complete (the lexer reads it so).
        JsonToken t = p.nextToken();
        if (t == null) {
            ended = true;
            return null;
        }
        return t;
    }

    /** Where a member is read: which envelope it fills, and which rules apply there. */
    private enum Mode {
        /** The body's own members. */
        TOP,
        /** The members of the one wrapper object ({@code {"CreateOrderResponse":{...}}}). */
        WRAPPED,
        /** The members of {@code data}: GraphQL root fields, or an envelope. */
        DATA,
        /** Inside a GraphQL root field: only {@code userErrors}/{@code errors} lists count. */
        DATA_FIELD,
        /** One item of a batch array. */
        ITEM,
        /** The operation object or sub-response inside a batch item ({@code {"index":{...}}}, {@code body}). */
        ITEM_INNER
    }

    private Mode mode = Mode.TOP;

    /** The members of one object, into the current envelope. */
    private void objectMembers(PointerTrie.Node pointers, int depth) throws IOException {
        if (pointers != null && pointers.slot >= 0) {
            captures.container(pointers.slot, Captures.Kind.OBJECT);
        }
        boolean counted = mode != Mode.DATA_FIELD && mode != Mode.ITEM_INNER;
        while (!ended) {
            JsonToken t = next();
            if (t == null || t == JsonToken.END_OBJECT) {
                return;
            }
            String name = p.currentName();
            PointerTrie.Node child = pointers == null ? null : pointers.child(name);
            if (pointers != null && pointers.slot >= 0) {
                captures.containerHasElements(pointers.slot);
            }
            t = next();
            if (t == null) {
                return;
            }
            if (counted) {
                env.members++;
                if (t.isStructStart()) {
                    env.structuredMembers++;
                }
                if (t == JsonToken.VALUE_NULL) {
                    env.nullMembers++;
                }
                if (p.nameKind() == FieldKind.OTHER && t != JsonToken.VALUE_NULL) {
                    env.dataMembers++;
                    // jobState, buildStatus: a record's state under its own name (a plain status is a STATUS member)
                    env.stateNamed |= name.length() > 5 && (name.regionMatches(true, name.length() - 5, "state", 0, 5)
                            || name.regionMatches(true, name.length() - 6, "status", 0, 6));
                } else if (p.nameKind() == FieldKind.STATUS && t != JsonToken.VALUE_NULL) {
                    env.stateNamed = true; // {"state": {"code": "finished"}} too: an object is a state as well
                }
            }
            member(name, p.nameKind(), t, child, depth); // FieldKind.of(name), kept with the name
        }
    }

    /** Reads one object into {@code target} under {@code inner} rules, then returns to the current envelope. */
    private void nested(Envelope target, Mode inner, PointerTrie.Node pointer, int depth) throws IOException {
        Envelope outerEnv = env;
        Mode outerMode = mode;
        target.clear();
        if (target == root.wrapped) {
            root.wrappedFilled = true;
        }
        env = target;
        mode = inner;
        target.topLevel = Envelope.TopLevel.OBJECT;
        try {
            objectMembers(pointer, depth);
        } finally {
            env = outerEnv;
            mode = outerMode;
        }
    }

    /**
     * The items of a batch array: each object item is read into the item scratch and judged on its
     * own; only the counts reach the current envelope. At most {@link #MAX_BATCH_ITEMS} are read.
     */
    private int batchItems(PointerTrie.Node pointer, boolean topLevelArray, int depth) throws IOException {
        int slot = pointer == null ? -1 : pointer.slot;
        if (slot >= 0) {
            captures.container(slot, Captures.Kind.ARRAY);
        }
        Envelope owner = env;
        Envelope item = root.item; // items never hold batches of their own, so one scratch serves all

        owner.batchArray = true;
        int index = 0;
        for (; !ended; index++) {
            JsonToken n = next();
            if (n == null || n.isStructEnd()) {
                return index;
            }
            if (slot >= 0) {
                captures.containerHasElements(slot);
            }
            PointerTrie.Node child = pointer == null ? null : pointer.child(index);
            if (n == JsonToken.START_OBJECT && index < MAX_BATCH_ITEMS && depth < PointerTrie.MAX_DEPTH) {
                item.clear();
                nested(item, Mode.ITEM, child, depth + 1);
                if (item.errorMeaningful || item.errorCodeFailure || item.messagePresent || item.errorDetailMeaningful) {
                    owner.itemsErrorish++;
                }
                if (item.members == 1 && item.structuredMembers == 1 && item.errorMeaningful) {
                    owner.itemsSoleError++;
                }
                if (item.errorMeaningful) {
                    owner.itemsErrorFull++;
                } else if (item.errorEmpty) {
                    owner.itemsErrorEmpty++;
                }
                if (item.declined && !item.approvedTrue) {
                    owner.movementsDeclined++;
                }
                if (item.jsonrpc && item.errorMeaningful) {
                    owner.rpcFailed++;
                } else if (item.itemFailed(topLevelArray)) {
                    owner.batchFailed++;
                    if ((item.resourceLike || item.recordKey) && item.stateMember) {
                        owner.batchFailedRecords++;
                    }
                    if (owner.batchHttpLike == 0) {
                        owner.batchHttpLike = item.httpLike;
                    }
                } else {
                    owner.batchOk++;
                }
            } else {
                value(n, child, false, FieldKind.OTHER, depth + 1);
            }
        }
        return index;
    }

    /** An envelope's batch counts, saved before an array whose items are read as a batch's but are not its batch. */
    private record BatchCounts(boolean array, int failed, int ok, long httpLike) {
        static BatchCounts of(Envelope e) {
            return new BatchCounts(e.batchArray, e.batchFailed, e.batchOk, e.batchHttpLike);
        }

        void restore(Envelope e) {
            e.batchArray = array;
            e.batchFailed = failed;
            e.batchOk = ok;
            e.batchHttpLike = httpLike;
        }
    }

    /** One member: what it says to the built-in rules, then its value consumed. */
    private void member(String name, FieldKind kind, JsonToken t, PointerTrie.Node pointer, int depth)
            throws IOException {
        if (kind == FieldKind.OTHER && t == JsonToken.START_OBJECT && name.length() > 5
                && name.regionMatches(true, name.length() - 5, "error", 0, 5)) {
            kind = FieldKind.ERROR; // an error object under a qualified name: last_payment_error, gatewayError
        }
        if (mode == Mode.DATA_FIELD && t == JsonToken.START_OBJECT && kind == FieldKind.TRANSACTION
                && depth < PointerTrie.MAX_DEPTH) {
            // A mutation payload's money movement ({"chargeCard": {"transaction": {"status": "PROCESSOR_DECLINED"}}}):
            // refused or failed, it is this request's outcome. (The item scratch is free: data holds no batch.)
            Envelope payload = env;
            Envelope moved = root.item;
            nested(moved, Mode.ITEM, pointer, depth);
            if (moved.declined || moved.statusFailure) {
                payload.declined = true;
                payload.transactionLike = true;
            }
            return;
        }
        if (mode == Mode.DATA_FIELD) {
            // A mutation payload's own error lists: userErrors, errors, inputErrors.
            boolean errorList = t == JsonToken.START_ARRAY && (kind == FieldKind.USER_ERRORS || kind == FieldKind.ERROR
                    || kind == FieldKind.FAILED_ITEMS);
            // Errors as data: a root field resolved to an error type of a result union ("__typename": "...Error").
            env.userErrors |= t == JsonToken.VALUE_STRING && name.equals("__typename") && p.getTextLength() > 5
                    && Text.endsWithIgnoreCase(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), "error");
            boolean meaningful = value(t, pointer, errorList, kind, depth + 1);
            env.userErrors |= (errorList && meaningful) || (kind == FieldKind.SUCCESS_FLAG && t == JsonToken.VALUE_FALSE);
            return;
        }
        if (t == JsonToken.START_OBJECT) {
            // In a read's data a status object is the record's state, as a status word there is.
            boolean blockLevel = mode == Mode.TOP || mode == Mode.WRAPPED
                    || (mode == Mode.DATA && env.intent != ResponseSample.Intent.READ);
            if (blockLevel && depth < PointerTrie.MAX_DEPTH && FieldKind.statusBlock(name)) {
                // {"status": {"code": 200, "errorcode": 97, "message": "Error in action"}}, {"meta": {...}},
                // {"header": {"resultCode": "30", ...}}, {"ResponseStatus": {...}}: a status block speaks for the
                // object that holds it (the body, its wrapper or its data), at any of those levels; its members
                // read as that object's own, without counting as its members (so a wrapper beside it stays dominant).
                int counted = env.members;
                int nulls = env.nullMembers;
                int structured = env.structuredMembers;
                objectMembers(pointer, depth + 1);
                env.members = counted;
                env.nullMembers = nulls;
                env.structuredMembers = structured;
                return;
            }
            boolean wrapper = kind == FieldKind.WRAPPER || (kind == FieldKind.STATUS && name.equalsIgnoreCase("result"))
                    || (kind == FieldKind.BATCH_ARRAY && name.equalsIgnoreCase("results")); // "results" as an object: a wrapper
            // A transaction object ({"payment": {...}}) is read as the wrapper, which a named wrapper still takes over.
            // So is an unnamed object that opens the body ({"SMSMessageData": {...}}, {"ocs": {...}}): judged
            // only when it stays the body's sole member, and then only on its clearest signals.
            boolean sole = kind == FieldKind.OTHER && env.members == 1;
            if (mode == Mode.TOP && !env.nested()
                    && (!wrapperUsed || (wrapper && (env.wrappedTransaction || env.wrappedSole)))
                    && (wrapper || kind == FieldKind.TRANSACTION || sole)) {
                wrapperUsed = true;
                nested(env.wrapped, Mode.WRAPPED, pointer, depth);
                env.wrappedTransaction = kind == FieldKind.TRANSACTION;
                env.wrappedSole = sole;
                env.wrapped.transactionLike |= kind == FieldKind.TRANSACTION;
                return;
            }
            if (mode == Mode.TOP && kind == FieldKind.DATA && !env.nested()) {
                env.dataPresent = true;
                env.dataKey = true;
                env.dataObject = true;
                nested(env.data, Mode.DATA, pointer, depth);
                return;
            }
            if (mode == Mode.DATA && depth < PointerTrie.MAX_DEPTH && kind != FieldKind.ERROR && kind != FieldKind.ERROR_DETAIL) {
                // An error object in data ({"data": {"error": {...}}}) is read as at the top; other objects are
                // GraphQL root fields (or a payload's records).
                Mode outer = mode;
                mode = Mode.DATA_FIELD; // a root field's payload: only its error lists are read
                try {
                    objectMembers(pointer, depth + 1);
                } finally {
                    mode = outer;
                }
                return;
            }
            boolean subResult = kind == FieldKind.WRAPPER || (kind == FieldKind.STATUS && name.equalsIgnoreCase("result"));
            // An item's first object is its operation ({"index": {...}}), unless it is the item's error object.
            if (mode == Mode.ITEM && ((env.members == 1 && kind != FieldKind.ERROR) || subResult) && depth < PointerTrie.MAX_DEPTH) {
                if (subResult) {
                    env.bodyPresent = true;
                }
                boolean errorBefore = env.errorMeaningful;
                mode = Mode.ITEM_INNER;
                try {
                    objectMembers(pointer, depth + 1);
                } finally {
                    mode = Mode.ITEM;
                }
                // An item whose own result or response carries errors ({"result": {"errors": ...}}) failed.
                env.innerError |= subResult && !errorBefore && env.errorMeaningful;
                return;
            }
        }
        if (t == JsonToken.START_ARRAY && mode == Mode.TOP && kind == FieldKind.DATA && !env.nested()) {
            // A data list is a batch's results when its items report their own failures (push tickets, say).
            env.dataKey = true;
            env.dataPresent |= batchItems(pointer, false, depth) > 0;
            return;
        }
        if (t == JsonToken.START_ARRAY && (mode == Mode.TOP || mode == Mode.WRAPPED)
                && (kind == FieldKind.BATCH_ARRAY || kind == FieldKind.WRAPPER)) {
            batchItems(pointer, false, depth);
            return;
        }
        if (t == JsonToken.START_ARRAY && mode == Mode.TOP && env.intent == ResponseSample.Intent.WRITE && !env.nested()
                && (kind == FieldKind.OTHER || (kind == FieldKind.STATUS && name.equalsIgnoreCase("result")))) {
            // A write answered with a list under a name no rule knows ({"result": [...]}, {"products": [...]}): its
            // items may be the write's per-item outcomes. Counted apart; judge() uses them only when the list is
            // (nearly) the whole body, not a resource's history ("attempts": [...] beside the resource's fields).
            Envelope owner = env;
            BatchCounts before = BatchCounts.of(owner);
            int full = owner.itemsErrorFull;
            int empty = owner.itemsErrorEmpty;
            int records = owner.batchFailedRecords;
            batchItems(pointer, false, depth);
            // Failed items that are records with an identity and a state ({"order_id": .., "status": "rejected"})
            // may be what a search found; only the others count as this write's failed sub-operations.
            owner.looseFailed += (owner.batchFailed - before.failed()) - (owner.batchFailedRecords - records);
            owner.looseOk += owner.batchOk - before.ok();
            owner.looseErrorFull += owner.itemsErrorFull - full;
            owner.looseErrorEmpty += owner.itemsErrorEmpty - empty;
            before.restore(owner);
            owner.batchFailedRecords = records;
            owner.itemsErrorFull = full;
            owner.itemsErrorEmpty = empty;
            return;
        }
        if (t == JsonToken.START_ARRAY && (mode == Mode.TOP || mode == Mode.WRAPPED) && kind == FieldKind.TRANSACTION_LIST
                && env.intent != ResponseSample.Intent.READ) {
            // A write's money movements ({"id": "ORDE_1", "charges": [{"status": "DECLINED", ...}]}): each is read
            // for its decision; only counts reach the envelope.
            Envelope owner = env;
            BatchCounts before = BatchCounts.of(owner);
            int declinedBefore = owner.movementsDeclined;
            int items = batchItems(pointer, false, depth);
            owner.movements += Math.min(items, MAX_BATCH_ITEMS);
            before.restore(owner); // not a batch's results: its counts stay the envelope's own
            owner.transactionLike |= owner.movementsDeclined > declinedBefore;
            return;
        }
        if (t.isStructStart()) {
            boolean errorMember = kind == FieldKind.ERROR || kind == FieldKind.ERROR_DETAIL
                    || kind == FieldKind.USER_ERRORS || kind == FieldKind.FAILURE_COUNT || kind == FieldKind.FAILED_ITEMS
                    || kind == FieldKind.MESSAGE || kind == FieldKind.HINT
                    || (kind == FieldKind.STATUS && t == JsonToken.START_OBJECT); // {"status": {"code": 402, "message": ...}}
            int before = env.hintLength();
            boolean meaningful = value(t, pointer, errorMember, kind, depth + 1);
            switch (kind) {
                case ERROR -> {
                    env.errorEmpty |= !meaningful;
                    if (meaningful) {
                        env.errorMeaningful = true;
                        if (t == JsonToken.START_ARRAY && name.equalsIgnoreCase("errors")) {
                            env.errorsArrayMeaningful = true;
                        }
                    }
                }
                case ERROR_DETAIL -> env.errorDetailMeaningful |= meaningful;
                case DATA -> {
                    env.dataPresent = true;
                    env.dataKey = true;
                }
                case USER_ERRORS -> env.userErrors |= meaningful;
                // A list of messages ({"message": [{"code": "E00027", "text": ...}]}) talks like a message.
                case MESSAGE -> env.messagePresent |= meaningful;
                // {"Failed": [...], "Successful": []}: whether any item of the batch went through.
                case SUCCESS_FLAG -> {
                    if (t == JsonToken.START_ARRAY) {
                        env.successList = meaningful ? 1 : -1;
                    }
                }
                case FAILURE_COUNT, FAILED_ITEMS -> {
                    // "failed": {".tag": ...} names a state; only a list (or a map of lists) holds failed items.
                    if (kind == FieldKind.FAILURE_COUNT && t == JsonToken.START_OBJECT) {
                        env.reasonGiven |= meaningful; // {"failure": {"failureCode": ...}}: why a state failed
                        break;
                    }
                    if (env.intent == ResponseSample.Intent.READ && (name.regionMatches(true, 0, "validation", 0, 10)
                            || (kind == FieldKind.FAILED_ITEMS && !(meaningful && missingOnly(before))))) {
                        // On a read, a list of failures describes the subject read: a lookup's validation_errors
                        // (["TOO_SHORT"] for a number it checked), a domain's hard_failures. Not items of this
                        // request that failed: why, not what. (Items it could not find stay a partial read.)
                        env.reasonGiven |= meaningful;
                        break;
                    }
                    env.failedItems |= meaningful;
                    env.failedItemsMissing |= meaningful && missingOnly(before);
                    env.unprocessed |= meaningful && Text.startsWithIgnoreCase(name.toCharArray(), 0, name.length(), "unprocessed");
                }
                case WRAPPER -> env.bodyPresent |= meaningful;
                // {"status": "INVALID", "issues": [{"code": ..., "message": ...}]}: why a state failed, as a list.
                case HINT -> env.reasonGiven |= meaningful;
                default -> { }
            }
            return;
        }
        if (kind == FieldKind.OTHER) {
            otherScalar(name, t);
        }
        switch (kind) {
            case SUCCESS_FLAG -> {
                if (t == JsonToken.VALUE_TRUE || (t == JsonToken.VALUE_STRING && textIs("true"))) {
                    env.successTrue = true;
                } else if (t == JsonToken.VALUE_FALSE || (t == JsonToken.VALUE_STRING && textIs("false"))) {
                    env.successFalse = true;
                } else if (t == JsonToken.VALUE_NUMBER_INT) {
                    env.successCount = true;
                }
            }
            case FAILURE_FLAG -> env.failureFlag |= t == JsonToken.VALUE_TRUE;
            case ERROR -> {
                if ((t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) && name.equalsIgnoreCase("errors")) {
                    // "errors": 37 counts errors (a metric, a batch's tally), as "failures": 2 does; "error": 404 is a code.
                    env.failureCount |= t == JsonToken.VALUE_NUMBER_INT && number() > 0;
                } else if (meaningfulScalar(t)) {
                    env.errorMeaningful = true;
                    env.errorsFlagTrue |= t == JsonToken.VALUE_TRUE;
                } else {
                    env.errorEmpty = true;
                }
                codeHintIfString(t);
            }
            case ERROR_DETAIL -> {
                if (meaningfulScalar(t)) {
                    env.errorDetailMeaningful = true;
                }
                hintIfString(t);
            }
            case DATA -> {
                env.dataPresent |= t != JsonToken.VALUE_NULL;
                env.dataKey = true;
            }
            case STATUS -> {
                env.stateMember |= t != JsonToken.VALUE_NULL; // "result": null (JSON-RPC 1.0 beside its error) is no state
                status(name, t);
            }
            // An empty identity ({"order_id": ""}) names no record.
            case RECORD_KEY, TRANSACTION_KEY -> {
                boolean key = t != JsonToken.VALUE_NULL && !(t == JsonToken.VALUE_STRING && p.getTextLength() == 0);
                env.recordKey |= key;
                env.recordIdKey |= key && name.length() > 2 && name.regionMatches(true, name.length() - 2, "id", 0, 2)
                        && !name.regionMatches(true, 0, "error", 0, 5);
                env.transactionLike |= key && kind == FieldKind.TRANSACTION_KEY;
            }
            case AMOUNT -> env.transactionLike |= t != JsonToken.VALUE_NULL;
            case WRAPPER -> {
                env.bodyPresent |= t == JsonToken.VALUE_STRING && p.getTextLength() > 0;
                if (t == JsonToken.VALUE_STRING && name.length() > 8) {
                    message(t); // "gateway_response": "Declined", "processor_response": ...: a processor's words
                }
            }
            case CODE, RESULT_CODE -> code(kind, t);
            case DECISION -> decision(t);
            case APPROVAL -> {
                // A flag, or the same flag as 1/0 or a string (form-encoded answers carry only strings: trnApproved=1).
                if (t == JsonToken.VALUE_TRUE || (t == JsonToken.VALUE_NUMBER_INT && number() == 1)
                        || (t == JsonToken.VALUE_STRING && (textIs("1") || textIs("true") || textIs("y") || textIs("yes")))) {
                    env.approvedTrue = true;
                } else if (t == JsonToken.VALUE_FALSE || (t == JsonToken.VALUE_NUMBER_INT && number() == 0)
                        || (t == JsonToken.VALUE_STRING && (textIs("0") || textIs("false") || textIs("n") || textIs("no")))) {
                    env.declined = true;
                    env.declinedInStatus = true; // a record's flag: data on a read, the outcome on a 201
                }
            }
            case ERROR_CODE -> {
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    long n = number();
                    env.errorCodeFailure |= !Envelope.successCode(n); // error_code 200 is a success too
                    env.errorCodeSuccess |= Envelope.successCode(n);
                    env.statusNumber(n);
                } else if (t == JsonToken.VALUE_STRING && (meaningfulScalar(t) || textIs("0"))) {
                    // A numeric string is judged like the number: "0" and an HTTP-like "200" are success values.
                    long n = Text.parseCode(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    if (n != Long.MIN_VALUE) {
                        boolean ok = Envelope.successCode(n);
                        env.errorCodeFailure |= !ok;
                        env.errorCodeSuccess |= ok;
                        env.statusNumber(n);
                    } else {
                        env.errorCodeFailure = true;
                    }
                    codeHintIfString(t);
                }
            }
            case HTTP_STATUS -> {
                long n = t == JsonToken.VALUE_NUMBER_INT ? number()
                        : t == JsonToken.VALUE_STRING ? Text.parseCode(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
                        : 0;
                if (n >= 400 && n <= 599) {
                    env.echoedHttpFailure = true;
                }
                if (n != Long.MIN_VALUE && (n < 100 || n > 599) && !env.codeNumeric) {
                    // {"statusCode": "2023", "statusMessage": "Insufficient Balance"}: no HTTP status but a vendor's code,
                    // judged as one (0 succeeds; 1, "true" in many APIs, only beside a message that names a failure).
                    if (n == 1) {
                        env.statusNumberAmbiguous = true;
                    } else {
                        numericCode(false, n);
                    }
                    env.statusCodeSeen = true;
                } else if (n != Long.MIN_VALUE) {
                    env.statusNumber(n);
                    env.statusCodeSeen |= t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_STRING;
                } else if (t == JsonToken.VALUE_STRING) {
                    status(name, t); // {"statusCode": "ERROR_VALUE_MISSING"}: a status code spelled as a state word
                }
            }
            case FAILURE_COUNT -> env.failureCount |= t == JsonToken.VALUE_NUMBER_INT && number() > 0;
            case BATCH_COUNT -> env.failedBatchCount |= t == JsonToken.VALUE_NUMBER_INT && number() > 0;
            case MESSAGE -> message(t);
            case PROBLEM_TYPE -> {
                if (t == JsonToken.VALUE_STRING) {
                    env.problemTypeUri |= uriLike();
                    env.typeError |= mode == Mode.TOP && textIs("error");
                    codeHintIfString(t);
                }
            }
            case PROBLEM_TITLE -> {
                if (t == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
                    env.problemTitle = true;
                    hintIfString(t);
                }
            }
            case PROBLEM_DETAIL -> {
                if (t == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
                    env.problemDetail = true;
                    message(t);
                }
            }
            case PROBLEM_INSTANCE -> env.problemInstance |= t == JsonToken.VALUE_STRING;
            case AWS_TYPE -> {
                if (t == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
                    env.awsType = true;
                    codeHintIfString(t);
                }
            }
            case SUCCESS_COUNT -> env.processedCount |= t == JsonToken.VALUE_NUMBER_INT && number() > 0;
            case HINT -> {
                if (codeLikeName(name)) {
                    codeHintIfString(t);
                } else {
                    hintIfString(t);
                }
                // refusalReason, decline_code: a member that exists to say why a payment was refused.
                boolean given = meaningfulScalar(t);
                env.reasonGiven |= given;
                env.refusalNamed |= given && (name.regionMatches(true, 0, "refusal", 0, 7) || name.regionMatches(true, 0, "decline", 0, 7));
            }
            case JSONRPC -> env.jsonrpc = true;
            case RESOURCE_ID -> {
                env.resourceLike |= t != JsonToken.VALUE_NULL;
                // {"object": "charge"}: the resource names itself a money movement.
                if (t == JsonToken.VALUE_STRING && name.equals("object") && p.getTextLength() <= 32) {
                    env.transactionLike |= FieldKind.transactionWord(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                }
            }
            default -> { }
        }
        if (t.isStructStart()) {
            value(t, pointer, false, kind, depth + 1);
        } else {
            scalarRest(t, pointer);
        }
    }

    /**
     * A member's scalar value whose meaning nobody asks for: {@link #value} without its {@link #meaningfulScalar}
     * test, whose answer was dropped here. Only its one effect stays: a string that cannot be read fails the scan
     * when its length is asked for.
     */
    private void scalarRest(JsonToken t, PointerTrie.Node pointer) throws IOException {
        if (pointer != null && pointer.slot >= 0) {
            capture(pointer.slot, t);
        }
        if (t == JsonToken.VALUE_STRING) {
            p.getTextLength();
        }
    }

    private void status(String name, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING -> {
                char[] buf = p.getTextCharacters();
                int off = p.getTextOffset();
                int len = p.getTextLength();
                if (name.equalsIgnoreCase("ack") && Text.equalsAny(buf, off, len, ACK_OK)) {
                    env.successTrue = true; // eBay-style: Warning and SuccessWithWarning succeeded, their Errors are notes
                    return;
                }
                // The token tests of declineWord, failingCodeWord and negated, and the partial and success tokens, in
                // one pass over the text instead of one each.
                int tokens = Text.tokenMask(buf, off, len, STATUS_LEXICONS);
                if ((tokens & S_DECLINE) != 0 || declinePhrase(buf, off, len)) {
                    env.declined = true;
                    env.declinedInStatus = true;
                }
                if (len >= 14 && (tokens & S_PARTIAL) != 0) {
                    env.partialFailureWord = true;
                    env.codeHint(buf, off, len);
                } else if (Text.equalsAny(buf, off, len, FAILURE_WORDS) || (tokens & S_FAILURE) != 0
                        || Text.equalsAny(buf, off, len, FAILURE_CODE_WORDS)
                        || (len >= 6 && (tokens & S_NOT) != 0 && (tokens & S_NEGATABLE) != 0)
                        || throttled(buf, off, len)) {
                    // F of S/F/U outcome states, NG: a state that says the operation failed.
                    env.statusFailure = true;
                    // Exactly "invalid" is a verdict on the subject checked (an address, a number), not on the call.
                    env.statusFailureNotVerdict |= !Text.equalsIgnoreCase(buf, off, len, "invalid");
                    if (name.equalsIgnoreCase("result")) {
                        env.statusFailureFromResult = true;
                    } else {
                        env.statusFailureOwn = true;
                    }
                    env.jsendFail |= Text.equalsIgnoreCase(buf, off, len, "fail");
                    env.codeHint(buf, off, len);
                } else if (SUCCESS_WORD_SET.contains(buf, off, len) || (tokens & S_SUCCESS) != 0) {
                    env.statusSuccess = true;
                } else {
                    long n = Text.parseCode(buf, off, len);
                    if (n != Long.MIN_VALUE) {
                        statusNumber(n); // "status": "5300" is the number spelled as text
                    }
                }
            }
            case VALUE_NUMBER_INT -> statusNumber(number());
            case VALUE_TRUE -> env.statusSuccess = true;
            case VALUE_FALSE -> env.statusFalse = true;
            default -> { }
        }
    }

    /** A numeric status that is not a success value is a vendor code: a failure beside a message. */
    private void statusNumber(long n) {
        env.statusNumber(n);
        env.statusNumberBad |= !Envelope.successCode(n) && n != 1 && !(n >= 200 && n <= 399);
        env.statusNumberAmbiguous |= n == 1 || (n >= 300 && n <= 399);
    }

    /**
     * {@code code} (a failure only beside a message) and the result codes ({@code resultCode},
     * {@code ret}, {@code return_code}): a number or a numeric string is judged against the known
     * success values; a result code spelled as a failure or decline word needs no message.
     */
    private void code(FieldKind kind, JsonToken t) throws IOException {
        boolean result = kind == FieldKind.RESULT_CODE;
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            numericCode(result, number());
        } else if (t == JsonToken.VALUE_STRING) {
            char[] buf = p.getTextCharacters();
            int off = p.getTextOffset();
            int len = p.getTextLength();
            if (Text.equalsAny(buf, off, len, SUCCESS_WORDS) || (result && Text.equalsAny(buf, off, len, APPROVAL_WORDS))
                    || (Text.hasToken(buf, off, len, SUCCESS_TOKENS) && !Text.hasToken(buf, off, len, FAILURE_TOKENS)
                            && !negated(buf, off, len))) {
                if (result) {
                    env.resultCodeSuccess = true;
                } else {
                    env.codeSuccess = true;
                }
                return;
            }
            long n = Text.parseCode(buf, off, len);
            if (n != Long.MIN_VALUE) {
                numericCode(result, n);
                return;
            }
            env.codeOther |= len > 0;
            int before = env.hintLength();
            env.codeHint(buf, off, len);
            if (result) {
                if (declineWord(buf, off, len) || Text.hasToken(buf, off, len, CANCELLED_TOKENS)) {
                    env.declined = true;
                } else if (failingCodeWord(buf, off, len)) {
                    env.resultCodeFailureWord = true;
                }
                return;
            }
            // A string code is a failure only when it reads like one ("card_declined", not "US"). Vendor
            // convention: Alibaba's open platforms prefix caller-caused error codes with "isv."
            // (https://opendocs.alipay.com/common/02km9f), as do its cloud APIs (isv.BUSINESS_LIMIT_CONTROL).
            if (env.hintLength() > before && (Text.hasToken(buf, off, len, FAILURE_TOKENS)
                    || Text.startsWithIgnoreCase(buf, off, len, "isv.")
                    || TypeHints.fromText(env.hints.text, before, env.hintLength()) != null)) {
                env.codeStringFailure = true;
            }
        }
    }

    private void numericCode(boolean result, long n) {
        if (result) {
            if (Envelope.successCode(n)) {
                env.resultCodeSuccess = true;
            } else {
                env.resultCodeBad = true;
            }
            env.statusNumber(n);
        } else {
            env.codeNumeric = true;
            env.codeNumber = n;
            env.statusNumber(n);
        }
    }

    /** A payment decision: ACCEPT/APPROVED succeed, DECLINE/REJECT/REFUSED decline, ERROR fails, REVIEW waits. */
    private void decision(JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            return;
        }
        char[] buf = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        if (Text.equalsAny(buf, off, len, APPROVAL_WORDS) || Text.equalsAny(buf, off, len, SUCCESS_WORDS)) {
            env.approvedTrue = true;
        } else if (declineWord(buf, off, len) || Text.hasToken(buf, off, len, REJECT_TOKENS)) {
            env.declined = true;
            env.codeHint(buf, off, len);
        } else if (Text.hasToken(buf, off, len, DECISION_FAILURE_TOKENS)) {
            env.resultCodeFailureWord = true;
            env.codeHint(buf, off, len);
        }
    }

    /** A state or result code that says the operation failed: a failure token or code word, or a denied success. */
    private static boolean failingCodeWord(char[] buf, int off, int len) {
        return Text.hasToken(buf, off, len, FAILURE_TOKENS) || Text.equalsAny(buf, off, len, FAILURE_CODE_WORDS)
                || negated(buf, off, len);
    }

    /** A state that says the call was throttled ({@code throttle_triggered}, {@code RATE_LIMITED}): it was not served. */
    private static boolean throttled(char[] buf, int off, int len) {
        return len >= 8 && (Text.containsIgnoreCase(buf, off, len, "throttl") || Text.containsIgnoreCase(buf, off, len, "rate_limit")
                || Text.containsIgnoreCase(buf, off, len, "ratelimit"));
    }

    /** A state that denies success or processing ({@code REQUEST_NOT_PROCESSED}, {@code NOT_OK}). */
    private static boolean negated(char[] buf, int off, int len) {
        return len >= 6 && Text.hasToken(buf, off, len, NOT_TOKEN) && Text.hasToken(buf, off, len, NEGATABLE_TOKENS);
    }

    /** Words that only a refused payment uses. */
    private static boolean declineWord(char[] buf, int off, int len) {
        return Text.hasToken(buf, off, len, DECLINE_TOKENS) || declinePhrase(buf, off, len);
    }

    /** The phrases of {@link #declineWord}. */
    private static boolean declinePhrase(char[] buf, int off, int len) {
        return len >= 11 && (Text.containsIgnoreCase(buf, off, len, "insufficient")
                || Text.containsIgnoreCase(buf, off, len, "do_not_honor") || Text.containsIgnoreCase(buf, off, len, "not approved"));
    }

    /** The lexicons {@link #status} looks for, in one pass; S_* are their bits. */
    private static final Text.Lexicon[] STATUS_LEXICONS = {DECLINE_TOKENS, PARTIAL_FAILURE_TOKENS, FAILURE_TOKENS, NOT_TOKEN,
        NEGATABLE_TOKENS, SUCCESS_TOKENS};
    private static final int S_DECLINE = 1;
    private static final int S_PARTIAL = 2;
    private static final int S_FAILURE = 4;
    private static final int S_NOT = 8;
    private static final int S_NEGATABLE = 16;
    private static final int S_SUCCESS = 32;
    /** {@link #SUCCESS_WORDS} grouped by length: the same test, fewer compares. */
    private static final Text.Lexicon SUCCESS_WORD_SET = new Text.Lexicon(SUCCESS_WORDS);

    /** The lexicons and phrases {@link #message} looks for, each found in one pass over the text. */
    private static final Text.Lexicon[] MESSAGE_LEXICONS = {DECLINE_TOKENS, IN_PROGRESS_TOKENS, SUCCESS_MESSAGE_TOKENS};
    private static final int M_DECLINE = 1;
    private static final int M_IN_PROGRESS = 2;
    private static final int M_SUCCESS = 4;
    private static final String[] MESSAGE_PHRASES = {"insufficient", "do_not_honor", "not approved", "do not hono",
        "in progress", "being processed", "redirect to", "redirect the"};
    /** The phrases of {@link #declineWord} (the first three; each is at least 11 characters long). */
    private static final int P_DECLINE_WORD = 1 | 2 | 4;
    private static final int P_DO_NOT_HONO = 8;
    private static final int P_IN_PROGRESS = 16 | 32 | 64 | 128; // "in progress", "being processed", a redirect step

    /**
     * Members no rule names, read for two facts: an outcome that is not there yet ({"pending": true}, a
     * {@code redirect_url} for a 3-D Secure or wallet step: a {@code success: false} beside it means "not yet"),
     * and, on a read, a record's {@code token} identity (card and transaction APIs name records by a token).
     */
    private void otherScalar(String name, JsonToken t) throws IOException {
        int n = name.length();
        if (t == JsonToken.VALUE_TRUE) {
            env.inProgress |= name.equalsIgnoreCase("pending") || name.equalsIgnoreCase("isPending")
                    || name.equalsIgnoreCase("is_pending");
        } else if (t == JsonToken.VALUE_STRING && p.getTextLength() > 0) {
            if (n == 5 && env.intent == ResponseSample.Intent.READ && name.equalsIgnoreCase("token")) {
                env.recordKey = true;
            } else if (n >= 11 && (name.regionMatches(true, 0, "redirect", 0, 8) && name.regionMatches(true, n - 3, "url", 0, 3))
                    && p.getTextLength() > 8) {
                env.inProgress = true; // redirect_url, redirectUrl: the customer must act before there is an outcome
            }
        }
    }

    private void message(JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING || p.getTextLength() == 0) {
            return;
        }
        char[] buf = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        env.messagePresent = true;
        // Same tests as declineWord, hasToken and containsIgnoreCase one by one, in two passes instead of eight.
        int tokens = Text.tokenMask(buf, off, len, MESSAGE_LEXICONS);
        int phrases = len >= 11 ? Text.containsMask(buf, off, len, MESSAGE_PHRASES) : 0;
        env.refusalMessage |= Text.equalsAny(buf, off, len, REFUSAL_MESSAGES);
        if (Text.equalsAny(buf, off, len, DECLINE_MESSAGES)) {
            env.declined = true; // NVP RESPMSG=Declined, responsetext=DECLINE: the message is the decision
        } else if ((tokens & M_DECLINE) != 0 || (phrases & (P_DECLINE_WORD | P_DO_NOT_HONO)) != 0) {
            env.declineMessage = true;
        }
        // A message in a CJK or Cyrillic script that says success ("操作成功", "정상 처리되었습니다", "Успешно") or that the
        // operation is still going ("处理中", "В обработке"), and no failure. Such messages open or end with a letter of
        // that script, so ASCII messages skip these searches.
        boolean nonAscii = buf[off] >= 0x80 || buf[off + len - 1] >= 0x80;
        boolean nonAsciiFailure = nonAscii && Text.containsMask(buf, off, len, FAILURE_PHRASES_NON_ASCII) != 0;
        if ((tokens & M_IN_PROGRESS) != 0 || (phrases & P_IN_PROGRESS) != 0
                || (nonAscii && !nonAsciiFailure && Text.containsMask(buf, off, len, IN_PROGRESS_PHRASES_NON_ASCII) != 0)) {
            env.messageInProgress = true;
        }
        if (Text.equalsAny(buf, off, len, SUCCESS_WORDS) || Text.startsWithIgnoreCase(buf, off, len, "success")
                || Text.equalsAny(buf, off, len, APPROVAL_WORDS) || Text.startsWithIgnoreCase(buf, off, len, "approved")
                || ((tokens & M_SUCCESS) != 0 && !env.declineMessage && !negated(buf, off, len))
                || (nonAscii && !nonAsciiFailure && Text.containsMask(buf, off, len, SUCCESS_PHRASES_NON_ASCII) != 0)) {
            env.messageSuccess = true;
        } else {
            env.hint(buf, off, len);
        }
    }

    /**
     * Consumes the value starting at {@code t}: captures it where a pointer ends, reads hints when
     * asked, and skips the rest.
     *
     * @return whether the value holds something meaningful (not null, 0, false, "" or empty)
     */
    private boolean value(JsonToken t, PointerTrie.Node pointer, boolean hints, FieldKind key, int depth)
            throws IOException {
        int slot = pointer == null ? -1 : pointer.slot;
        if (!t.isStructStart()) {
            if (slot >= 0) {
                capture(slot, t);
            }
            if (hints) {
                if (key == FieldKind.CODE || key == FieldKind.ERROR_CODE || key == FieldKind.RESULT_CODE
                        || key == FieldKind.PROBLEM_TYPE || key == FieldKind.AWS_TYPE || key == FieldKind.STATUS
                        || (key == FieldKind.HINT && codeLikeName(p.currentName()))) {
                    codeHintIfString(t);
                } else {
                    hintIfString(t);
                }
                if (t == JsonToken.VALUE_NUMBER_INT && (key == FieldKind.CODE || key == FieldKind.ERROR_CODE
                        || key == FieldKind.STATUS || key == FieldKind.HTTP_STATUS)) {
                    env.statusNumber(number());
                }
            }
            return meaningfulScalar(t);
        }
        boolean object = t == JsonToken.START_OBJECT;
        if (slot >= 0) {
            captures.container(slot, object ? Captures.Kind.OBJECT : Captures.Kind.ARRAY);
        }
        boolean descend = depth < PointerTrie.MAX_DEPTH
                && ((pointer != null && pointer.hasChildren()) || (hints && depth <= HINT_DEPTH));
        if (!descend) {
            boolean nonEmpty = skip();
            if (slot >= 0 && nonEmpty) {
                captures.containerHasElements(slot);
            }
            return nonEmpty;
        }
        boolean meaningful = false;
        for (int index = 0; !ended; index++) {
            JsonToken n = next();
            if (n == null || n.isStructEnd()) {
                break;
            }
            PointerTrie.Node child;
            FieldKind childKey = FieldKind.OTHER;
            if (object) {
                String name = p.currentName();
                child = pointer == null ? null : pointer.child(name);
                if (hints) {
                    childKey = p.nameKind();
                }
                n = next();
                if (n == null) {
                    break;
                }
            } else {
                child = pointer == null ? null : pointer.child(index);
            }
            if (slot >= 0) {
                captures.containerHasElements(slot);
            }
            meaningful |= value(n, child, hints && depth < HINT_DEPTH, childKey, depth + 1);
        }
        return meaningful;
    }

    /** Skips the rest of a container; true when it had any element. */
    private boolean skip() throws IOException {
        int skipped = p.skipRest();
        ended |= (skipped & JsonTokens.SKIP_ENDED) != 0;
        return (skipped & JsonTokens.SKIP_ANY) != 0;
    }

    private void capture(int slot, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_NULL -> captures.scalar(slot, Captures.Kind.NULL, null);
            case VALUE_TRUE -> captures.scalar(slot, Captures.Kind.BOOLEAN, "true");
            case VALUE_FALSE -> captures.scalar(slot, Captures.Kind.BOOLEAN, "false");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> captures.scalar(slot, Captures.Kind.NUMBER, p.getText());
            case VALUE_STRING -> captures.scalar(slot, Captures.Kind.STRING,
                    new String(p.getTextCharacters(), p.getTextOffset(),
                            Math.min(p.getTextLength(), Captures.MAX_TEXT)));
            default -> { }
        }
    }

    private boolean meaningfulScalar(JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_TRUE -> true;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number() != 0;
            // Longer than every empty word: meaningful without decoding it.
            case VALUE_STRING -> p.getTextLength() > 0 && (p.getTextLength() > MAX_EMPTY_WORD
                    || !Text.equalsAny(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), EMPTY_WORDS));
            default -> false;
        };
    }

    private void hintIfString(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            env.hint(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
    }

    private void codeHintIfString(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            env.codeHint(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
    }

    /** The hints read since {@code from} only say items were missing ("reason": "MISSING", not found). */
    private boolean missingOnly(int from) {
        char[] h = env.hints.text;
        int to = env.hintLength();
        return to > from && (Text.contains(h, from, to, "missing") || Text.contains(h, from, to, "not found")
                || Text.contains(h, from, to, "not_found") || Text.contains(h, from, to, "notfound"))
                && TypeHints.fromText(h, from, to) != ErrorType.PAYMENT_FAILURE
                && !Text.contains(h, from, to, "error") && !Text.contains(h, from, to, "fail");
    }

    /** A hint member that holds a code or a class rather than prose: failure_code, errorClass, category. */
    private static boolean codeLikeName(String name) {
        if (name == null) {
            return false;
        }
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith("code") || n.endsWith("class") || n.endsWith("group") || n.endsWith("name") || n.endsWith("key")
                || n.endsWith("type") || n.endsWith("category");
    }

    private boolean textIs(String lowerWord) throws IOException {
        return Text.equalsIgnoreCase(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), lowerWord);
    }

    private boolean uriLike() throws IOException {
        char[] buf = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        if (len == 0) {
            return false;
        }
        if (buf[off] == '/' || Text.startsWithIgnoreCase(buf, off, len, "urn:")
                || Text.startsWithIgnoreCase(buf, off, len, "tag:") || Text.equalsIgnoreCase(buf, off, len, "about:blank")) {
            return true;
        }
        for (int i = off; i + 2 < off + len; i++) {
            if (buf[i] == ':' && buf[i + 1] == '/' && buf[i + 2] == '/') {
                return true;
            }
        }
        return false;
    }

    /** The number as a long: 0 only for a zero; fractions and huge values map to non-zero sentinels. */
    private long number() throws IOException {
        return p.number();
    }
}
