package dev.apiguard.semantics;

/**
 * Finds failures in a prefix of XML by walking its tags and the text of a few elements. No XML
 * parser: the prefix may be cut anywhere, and only the document element and its children matter.
 *
 * <p>The document element is the root, or for SOAP the first child of {@code Body}. It fails the
 * request when it is a fault or error document ({@code Fault}, {@code Error}, {@code Errors},
 * {@code ErrorResponse}; XML-RPC {@code <methodResponse><fault>}), when it carries
 * {@code stat="fail"} (or {@code status}/{@code result} = fail, failure, error), or when one of its
 * children says so: {@code <Ack>Failure</Ack>} (PartialFailure: a partial batch failure; Warning and
 * Success are fine), {@code return_code}/{@code result_code}/{@code ResultCode} FAIL, an
 * {@code err_code}, a non-empty {@code <Error>}/{@code <Errors>} unless an Ack said Success or
 * Warning. A WebDAV multistatus fails (as a batch) when a member's own status, or a PROPPATCH
 * propstat's 409/422/424/507, is 4xx/5xx; a PROPFIND's 404 propstat (a property that is not there)
 * is not a failure.
 */
final class XmlScan {
    /** Tags examined before giving up. */
    private static final int MAX_TAGS = 256;
    private static final int MAX_DEPTH = 32;

    /** Whole-text failure words of a status or result-code element ({@code NG}: "no good", as Japanese gateways answer). */
    private static final String[] FAILURE_WORDS = {"fail", "failed", "failure", "error", "f", "ng", "declined", "decline",
        "refused", "rejected", "reject"};

    private XmlScan() {}

    private enum Pending { NONE, ACK, RESULT_CODE, ERR_CODE, STATUS, DAV_STATUS, DAV_PROPSTAT_STATUS, ERRORS, DECLINE_MESSAGE, DECISION,
        CODE, FAILURE_FLAG }

    /** Verbs that open the name of a SOAP operation that reads; the next letter is a capital (getX, QueryX). */
    private static final String[] READ_VERBS = {"get", "query", "retrieve", "inquire", "search", "find", "list"};

    static void scan(byte[] b, int len, Envelope env) {
        new Walk(b, len, env).run();
    }

    /** One walk's state; small and short-lived (XML answers are the rare case). */
    private static final class Walk {
        final byte[] b;
        final int len;
        final Envelope env;
        int depth;
        int docDepth = -1;
        boolean soap;
        boolean inBody;
        boolean responseLike;
        boolean multistatus;
        boolean xmlRpc;
        boolean fault;
        boolean batch;
        boolean ackOk;
        boolean errorChild;
        boolean batchSibling;
        /** The document element has an {@code <id>} child: it is a record (a job, an order), not an answer envelope. */
        boolean recordId;
        /** A child of the document element has an {@code <id>} or {@code <name>}: the document lists records. */
        boolean itemIdentity;
        /** Where the pending error element sits (1: a child of the document element), and whether one with content sat there. */
        int errorsRel;
        boolean errorTop;
        int davFailed;
        /** An error code that names a state still in progress (USERPAYING): the outcome is not known yet. */
        boolean inProgressCode;
        /** A result code, status or error code said failure; final unless an in-progress code follows. */
        boolean softFault;
        /** A code, result or status element held a number that is not a success value (0, 00, 1, a 2xx, 10000). */
        boolean codeBad;
        /** A message element held text: beside a bad code, the API describing its failure. */
        boolean messageSeen;
        int hintFrom = -1;
        int errorsAt;
        Pending pending = Pending.NONE;
        final int[] names = new int[MAX_DEPTH];
        final int[] nameEnds = new int[MAX_DEPTH];

        Walk(byte[] b, int len, Envelope env) {
            this.b = b;
            this.len = len;
            this.env = env;
        }

