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

    /** The body reports a business failure. */
    record BusinessError(ErrorType type, Severity severity, boolean silent) implements Verdict {}

    /** The contract's JSON form: one object on one line. */
    default String toJson() {
        return switch (this) {
            case Ok ok -> json(false, null, null, ok.silent(), false);
            case PartialSuccess p -> json(false, null, null, p.silent(), true);
            case BusinessError e -> json(true, e.type().label(), e.severity().label(), e.silent(), false);
        };
    }

    private static String json(boolean error, String type, String severity, boolean silent, boolean partial) {
        return "{\"business_error\":" + error
                + ",\"error_type\":" + (type == null ? "null" : "\"" + type + "\"")
                + ",\"severity\":" + (severity == null ? "null" : "\"" + severity + "\"")
                + ",\"silent\":" + silent
                + ",\"partial_success\":" + partial + "}";
    }
}
