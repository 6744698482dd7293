package dev.apiguard.semantics;

/**
 * What one body's top-level envelope says, filled by {@link JsonScan} or {@link XmlScan} and judged
 * by {@link #judge}. Mutable scratch, reused per thread and reset per call, so a verdict allocates
 * next to nothing.
 */
final class Envelope {
    static final int MAX_HINTS = 512;
    private static final int MAX_HINT_PER_VALUE = 128;

    enum TopLevel { NONE, OBJECT, ARRAY, SCALAR }

    enum Judgement { OK, PARTIAL, FAILURE }

    TopLevel topLevel;
    /** Top-level members seen. */
    int members;
    boolean successTrue;
    boolean successFalse;
    boolean failureFlag;
    boolean errorMeaningful;
    boolean errorDetailMeaningful;
    boolean errorsArrayMeaningful;
    boolean dataPresent;
    boolean jsonrpc;
    boolean statusFailure;
    boolean statusFailureFromResult;
    boolean statusSuccess;
    boolean statusFalse;
    boolean resourceLike;
    boolean codeNumeric;
    long codeNumber;
    boolean codeStringFailure;
    boolean codeSuccess;
    boolean errorCodeFailure;
    /** The first 4xx/5xx number found in a status- or code-like field; 0 when none. */
    long httpLike;
    boolean httpLikeSuccess;
    long jsonRpcCode;
    boolean messagePresent;
    boolean messageSuccess;
    boolean problemMedia;
    boolean problemTypeUri;
    boolean problemTitle;
    boolean problemDetail;
    boolean problemInstance;
    boolean awsType;
    /** XML: a SOAP Fault, or an {@code <Error>} document. */
    boolean xmlFault;

    /** Lower-cased text of codes, messages and error members, for type inference. */
    final char[] hints = new char[MAX_HINTS];
    int hintLength;

    void reset() {
        topLevel = TopLevel.NONE;
        members = 0;
        successTrue = successFalse = failureFlag = errorMeaningful = errorDetailMeaningful = errorsArrayMeaningful = false;
        dataPresent = jsonrpc = statusFailure = statusFailureFromResult = statusSuccess = statusFalse = false;
        resourceLike = codeNumeric = codeStringFailure = codeSuccess = errorCodeFailure = false;
        codeNumber = 0;
        httpLike = 0;
        httpLikeSuccess = false;
        jsonRpcCode = 0;
        messagePresent = messageSuccess = false;
        problemMedia = problemTypeUri = problemTitle = problemDetail = problemInstance = false;
        awsType = xmlFault = false;
        hintLength = 0;
    }

    void hint(char[] text, int off, int len) {
        int room = MAX_HINTS - hintLength - 1;
        int n = Math.min(Math.min(len, MAX_HINT_PER_VALUE), room);
        if (n <= 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            hints[hintLength++] = Text.lower(text[off + i]);
        }
        hints[hintLength++] = ' ';
    }

    void hintByte(byte b) {
        if (hintLength < MAX_HINTS) {
            hints[hintLength++] = b >= 0 ? Text.lower((char) b) : ' ';
        }
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

    /** Signals that alone say the request failed. */
    boolean strongFailure() {
        boolean statusSaysFailed = statusFailure && !resourceLike && !(statusFailureFromResult && jsonrpc);
        return successFalse || failureFlag || errorMeaningful || statusSaysFailed
                || ((errorCodeFailure || errorDetailMeaningful) && !resourceLike) || awsType || problemDocument() || xmlFault;
    }

    /** Signals that need a message beside them and yield to any success indication. */
    boolean weakFailure() {
        if (resourceLike || !messagePresent || messageSuccess) {
            return false;
        }
        boolean badCode = codeNumeric && codeNumber != 0 && !(codeNumber >= 200 && codeNumber <= 299);
        return badCode || codeStringFailure || httpLike != 0 || statusFalse;
    }

    boolean successSaid() {
        return statusSuccess || messageSuccess || codeSuccess || httpLikeSuccess
                || (codeNumeric && (codeNumber == 0 || (codeNumber >= 200 && codeNumber <= 299)));
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

    /**
     * The built-in verdict. For a 2xx, an explicit success flag wins, a GraphQL {@code errors} beside
     * {@code data} is a partial success, then strong signals, then weak ones unless the body also says
     * success. For a 4xx any non-empty JSON object counts: it is the API describing the error.
     */
    Judgement judge(int status) {
        if (xmlFault) {
            return Judgement.FAILURE;
        }
        if (topLevel != TopLevel.OBJECT) {
            return Judgement.OK;
        }
        if (errorsArrayMeaningful && dataPresent && !successFalse) {
            return Judgement.PARTIAL;
        }
        if (status >= 400) {
            // A 4xx that answers with a structured object is the API describing the error.
            return members > 0 ? Judgement.FAILURE : Judgement.OK;
        }
        if (successTrue) {
            return Judgement.OK;
        }
        if (strongFailure()) {
            return Judgement.FAILURE;
        }
        return weakFailure() && !successSaid() ? Judgement.FAILURE : Judgement.OK;
    }

    /** The type: the 4xx status first, then JSON-RPC reserved codes, then the body's words, then its numbers. */
    ErrorType inferType(int status) {
        ErrorType type = status >= 400 && status < 500 ? TypeHints.fromStatus(status) : null;
        if (type == null && jsonRpcCode != 0) {
            type = TypeHints.fromJsonRpcCode(jsonRpcCode); // the spec's reserved codes are exact
        }
        if (type == null) {
            type = TypeHints.fromText(hints, hintLength);
        }
        if (type == null && httpLike != 0) {
            type = TypeHints.fromStatus(httpLike);
        }
        return type == null ? ErrorType.GENERIC_BUSINESS_ERROR : type;
    }
}
