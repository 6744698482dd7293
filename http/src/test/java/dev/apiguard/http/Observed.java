package dev.apiguard.http;

import java.nio.charset.StandardCharsets;

import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;

/** An Exchange with its prefix as text, so that records compare by value in assertions. */
record Observed(
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
        String prefix,
        boolean truncated) {

    static Observed of(Exchange e) {
        return new Observed(e.service(), e.side(), e.method(), e.rawPath(), e.status(), e.startNanos(), e.endNanos(),
                e.requestBytes(), e.responseBytes(), e.contentType(), e.contentEncoding(),
                new String(e.responsePrefix(), StandardCharsets.ISO_8859_1), e.responsePrefixTruncated());
    }
}
