package dev.apiguard.routes;

/** Request target to path, and path to heuristic template. Character-level, no regex. */
final class Paths {
    static final String ID = Segments.ID;
    static final String REST = "{rest}";
    /** Segments kept in a route; deeper ones become {@value #REST}. */
    static final int MAX_SEGMENTS = 32;

    private Paths() {}

    /**
     * The path of a request target: query and fragment dropped, absolute-form reduced to its path,
     * {@code *} kept, empty made {@code /}. Other forms (a CONNECT's host:port) get a leading slash.
     */
    static String pathOf(String target) {
        if (target == null || target.isEmpty()) {
            return "/";
        }
        int end = target.length();
        for (int i = 0; i < end; i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        int start = 0;
        if (target.charAt(0) != '/') {
            int scheme = target.indexOf("://");
            if (scheme > 0 && scheme < end) {
                int slash = target.indexOf('/', scheme + 3);
                if (slash < 0 || slash >= end) {
                    return "/";
                }
                start = slash;
            } else if (end == 1 && target.charAt(0) == '*') {
                return "*";
            } else if (end == 0) {
                return "/";
            } else {
                return "/" + target.substring(0, end);
            }
        }
        return start == 0 && end == target.length() ? target : target.substring(start, end);
    }

    /**
     * The path with every identifier-like or secret-looking segment replaced by a placeholder
     * ({@link Segments#placeholder}), path parameters ({@code ;jsessionid=...}) dropped, and segments
     * past {@value #MAX_SEGMENTS} folded into {@value #REST}. Returns {@code path} itself when nothing changed.
     */
    static String template(String path) {
        StringBuilder out = null;
        int length = path.length();
        int segmentStart = 0;
        int segments = 0;
        for (int i = 0; i <= length; i++) {
            if (i < length && path.charAt(i) != '/') {
                continue;
            }
            if (segmentStart > 0 && ++segments > MAX_SEGMENTS) {
                // A label value stays bounded however deep the path goes.
                if (out == null) {
                    out = new StringBuilder(length).append(path, 0, segmentStart);
                }
                out.append(REST);
                return out.toString();
            }
            int end = Segments.parametersStart(path, segmentStart, i);
            String placeholder = end > segmentStart ? Segments.placeholder(path, segmentStart, end) : null;
            if (placeholder != null || end < i) {
                if (out == null) {
                    out = new StringBuilder(length).append(path, 0, segmentStart);
                }
                if (placeholder != null) {
                    out.append(placeholder);
                } else {
                    out.append(path, segmentStart, end);
                }
            } else if (out != null) {
                out.append(path, segmentStart, i);
            }
            if (i < length && out != null) {
                out.append('/');
            }
            segmentStart = i + 1;
        }
        return out == null ? path : out.toString();
    }

    /**
     * Whether a path segment names one thing among many rather than a kind of thing: numbers, UUIDs,
     * long hex strings, random-looking tokens and strings made mostly of digits.
     */
    static boolean isIdentifier(String s, int from, int to) {
        int length = to - from;
        int digits = 0;
        int lower = 0;
        int upper = 0;
        int hexLetters = 0;
        int dashes = 0;
        int underscores = 0;
        int other = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c >= 'a' && c <= 'z') {
                lower++;
                if (c <= 'f') hexLetters++;
            } else if (c >= 'A' && c <= 'Z') {
                upper++;
                if (c <= 'F') hexLetters++;
            } else if (c == '-') {
                dashes++;
            } else if (c == '_') {
                underscores++;
            } else {
                other++;
            }
        }
        int letters = lower + upper;
        if (digits == length) {
            return true; // 42, 20240115
        }
        if (other == 0 && dashes == 0 && underscores == 0 && digits + hexLetters == length && length >= 16) {
            return true; // long hex: hashes, object ids
        }
        if (length == 36 && isUuid(s, from)) {
            return true;
        }
        boolean tokenChars = other == 0;
        if (tokenChars && length >= 16 && digits > 0 && letters > 0 && !isSlug(s, from, to)) {
            return true; // base62/base64url ids such as aZ3kP9qL2mN8xR4t
        }
        // Mostly digits with a prefix or separators: ord_83920, INV-2024-000123, 2024-01-15, 10.0.0.1
        return length >= 8 && digits * 2 >= length;
    }

    private static boolean isUuid(String s, int from) {
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(from + i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Words joined by dashes, each all letters or all digits (my-product-name-2024): a readable name. */
    private static boolean isSlug(String s, int from, int to) {
        boolean sawDash = false;
        int partStart = from;
        for (int i = from; i <= to; i++) {
            if (i < to && s.charAt(i) != '-') {
                continue;
            }
            if (i < to) {
                sawDash = true;
            }
            boolean hasLetter = false;
            boolean hasDigit = false;
            for (int k = partStart; k < i; k++) {
                char c = s.charAt(k);
                if (c >= '0' && c <= '9') hasDigit = true;
                else hasLetter = true;
            }
            if (hasLetter && hasDigit) {
                return false;
            }
            partStart = i + 1;
        }
        return sawDash;
    }
}
