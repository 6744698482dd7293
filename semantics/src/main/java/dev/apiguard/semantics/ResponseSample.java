package dev.apiguard.semantics;

/**
 * What the classifier may look at: the status, two headers and the start of the body.
 *
 * @param route route template, for rules scoped by route (may be null)
 * @param status response status code
 * @param contentType Content-Type header value, or null
 * @param contentEncoding Content-Encoding header value (gzip, deflate), or null
 * @param body the captured start of the body, as on the wire
 * @param truncated true when the body continued past {@code body}
 */
public record ResponseSample(
        String route, int status, String contentType, String contentEncoding, byte[] body, boolean truncated) {}
