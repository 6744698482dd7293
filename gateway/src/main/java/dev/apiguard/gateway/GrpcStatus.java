package dev.apiguard.gateway;

import dev.apiguard.semantics.ErrorType;
import dev.apiguard.semantics.Severity;
import dev.apiguard.semantics.Verdict;

/**
 * What a gRPC status code means to the breaker and the metrics (docs/architecture.md, gRPC): OK is
 * a success; UNAVAILABLE, INTERNAL, UNKNOWN, DATA_LOSS, DEADLINE_EXCEEDED and UNIMPLEMENTED are the
 * backend failing (like a 5xx); every other code is a business error, recorded with the canonical
 * gRPC-to-HTTP status and {@code silent="true"} (the transport said 200).
 *
 * @param httpStatus the HTTP-like status the exchange is recorded with ({@code status_class})
 * @param verdict the verdict recorded with it
 * @param outcome what the method's breaker counts, business codes tripping
 */
record GrpcStatus(int code, int httpStatus, Verdict verdict, Outcome outcome) {
    static final int OK = 0;
    static final int UNAVAILABLE = 14;

    /** The status of a {@code grpc-status} value; null when absent or not a number (no signal). */
    static GrpcStatus of(CharSequence value) {
        if (value == null) {
            return null;
        }
        int code;
        try {
            code = Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
        return of(code);
    }

    static GrpcStatus of(int code) {
        return switch (code) {
            case 0 -> new GrpcStatus(code, 200, new Verdict.Ok(true), Outcome.SUCCESS);
            case 2, 13, 15 -> system(code, 500); // UNKNOWN, INTERNAL, DATA_LOSS
            case 4 -> system(code, 504); // DEADLINE_EXCEEDED
            case 12 -> system(code, 501); // UNIMPLEMENTED
            case 14 -> system(code, 503); // UNAVAILABLE
            case 1 -> business(code, 499, ErrorType.GENERIC_BUSINESS_ERROR); // CANCELLED
            case 3, 9, 11 -> business(code, 400, ErrorType.VALIDATION); // INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE
            case 5 -> business(code, 404, ErrorType.NOT_FOUND);
            case 6 -> business(code, 409, ErrorType.VALIDATION); // ALREADY_EXISTS
            case 7 -> business(code, 403, ErrorType.AUTH_FAILURE); // PERMISSION_DENIED
            case 8 -> business(code, 429, ErrorType.RATE_LIMIT); // RESOURCE_EXHAUSTED
            case 10 -> business(code, 409, ErrorType.GENERIC_BUSINESS_ERROR); // ABORTED
            case 16 -> business(code, 401, ErrorType.AUTH_FAILURE); // UNAUTHENTICATED
            default -> system(code, 500); // not a code gRPC defines: UNKNOWN, as gRPC clients read it
        };
    }

    boolean businessError() {
        return outcome == Outcome.BUSINESS_ERROR;
    }

    /** The breaker's outcome under {@code grpc.business-codes-trip}. */
    Outcome outcome(boolean businessCodesTrip) {
        return businessError() && !businessCodesTrip ? Outcome.SUCCESS : outcome;
    }

    private static GrpcStatus system(int code, int http) {
        return new GrpcStatus(code, http, new Verdict.Ok(false), Outcome.SERVER_ERROR);
    }

    private static GrpcStatus business(int code, int http, ErrorType type) {
        return new GrpcStatus(code, http, new Verdict.BusinessError(type, severity(type), true), Outcome.BUSINESS_ERROR);
    }

    /** The semantics stage's default severities. */
    private static Severity severity(ErrorType type) {
        return switch (type) {
            case PAYMENT_FAILURE -> Severity.CRITICAL;
            case AUTH_FAILURE, RATE_LIMIT -> Severity.HIGH;
            case VALIDATION, GENERIC_BUSINESS_ERROR -> Severity.MEDIUM;
            case NOT_FOUND -> Severity.LOW;
        };
    }
}
