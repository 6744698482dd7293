package dev.apiguard.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Why {@link RequestValidator} refuses a request: set as the request's decoder failure, so that
 * {@link FrontendHandler} answers it in order, after any response still owed on the connection.
 * Carries no stack trace: it is an answer, not an error.
 */
final class RequestRejected extends RuntimeException {
    private final HttpResponseStatus status;
    private final String reason;

    RequestRejected(HttpResponseStatus status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    HttpResponseStatus status() {
        return status;
    }

    /** The {@code reason} label of {@code apiguard_gateway_rejected_total}. */
    String reason() {
        return reason;
    }
}
