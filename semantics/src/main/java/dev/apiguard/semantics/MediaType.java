package dev.apiguard.semantics;

import java.util.Locale;

/** The body formats the classifier reads, from the Content-Type header. */
enum MediaType {
    JSON,
    /** {@code application/problem+json}: an RFC 7807/9457 problem document by declaration. */
    PROBLEM_JSON,
    XML,
    /** Newline-delimited JSON ({@code application/x-ndjson}, JSON Lines, JSON text sequences). */
    NDJSON,
    /** {@code application/x-www-form-urlencoded}. */
    FORM,
    /** {@code text/plain}, {@code text/namevalue}, {@code text/html}: read only when all of it parses as a form-encoded answer. */
    TEXT,
    OTHER;

    static MediaType of(String contentType) {
        String base = base(contentType);
        if (base.isEmpty()) {
            return OTHER;
        }
        if (base.equals("application/problem+json")) {
            return PROBLEM_JSON;
        }
        if (base.equals("application/json") || base.equals("text/json") || base.equals("application/x-json")
                || base.equals("application/json-rpc") || base.endsWith("+json")
                || base.startsWith("application/x-amz-json")) {
            return JSON;
        }
        if (base.equals("text/xml") || base.equals("application/xml") || base.endsWith("+xml")
                || (base.startsWith("application/vnd.") && (base.endsWith("_xml") || base.endsWith(".xml")))) {
            return XML;
        }
        if (base.equals("application/x-ndjson") || base.equals("application/ndjson") || base.equals("application/jsonl")
                || base.equals("application/x-jsonlines") || base.equals("application/jsonlines")
                || base.equals("application/json-seq")) {
            return NDJSON;
        }
        if (base.equals("application/x-www-form-urlencoded")) {
            return FORM;
        }
        if (base.equals("text/plain") || base.equals("text/namevalue") || base.equals("text/html")) {
            return TEXT;
        }
        return OTHER;
    }

    /** The media type without parameters, lower case and trimmed; "" when absent. */
    static String base(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String base = semicolon >= 0 ? contentType.substring(0, semicolon) : contentType;
        return base.trim().toLowerCase(Locale.ROOT);
    }

    boolean isJson() {
        return this == JSON || this == PROBLEM_JSON;
    }
}
