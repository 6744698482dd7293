package dev.apiguard.semantics;

/**
 * What the classifier may look at: the request method, the status, two headers and the start of the body.
 *
 * @param route route template, for rules scoped by route (may be null)
 * @param status response status code
 * @param contentType Content-Type header value, or null
 * @param contentEncoding Content-Encoding header value (gzip, deflate), or null
 * @param body the captured start of the body, as on the wire
 * @param truncated true when the body continued past {@code body}
 * @param method the request method (GET, POST ...), or null when unknown. It tells a request that made
 *        something (a charge it returns as declined failed) from one that read a record (a declined
 *        charge read back is a successful read); unknown judges as before the method was known.
 */
public record ResponseSample(
        String route, int status, String contentType, String contentEncoding, byte[] body, boolean truncated,
        String method) {

    /** A sample whose request method is unknown. */
    public ResponseSample(String route, int status, String contentType, String contentEncoding, byte[] body,
            boolean truncated) {
        this(route, status, contentType, contentEncoding, body, truncated, null);
    }

    /** What the method says about this request's intent. */
    enum Intent {
        /** No method, or one that says neither (OPTIONS, a WebDAV or custom verb). */
        UNKNOWN,
        /** GET or HEAD: the request read something; a record it returns describes the past. */
        READ,
        /**
         * POST, PUT or PATCH: the request asked for something to be made or changed; the record it returns is
         * the outcome. (A POST to a lookup route reads.)
         */
        WRITE
    }

    Intent intent() {
        String m = method;
        if (m == null) {
            return Intent.UNKNOWN;
        }
        if (m.equalsIgnoreCase("GET") || m.equalsIgnoreCase("HEAD")) {
            return Intent.READ;
        }
        if (m.equalsIgnoreCase("POST") || m.equalsIgnoreCase("PUT") || m.equalsIgnoreCase("PATCH")) {
            return queryRoute(route) ? Intent.READ : Intent.WRITE;
        }
        return Intent.UNKNOWN;
    }

    /**
     * A GET or HEAD whose route ends in a template parameter ({@code /jobs/{id}}, {@code /builds/id:{buildId}}): it
     * reads one record, named by its id. Route templates name such segments in braces.
     */
    boolean namesOneRecord() {
        String r = route;
        if (r == null || intent() != Intent.READ) {
            return false;
        }
        int end = r.length();
        while (end > 0 && r.charAt(end - 1) == '/') {
            end--;
        }
        int start = r.lastIndexOf('/', end - 1) + 1;
        return end - start > 2 && r.charAt(end - 1) == '}' && r.indexOf('{', start) >= start;
    }

    /** Last route segments (or custom-method suffixes, {@code threatMatches:find}) that name a lookup. */
    private static final String[] LOOKUPS = {"query", "inquiry", "enquiry", "search", "lookup", "status"};

    /**
     * A POST to a route whose last segment names a lookup ({@code /payment/query}, {@code /orders/search},
     * {@code /transaction/status}, {@code /query.trans}) reads: many payment APIs query a transaction's outcome with a POST.
     */
    static boolean queryRoute(String route) {
        if (route == null) {
            return false;
        }
        int end = route.length();
        while (end > 0 && route.charAt(end - 1) == '/') {
            end--;
        }
        int start = Math.max(route.lastIndexOf('/', end - 1), route.lastIndexOf(':', end - 1)) + 1;
        int dot = route.indexOf('.', start);
        if (dot > start && dot < end) {
            end = dot; // query.trans, status.json, orderquery.do: the name before the extension
        }
        int n = end - start;
        for (String word : LOOKUPS) {
            int w = word.length();
            if (n >= w && route.regionMatches(true, end - w, word, 0, w)) {
                return true;
            }
        }
        return false;
    }
}
