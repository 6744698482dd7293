package dev.apiguard.semantics;

/**
 * The verdict of a gRPC call from its grpc-status (the contract in docs/architecture.md): OK is a
 * success; UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE and DATA_LOSS are
 * system errors (5xx, no business verdict); every other code is a business error, silent because
 * HTTP said 200. The severity is the error type's default.
 */
public final class GrpcVerdicts {
    private GrpcVerdicts() {}

    /** The verdict for a gRPC status code; {@code httpStatus} is the exchange's (canonical) status. */
    public static Verdict verdict(int grpcStatus, int httpStatus) {
        ErrorType type = switch (grpcStatus) {
            case 5 -> ErrorType.NOT_FOUND;
            case 3, 9, 11, 6 -> ErrorType.VALIDATION; // INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE, ALREADY_EXISTS
            case 16, 7 -> ErrorType.AUTH_FAILURE; // UNAUTHENTICATED, PERMISSION_DENIED
            case 8 -> ErrorType.RATE_LIMIT; // RESOURCE_EXHAUSTED
            case 10, 1 -> ErrorType.GENERIC_BUSINESS_ERROR; // ABORTED, CANCELLED
            default -> null; // OK, the system errors, and codes gRPC does not define
        };
        if (type == null) {
            return new Verdict.Ok(httpStatus >= 200 && httpStatus < 300);
        }
        return new Verdict.BusinessError(type, SeverityPolicy.defaultFor(type), true);
    }
}
