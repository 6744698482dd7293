package dev.apiguard.model;

import java.util.Objects;

/**
 * One HTTP request and its response: the unit that flows through the pipeline, from either source
 * (the agent's http stage or the gateway).
 *
 * <p>{@code responsePrefix} holds at most {@link #RESPONSE_PREFIX_BYTES} of the response body as it
 * was on the wire (still compressed when {@code contentEncoding} says so). It never leaves the
 * process: only verdicts and aggregates derived from it do.
 *
 * @param service the server process's name (comm), or what config maps it to
 * @param side who observed it
 * @param method request method as sent (the metrics stage folds unknown ones into {@code _OTHER})
 * @param rawPath request target without any normalisation (may hold a query string)
 * @param status response status code
 * @param startNanos first request byte, monotonic clock (agent: the kernel's; gateway: System.nanoTime;
 *     both CLOCK_MONOTONIC on Linux)
 * @param endNanos last response byte, same clock
 * @param requestBytes request size on the wire, headers included (gateway: the body only)
 * @param responseBytes response size on the wire, headers included (gateway: the body only)
 * @param contentType response Content-Type header value, or null
 * @param contentEncoding response Content-Encoding header value, or null
 * @param responsePrefix start of the response body, never exported, never null (empty when there was none)
 * @param responsePrefixTruncated true when the body was longer than the prefix (or had gaps)
 * @param connection the connection it travelled on, never null
 * @param tls it travelled inside TLS (the agent read it as plaintext from a TLS library)
 * @param grpcStatus the gRPC status code from the trailers (or a Trailers-Only response) of a gRPC
 *     call, {@link #NO_GRPC_STATUS} otherwise; {@code status} then holds its canonical HTTP mapping
 */
public record Exchange(
        String service,
        Side side,
        String method,
        String rawPath,
        int status,
        long startNanos,
        long endNanos,
        long requestBytes,
        long responseBytes,
        String contentType,
        String contentEncoding,
        byte[] responsePrefix,
        boolean responsePrefixTruncated,
        ConnectionId connection,
        boolean tls,
        int grpcStatus) {

    /** {@code grpcStatus} of an exchange that is not a gRPC call (or whose status was never seen). */
    public static final int NO_GRPC_STATUS = -1;

    /**
     * How much of a response body the pipeline keeps for the classifier: the first KiB. The one
     * definition; the kernel's per-syscall copy ({@code MAX_CAPTURE} in capture's apiguard.h) is sized
     * to it.
     */
    public static final int RESPONSE_PREFIX_BYTES = 1024;

    public Exchange {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(responsePrefix, "responsePrefix");
        Objects.requireNonNull(connection, "connection");
    }

    /** An exchange seen in plaintext (not inside TLS), without a gRPC status (every HTTP/1.x and plain HTTP/2 one). */
    public Exchange(String service, Side side, String method, String rawPath, int status, long startNanos, long endNanos,
            long requestBytes, long responseBytes, String contentType, String contentEncoding, byte[] responsePrefix,
            boolean responsePrefixTruncated, ConnectionId connection) {
        this(service, side, method, rawPath, status, startNanos, endNanos, requestBytes, responseBytes, contentType,
                contentEncoding, responsePrefix, responsePrefixTruncated, connection, false, NO_GRPC_STATUS);
    }

    /** An exchange without a gRPC status; {@code tls} says whether it travelled inside TLS. */
    public Exchange(String service, Side side, String method, String rawPath, int status, long startNanos, long endNanos,
            long requestBytes, long responseBytes, String contentType, String contentEncoding, byte[] responsePrefix,
            boolean responsePrefixTruncated, ConnectionId connection, boolean tls) {
        this(service, side, method, rawPath, status, startNanos, endNanos, requestBytes, responseBytes, contentType,
                contentEncoding, responsePrefix, responsePrefixTruncated, connection, tls, NO_GRPC_STATUS);
    }

    /** A gRPC call seen in plaintext (not inside TLS). */
    public Exchange(String service, Side side, String method, String rawPath, int status, long startNanos, long endNanos,
            long requestBytes, long responseBytes, String contentType, String contentEncoding, byte[] responsePrefix,
            boolean responsePrefixTruncated, ConnectionId connection, int grpcStatus) {
        this(service, side, method, rawPath, status, startNanos, endNanos, requestBytes, responseBytes, contentType,
                contentEncoding, responsePrefix, responsePrefixTruncated, connection, false, grpcStatus);
    }

    public long durationNanos() {
        return Math.max(0, endNanos - startNanos);
    }
}