        void run() {
            int pos = 0;
            for (int tags = 0; tags < MAX_TAGS && pos < len && !fault; tags++) {
                int lt = indexOf(b, (byte) '<', pos, len);
                if (lt < 0) {
                    text(pos, len);
                    break;
                }
                if (lt > pos) {
                    text(pos, lt);
                }
                if (lt + 1 >= len) {
                    break;
                }
                byte first = b[lt + 1];
                if (first == '?') {
                    pos = skipPast(lt + 2, "?>");
                } else if (first == '!') {
                    if (startsWith(lt, "<![CDATA[")) {
                        int end = find(lt + 9, "]]>");
                        text(lt + 9, end < 0 ? len : end);
                        pos = end < 0 ? len : end + 3;
                    } else if (startsWith(lt, "<!--")) {
                        pos = skipPast(lt + 4, "-->");
                    } else {
                        pos = skipPast(lt + 2, ">");
                    }
                } else if (first == '/') {
                    pending = Pending.NONE;
                    depth = Math.max(0, depth - 1);
                    pos = skipPast(lt + 2, ">");
                } else {
                    pos = startTag(lt);
                }
                if (pos < 0) {
                    break; // cut inside a tag
                }
            }
            decide();
        }

        private int startTag(int lt) {
            if (pending == Pending.ERRORS) {
                errorContent();
            }
            pending = Pending.NONE;
            int nameStart = lt + 1;
            int nameEnd = nameStart;
            while (nameEnd < len && !isNameEnd(b[nameEnd])) {
                nameEnd++;
            }
            if (nameEnd >= len) {
                return -1;
            }
            int local = nameStart;
            for (int i = nameStart; i < nameEnd; i++) {
                if (b[i] == ':') {
                    local = i + 1;
                }
            }
            int gt = indexOf(b, (byte) '>', nameEnd, len);
            if (gt < 0) {
                return -1;
            }
            boolean selfClosing = b[gt - 1] == '/';
            depth++;
            if (depth < MAX_DEPTH) {
                names[depth] = local;
                nameEnds[depth] = nameEnd;
            }
            element(lt, local, nameEnd, nameEnd, gt, selfClosing);
            if (selfClosing) {
                depth--;
            }
            return gt + 1;
        }

        /**
         * A SOAP operation that reads ({@code getWebPaymentDetailsResponse}, {@code QueryOrderResponse}): SOAP posts
         * every call, so the operation's name is what says a record was read, not changed.
         */
        private boolean readOperation(int local, int nameEnd) {
            for (String verb : READ_VERBS) {
                int n = verb.length();
                if (nameEnd - local > n && regionIgnoreCase(local, verb)
                        && Character.isUpperCase((char) (b[local + n] & 0xff))) {
                    return true;
                }
            }
            return false;
        }

