package dev.apiguard.http;

import dev.apiguard.capture.ConnectionKey;

/**
 * One HTTP request and its response: the unit that flows through the rest of the pipeline.
 *
 * <p>{@code responsePrefix} holds at most the first KiB of the response body as it was on the wire
 * (still compressed when {@code contentEncoding} says so). It never leaves the process: only
 * verdicts and aggregates derived from it do.
 *
 * @param service the server process's name (comm), or what config maps it to
 * @param side who observed it
 * @param method request method as sent (the metrics stage folds unknown ones into {@code _OTHER})
 * @param rawPath request target without any normalisation (may hold a query string)
 * @param status response status code
 * @param startNanos first request byte, kernel monotonic clock (gateway: System.nanoTime)
 * @param endNanos last response byte, same clock
 * @param requestBytes request size on the wire, headers included
 * @param responseBytes response size on the wire, headers included
 * @param contentType response Content-Type header value, or null
 * @param contentEncoding response Content-Encoding header value, or null
 * @param responsePrefix start of the response body, never exported
 * @param responsePrefixTruncated true when the body was longer than the prefix (or had gaps)
 * @param connection the connection it travelled on (null for the gateway)
 * @param tls it travelled inside TLS (the agent read it as plaintext from a TLS library)
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
        ConnectionKey connection,
        boolean tls) {

    /** An exchange seen in plaintext on the wire (not inside TLS). */
    public Exchange(String service, Side side, String method, String rawPath, int status, long startNanos, long endNanos,
            long requestBytes, long responseBytes, String contentType, String contentEncoding, byte[] responsePrefix,
            boolean responsePrefixTruncated, ConnectionKey connection) {
        this(service, side, method, rawPath, status, startNanos, endNanos, requestBytes, responseBytes, contentType,
                contentEncoding, responsePrefix, responsePrefixTruncated, connection, false);
    }

    public long durationNanos() {
        return Math.max(0, endNanos - startNanos);
    }
}
