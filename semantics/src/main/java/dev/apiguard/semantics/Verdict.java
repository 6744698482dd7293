package dev.apiguard.semantics;

/**
 * What a response says about the operation it answered. Leaves the agent; the body never does.
 *
 * <p>{@code silent} is true when the status was 2xx: the failure is invisible to status-code
 * dashboards.
 */
public sealed interface Verdict permits Verdict.Ok, Verdict.PartialSuccess, Verdict.BusinessError {

    boolean silent();

    /** The operation succeeded, or the response is not something we classify. */
    record Ok(boolean silent) implements Verdict {}

    /** Part of the operation failed and part succeeded (GraphQL errors beside data). */
    record PartialSuccess(boolean silent) implements Verdict {}

    /**
     * What kind of evidence a business error rests on: the body's structure, not its type. A closed
     * set, so it can be logged or counted without bounding.
     */
    enum Family {
        /** A top-level envelope: success flag false, a non-empty error member, a failure word in a status. */
        ENVELOPE("envelope"),
        /** An RFC 7807/9457 problem document, or an AWS JSON {@code __type}. */
        PROBLEM("problem"),
        /** A JSON-RPC 2.0 error. */
        JSONRPC("jsonrpc"),
        /** GraphQL: errors without usable data, or a mutation payload's {@code userErrors}. */
        GRAPHQL("graphql"),
        /** A payment or transaction decision: declined, refused, not approved. */
        PAYMENT("payment"),
        /** A vendor status code ({@code errcode}, {@code resultCode}, {@code ret} ...) that is not its success value. */
        VENDOR_CODE("vendor_code"),
        /** A batch or multi-status answer whose items report failures. */
        BATCH("batch"),
        /** An XML answer: SOAP or XML-RPC fault, {@code <Error>}, {@code stat="fail"}, {@code <Ack>Failure</Ack>}. */
        XML("xml"),
        /** A form-encoded answer ({@code ACK=Failure&L_ERRORCODE0=...}). */
        FORM("form"),
        /** A newline-delimited JSON stream whose last complete line reports an error. */
        NDJSON("ndjson"),
        /** A user rule from the {@code semantics} config. */
        USER_RULE("user_rule"),
        /** A learned per-route baseline. */
        LEARNED("learned");

        private final String label;

        Family(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * The body reports a business failure.
     *
     * @param family what kind of evidence the verdict rests on
     * @param batchPartial true when the answer is a batch (or multi-status) in which some items failed and
     *     others succeeded (or their number is unknown); the JSON's {@code partial_success} then is true too
     */
    record BusinessError(ErrorType type, Severity severity, boolean silent, Family family, boolean batchPartial)
            implements Verdict {
        public BusinessError {
            if (family == null) {
                family = Family.ENVELOPE;
            }
        }

        /** A plain envelope error (the common case, and the form other modules build in tests). */
        public BusinessError(ErrorType type, Severity severity, boolean silent) {
            this(type, severity, silent, Family.ENVELOPE, false);
        }
    }

    /** The contract's JSON form: one object on one line. */
    default String toJson() {
        return switch (this) {
            case Ok ok -> json(false, null, null, ok.silent(), false, null, false);
            case PartialSuccess p -> json(false, null, null, p.silent(), true, null, false);
            case BusinessError e -> json(true, e.type().label(), e.severity().label(), e.silent(), e.batchPartial(),
                    e.family().label(), e.batchPartial());
        };
    }

    private static String json(boolean error, String type, String severity, boolean silent, boolean partial,
            String family, boolean batchPartial) {
        return "{\"business_error\":" + error
                + ",\"error_type\":" + (type == null ? "null" : "\"" + type + "\"")
                + ",\"severity\":" + (severity == null ? "null" : "\"" + severity + "\"")
                + ",\"silent\":" + silent
                + ",\"partial_success\":" + partial
                + ",\"family\":" + (family == null ? "null" : "\"" + family + "\"")
                + ",\"batch_partial\":" + batchPartial + "}";
    }
}