        private boolean regionIgnoreCase(int at, String word) {
            for (int i = 0; i < word.length(); i++) {
                if (Character.toLowerCase((char) (b[at + i] & 0xff)) != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private void element(int lt, int local, int nameEnd, int attrsFrom, int gt, boolean selfClosing) {
            if (depth == 1) {
                if (is(local, nameEnd, "Envelope")) {
                    soap = true;
                    return;
                }
                document(lt, local, nameEnd, attrsFrom, gt);
                return;
            }
            if (soap && docDepth < 0) {
                if (depth == 2 && is(local, nameEnd, "Body")) {
                    inBody = true;
                } else if (inBody && depth == 3) {
                    if (env.intent == ResponseSample.Intent.WRITE && readOperation(local, nameEnd)) {
                        env.soapRead = true;
                        env.intent(ResponseSample.Intent.READ);
                    }
                    document(lt, local, nameEnd, attrsFrom, gt);
                }
                return;
            }
            if (docDepth < 0) {
                return;
            }
            int rel = depth - docDepth;
            if (multistatus) {
                if (is(local, nameEnd, "status") && rel == 2 && parentIs("response")) {
                    pending = Pending.DAV_STATUS;
                } else if (is(local, nameEnd, "status") && rel == 3 && parentIs("propstat")) {
                    pending = Pending.DAV_PROPSTAT_STATUS;
                }
                return;
            }
            if (xmlRpc) {
                if (rel == 1 && is(local, nameEnd, "fault")) {
                    fault(lt, false);
                }
                return;
            }
            if (rel < 1 || rel > 2) {
                return;
            }
            if (rel == 2 && (isIgnoreCase(local, nameEnd, "id") || isIgnoreCase(local, nameEnd, "name"))) {
                itemIdentity = true; // <jobs><job><name>nightly</name>...: a list of records
            }
            boolean envelopeChild = rel == 1 && (isIgnoreCase(local, nameEnd, "body") || isIgnoreCase(local, nameEnd, "response")
                    || isIgnoreCase(local, nameEnd, "result") || isIgnoreCase(local, nameEnd, "reply"));
            if (successAttribute(nameEnd, gt) || (envelopeChild && failAttribute(nameEnd, gt))) {
                fault(lt, false); // <status isSuccess="false">, <body status="error">
                return;
            }
            if (rel == 2 && endsWithIgnoreCase(local, nameEnd, "failed") && !selfClosing && depth - 1 < MAX_DEPTH
                    && isIgnoreCase(names[depth - 1], nameEnds[depth - 1], "status")) {
                fault(lt, false); // <Status><ProcessFailed>...: the answer's status block says the operation failed (OGC WPS)
                return;
            }
            if ((isIgnoreCase(local, nameEnd, "error") || isIgnoreCase(local, nameEnd, "errors")
                    || isIgnoreCase(local, nameEnd, "fault") || isIgnoreCase(local, nameEnd, "exception")
                    || (rel == 1 && (endsWithIgnoreCase(local, nameEnd, "failure")
                    || endsWithIgnoreCase(local, nameEnd, "exception")))) && !selfClosing) {
                pending = Pending.ERRORS; // an error list counts once it has content: <Errors></Errors> is empty
                errorsAt = lt;
                errorsRel = rel;
                return;
            }
            if (resultCodeName(local, nameEnd)) {
                pending = Pending.RESULT_CODE;
                mark(lt);
                return;
            }
            if (isIgnoreCase(local, nameEnd, "haserrors") || isIgnoreCase(local, nameEnd, "haserror")
                    || isIgnoreCase(local, nameEnd, "iserror")) {
                pending = Pending.FAILURE_FLAG; // <HasErrors>true</HasErrors>, as a JSON failure flag
                mark(lt);
                return;
            }
            if (endsWithIgnoreCase(local, nameEnd, "message") || endsWithIgnoreCase(local, nameEnd, "msg")) {
                pending = Pending.DECLINE_MESSAGE; // <message>DECLINED</message>: a gateway's refusal, as its text
                mark(lt);
                return;
            }
            if (rel == 2 && isIgnoreCase(local, nameEnd, "status") && parentIs("meta")) {
                pending = Pending.STATUS; // <ocs><meta><status>failure</status>: the answer's own status block (OCS-style)
                mark(lt);
                return;
            }
            if (rel != 1) {
                return;
            }
            if (isIgnoreCase(local, nameEnd, "id")) {
                recordId = true;
            }
            if (isIgnoreCase(local, nameEnd, "code")) {
                pending = Pending.CODE; // a numeric code beside a message, as in JSON
                mark(lt);
                return;
            }
            if (isIgnoreCase(local, nameEnd, "decision")) {
                pending = Pending.DECISION; // a payment decision: REJECT, DECLINE, ERROR
                mark(lt);
                return;
            }
            if (isIgnoreCase(local, nameEnd, "ack")) {
                pending = Pending.ACK;
                mark(lt);
            } else if (isIgnoreCase(local, nameEnd, "err_code") || isIgnoreCase(local, nameEnd, "errcode")
                    || isIgnoreCase(local, nameEnd, "error_code") || isIgnoreCase(local, nameEnd, "errorcode")
                    || isIgnoreCase(local, nameEnd, "error-code")) {
                pending = Pending.ERR_CODE;
                mark(lt);
            } else if (responseLike && (isIgnoreCase(local, nameEnd, "status") || isIgnoreCase(local, nameEnd, "stat")
                    || isIgnoreCase(local, nameEnd, "result"))) {
                pending = Pending.STATUS;
                mark(lt);
            } else if (is(local, nameEnd, "Deleted") || is(local, nameEnd, "Successful")) {
                batchSibling = true;
            }
        }

        /** The document element: an error document, an XML-RPC answer, a multistatus, or a stat="fail" answer. */
        private void document(int lt, int local, int nameEnd, int attrsFrom, int gt) {
            docDepth = depth;
            env.xmlDocument = true;
            if (isIgnoreCase(local, nameEnd, "fault") || isIgnoreCase(local, nameEnd, "error")
                    || isIgnoreCase(local, nameEnd, "errors") || isIgnoreCase(local, nameEnd, "errorresponse")
                    || endsWithIgnoreCase(local, nameEnd, "exceptionreport") || endsWithIgnoreCase(local, nameEnd, "exception")) {
                fault(lt, false);
                return;
            }
            if (is(local, nameEnd, "methodResponse")) {
                xmlRpc = true;
                return;
            }
            if (is(local, nameEnd, "multistatus")) {
                multistatus = true;
                return;
            }
            responseLike = isIgnoreCase(local, nameEnd, "rsp") || isIgnoreCase(local, nameEnd, "response")
                    || isIgnoreCase(local, nameEnd, "xml") || endsWithIgnoreCase(local, nameEnd, "response")
                    || endsWithIgnoreCase(local, nameEnd, "result") || endsWithIgnoreCase(local, nameEnd, "reply");
            if (failAttribute(attrsFrom, gt)) {
                fault(lt, false);
            }
        }

        /** {@code resultCode}, {@code return_code}, {@code res_result}, {@code ResultStatus}: a code element whose failure words fail the request. */
        private boolean resultCodeName(int from, int to) {
            int n = 0;
            char[] name = new char[Math.min(to - from, 32)];
            for (int i = from; i < to && n < name.length; i++) {
                char c = Text.lower((char) (b[i] & 0xff));
                if (c != '_' && c != '-') {
                    name[n++] = c;
                }
            }
            String s = new String(name, 0, n);
            return s.equals("resultcode") || s.equals("returncode") || s.equals("resultstatus") || s.equals("resresult")
                    || s.equals("responsestatus") || s.equals("responsestatusdescription");
        }

        /** {@code isSuccess="false"} or {@code success="false"} on an element near the document element. */
        private boolean successAttribute(int from, int to) {
            for (String attr : new String[] {"issuccess=", "success="}) {
                int at = findIgnoreCase(from, to, attr);
                if (at > from && at + attr.length() + 6 <= to && (b[at - 1] == ' ' || b[at - 1] == '\t' || b[at - 1] == '\n')) {
                    int q = at + attr.length();
                    if ((b[q] == '"' || b[q] == '\'') && wordIs(q + 1, q + 6, "false") && b[q + 6] == b[q]) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** {@code stat="fail"}, {@code status="error"}, {@code result="failure"} on the document element. */
        private boolean failAttribute(int from, int to) {
            for (String attr : new String[] {"stat=", "status=", "result="}) {
                int at = findIgnoreCase(from, to, attr);
                if (at < 0 || at + attr.length() >= to || (at > from && b[at - 1] != ' ' && b[at - 1] != '\t'
                        && b[at - 1] != '\n' && b[at - 1] != '\r')) {
                    continue;
                }
                int q = at + attr.length();
                byte quote = b[q];
                if (quote != '"' && quote != '\'') {
                    continue;
                }
                int end = indexOf(b, quote, q + 1, to);
                if (end > 0 && failureWord(q + 1, end)) {
                    return true;
                }
            }
            return false;
        }

        private void text(int from, int to) {
            if (pending == Pending.NONE) {
                return;
            }
            while (from < to && isSpace(b[from])) {
                from++;
            }
            while (to > from && isSpace(b[to - 1])) {
                to--;
            }
            if (from >= to) {
                return;
            }
            switch (pending) {
                case ACK -> {
                    if (wordIs(from, to, "partialfailure")) {
                        batch = true;
                        fault(-1, true);
                    } else if (wordIs(from, to, "failure") || wordIs(from, to, "fail")) {
                        fault(-1, true);
                    } else {
                        ackOk = true; // Success, Warning, SuccessWithWarning
                    }
                }
                case DECISION -> {
                    if (failureWord(from, to)) {
                        env.declined |= !wordIs(from, to, "error"); // REJECT, DECLINE: refused; ERROR: failed to decide
                        softFault = true;
                    }
                }
                case RESULT_CODE, STATUS -> {
                    if (failureWord(from, to)) {
                        softFault = true; // decided at the end: a later err_code may say the outcome is still open
                    }
                    codeBad |= badNumber(from, to);
                }
                case CODE -> codeBad |= badNumber(from, to);
                case FAILURE_FLAG -> {
                    if (wordIs(from, to, "true")) {
                        fault(-1, true);
                    }
                }
                case ERR_CODE -> {
                    if (inProgress(from, to)) {
                        inProgressCode = true;
                    } else if (!wordIs(from, to, "0") && !wordIs(from, to, "success") && !wordIs(from, to, "ok")) {
                        softFault = true;
                    }
                }
                case DECLINE_MESSAGE -> {
                    messageSeen = true;
                    if (declineText(from, to)) {
                        env.declined = true;
                        fault(-1, true);
                    }
                }
                case DAV_STATUS, DAV_PROPSTAT_STATUS -> davStatus(from, to, pending == Pending.DAV_PROPSTAT_STATUS);
                case ERRORS -> {
                    if (!(wordIs(from, to, "0") || wordIs(from, to, "false") || wordIs(from, to, "none")
                            || wordIs(from, to, "ok") || wordIs(from, to, "success") || wordIs(from, to, "null"))) {
                        errorContent(); // <Fault>0</Fault> or <Error>none</Error> says there is none
                    }
                }
                default -> { }
            }
            pending = Pending.NONE;
        }

        /** {@code HTTP/1.1 403 Forbidden}: a member's failure, or a PROPPATCH's. */
        private void davStatus(int from, int to, boolean propstat) {
            int sp = indexOf(b, (byte) ' ', from, to);
            if (sp < 0 || sp + 4 > to) {
                return;
            }
            int code = 0;
            for (int i = sp + 1; i < sp + 4; i++) {
                if (b[i] < '0' || b[i] > '9') {
                    return;
                }
                code = code * 10 + (b[i] - '0');
            }
            boolean failed = propstat ? code == 409 || code == 422 || code == 424 || code == 507 : code >= 400;
            if (failed) {
                davFailed++;
                env.statusNumber(code);
                for (int i = sp + 1; i < to; i++) {
                    env.hintByte(b[i]);
                }
                env.hintByte((byte) ' ');
            }
        }

        private void errorContent() {
            errorChild = true;
            errorTop |= errorsRel == 1;
            mark(errorsAt);
        }

        private void mark(int lt) {
            if (hintFrom < 0) {
                hintFrom = lt;
            }
        }

        private void fault(int lt, boolean fromMark) {
            if (!fromMark || hintFrom < 0) {
                hintFrom = lt;
            }
            fault = true;
        }

        private void decide() {
            if (multistatus && davFailed > 0) {
                env.xmlFault = true;
                env.xmlBatch = true; // members not listed succeeded (RFC 4918 lists the failures)
                return;
            }
            if (inProgressCode) {
                return; // the error code says the operation is still going (the user is paying): no outcome yet
            }
            if (softFault || (codeBad && messageSeen && !ackOk)) {
                fault(-1, true);
            }
            // A read of a record (<job><id>42</id>...<error>disk full</error></job>): its error element describes
            // that record's past, as a JSON record's error member does; reading it succeeded.
            // So is a read's list of records (<jobs><job><name>…</name><error>exit 1</error></job>…</jobs>) whose errors
            // sit only inside its items.
            boolean recordsRead = env.intent == ResponseSample.Intent.READ && (recordId || (itemIdentity && !errorTop));
            if (!fault && errorChild && !ackOk && !recordsRead) {
                fault = true;
                batch = batchSibling;
            }
            if (!fault) {
                return;
            }
            env.xmlFault = true;
            env.xmlBatch = batch;
            // The fault's text (codes, reasons) feeds type inference; tags hold no keywords of ours.
            int from = Math.max(0, hintFrom);
            int end = Math.min(len, from + Envelope.MAX_HINTS);
            for (int i = from; i < end; i++) {
                env.hintByte(b[i]);
            }
        }

        /** Digits only, and not a success value: a vendor code that failed. */
        private boolean badNumber(int from, int to) {
            if (to - from > 9) {
                return false;
            }
            long n = 0;
            for (int i = from; i < to; i++) {
                if (b[i] < '0' || b[i] > '9') {
                    return false;
                }
                n = n * 10 + (b[i] - '0');
            }
            return !Envelope.successCode(n) && n != 1;
        }

        /** Whole-text refusal words of a message element: DECLINED, "REFUSED", "Declined - call issuer". */
        private boolean declineText(int from, int to) {
            int end = from;
            while (end < to && Character.isLetter((char) (b[end] & 0xff))) {
                end++;
            }
            return wordIs(from, end, "declined") || wordIs(from, end, "refused") || wordIs(from, end, "decline");
        }

        private boolean inProgress(int from, int to) {
            for (String w : new String[] {"paying", "pending", "processing", "inprogress", "in_progress"}) {
                if (findIgnoreCase(from, to, w) >= 0 && findIgnoreCase(from, to, "error") < 0
                        && findIgnoreCase(from, to, "fail") < 0) {
                    return true;
                }
            }
            return false;
        }

        private boolean parentIs(String name) {
            int parent = depth - 1;
            return parent > 0 && parent < MAX_DEPTH && is(names[parent], nameEnds[parent], name);
        }

        private boolean failureWord(int from, int to) {
            for (String w : FAILURE_WORDS) {
                if (wordIs(from, to, w)) {
                    return true;
                }
            }
            return false;
        }

        private boolean wordIs(int from, int to, String lower) {
            if (to - from != lower.length()) {
                return false;
            }
            for (int i = 0; i < lower.length(); i++) {
                if (Text.lower((char) (b[from + i] & 0xff)) != lower.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private boolean is(int from, int to, String name) {
            if (to - from != name.length()) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                if (b[from + i] != name.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private boolean isIgnoreCase(int from, int to, String lower) {
            return wordIs(from, to, lower);
        }

        private boolean endsWithIgnoreCase(int from, int to, String lower) {
            return to - from >= lower.length() && wordIs(to - lower.length(), to, lower);
        }

        private boolean startsWith(int at, String s) {
            if (at + s.length() > len) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                if (b[at + i] != s.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private int find(int from, String s) {
            for (int i = from; i + s.length() <= len; i++) {
                if (startsWith(i, s)) {
                    return i;
                }
            }
            return -1;
        }

        private int findIgnoreCase(int from, int to, String lower) {
            for (int i = from; i + lower.length() <= to; i++) {
                if (wordIs(i, i + lower.length(), lower)) {
                    return i;
                }
            }
            return -1;
        }

        /** The position after {@code s}, or -1 when the prefix ends first. */
        private int skipPast(int from, String s) {
            int at = find(from, s);
            return at < 0 ? -1 : at + s.length();
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isNameEnd(byte c) {
        return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static int indexOf(byte[] b, byte c, int from, int len) {
        for (int i = from; i < len; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
