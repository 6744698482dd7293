package dev.apiguard.routes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One canonical spelling of a request path, so that every spelling a backend would resolve to the
 * same resource gets the same route key: the breaker's key in the gateway and the route label in
 * the agent's metrics.
 *
 * <p>{@link #of} gives two forms of an origin-form target ({@code /path[?query]}):
 * <ul>
 *   <li>{@link Canonical#path()}, what the gateway forwards: percent-encoding decoded once (only
 *       unreserved characters are decoded; every other escape is kept with upper-case hex, and raw
 *       characters outside the path syntax are escaped), dot segments resolved, repeated slashes
 *       collapsed, path parameters ({@code ;jsessionid=1}, in every segment) removed. Case, a
 *       format suffix and one trailing slash are kept: a backend may depend on them (Django's
 *       {@code APPEND_SLASH} would redirect a slashless path back to the slash, in a loop).
 *   <li>{@link Canonical#key()}, the route key: the path without its trailing slash, without an
 *       {@linkplain Options#ignoredSuffixes ignored format suffixes} on its last segment, and folded
 *       to lower case unless {@linkplain Options#caseSensitive routes are case-sensitive}. What the
 *       key drops is what the path keeps, so every spelling the path still allows maps to one key.
 * </ul>
 * Refused, never guessed: an encoded {@code /}, {@code \} or NUL (a backend that decodes before
 * splitting would see other segments), a raw {@code \} (a separator on some servers), control
 * characters, a malformed or double escape ({@code %252e}), and dot segments above the root.
 * Refusals are counted by reason ({@link #refusedCounts()}). The query is dropped from both forms
 * ({@link Canonical#query()} keeps it as sent); a fragment is dropped. Thread-safe.
 */
public final class CanonicalPath {

    /** Why a path has no canonical form. {@link #label()} is the metric label. */
    public enum Reason {
        ENCODED_SLASH("encoded_slash"),
        ENCODED_BACKSLASH("encoded_backslash"),
        ENCODED_NUL("encoded_nul"),
        BACKSLASH("backslash"),
        CONTROL_CHARACTER("control_character"),
        BAD_ENCODING("bad_encoding"),
        DOUBLE_ENCODING("double_encoding"),
        ABOVE_ROOT("above_root"),
        NOT_ORIGIN_FORM("bad_target");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The result of {@link #of}. */
    public sealed interface Result permits Canonical, Refused {}

    /**
     * @param path the normalised path to forward, starting with {@code /} (or {@code *})
     * @param key the route key: {@code path} without trailing slash and ignored suffix, case-folded
     *     when configured
     * @param stem the key before case folding: the templater judges segments on it (a token's
     *     mixed case is what tells it from a word), then folds the template
     * @param query the query as sent, without {@code ?}; null without one
     */
    public record Canonical(String path, String key, String stem, String query) implements Result {
        /** {@code path}, then {@code ?query} when there was one. */
        public String target() {
            return query == null ? path : path + "?" + query;
        }
    }

    /** @param detail one line for the client and the log */
    public record Refused(Reason reason, String detail) implements Result {}

    /**
     * @param caseSensitive routes differ by case, so the key keeps it (default false: the key is
     *     folded to lower case, so that an open breaker holds for {@code /API/Checkout} on a backend
     *     that routes case-insensitively, such as ASP.NET or Spring with case-insensitive matching;
     *     on a case-sensitive backend it only merges routes that differ by case alone)
     * @param ignoredSuffixes format suffixes the key drops from the last segment, compared without
     *     case (default {@code .json}, {@code .xml}: Rails formats and Spring's old suffix pattern
     *     match resolve {@code /checkout.json} to {@code /checkout})
     */
    public record Options(boolean caseSensitive, List<String> ignoredSuffixes) {
        public static final List<String> DEFAULT_IGNORED_SUFFIXES = List.of(".json", ".xml");

        public Options {
            ignoredSuffixes = List.copyOf(ignoredSuffixes);
            for (String s : ignoredSuffixes) {
                if (s.length() < 2 || s.charAt(0) != '.' || s.indexOf('/') >= 0 || s.indexOf('.', 1) >= 0) {
                    throw new IllegalArgumentException("routes.ignored-suffixes: a suffix is a dot and a word such as"
                            + " .json, got '" + s + "'");
                }
            }
        }

        public static Options defaults() {
            return new Options(false, DEFAULT_IGNORED_SUFFIXES);
        }
    }

    private static final String HEX = "0123456789ABCDEF";

    private final boolean caseSensitive;
    private final String[] suffixes;
    private final EnumMap<Reason, LongAdder> refused = new EnumMap<>(Reason.class);

    public CanonicalPath(Options options) {
        this.caseSensitive = options.caseSensitive();
        this.suffixes = options.ignoredSuffixes().stream().map(s -> s.toLowerCase(Locale.ROOT)).toArray(String[]::new);
        for (Reason r : Reason.values()) {
            refused.put(r, new LongAdder());
        }
    }

    /** The canonical form of an origin-form target ({@code /path[?query][#fragment]}) or {@code *}. */
    public Result of(String target) {
        Result result = canonicalize(target == null ? "" : target);
        if (result instanceof Refused r) {
            refused.get(r.reason()).increment();
        }
        return result;
    }

    /** Refusals since start, by reason label; reasons never seen are left out. */
    public Map<String, Long> refusedCounts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        refused.forEach((reason, n) -> {
            long v = n.sum();
            if (v > 0) {
                counts.put(reason.label(), v);
            }
        });
        return counts;
    }

    private Result canonicalize(String target) {
        int end = target.length();
        int queryStart = -1;
        for (int i = 0; i < end; i++) {
            char c = target.charAt(i);
            if (c == '?' && queryStart < 0) {
                queryStart = i;
            } else if (c == '#') {
                end = i;
                break;
            }
        }
        String query = queryStart < 0 ? null : target.substring(queryStart + 1, end);
        int pathEnd = queryStart < 0 ? end : queryStart;
        if (pathEnd == 1 && target.charAt(0) == '*') {
            return new Canonical("*", "*", "*", query);
        }
        if (pathEnd == 0 || target.charAt(0) != '/') {
            return new Refused(Reason.NOT_ORIGIN_FORM, "the request target must start with '/'");
        }
        if (plain(target, pathEnd)) {
            // The common case, already canonical: no escape, parameter, dot segment or empty segment.
            String path = pathEnd == target.length() ? target : target.substring(0, pathEnd);
            String slashless = pathEnd > 1 && path.charAt(pathEnd - 1) == '/' ? path.substring(0, pathEnd - 1) : path;
            String stem = stemOf(slashless);
            return new Canonical(path, fold(stem), stem, query);
        }
        // 1. Escapes: decode unreserved characters once, keep the rest escaped (upper-case hex).
        StringBuilder decoded = new StringBuilder(pathEnd);
        for (int i = 0; i < pathEnd; i++) {
            char c = target.charAt(i);
            if (c == '%') {
                int hi = i + 2 < pathEnd ? hex(target.charAt(i + 1)) : -1;
                int lo = hi >= 0 ? hex(target.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    return new Refused(Reason.BAD_ENCODING, "a '%' not followed by two hex digits");
                }
                int b = hi * 16 + lo;
                i += 2;
                switch (b) {
                    case '/' -> { return new Refused(Reason.ENCODED_SLASH, "an encoded '/' (%2F) in the path"); }
                    case '\\' -> { return new Refused(Reason.ENCODED_BACKSLASH, "an encoded '\\' (%5C) in the path"); }
                    case 0 -> { return new Refused(Reason.ENCODED_NUL, "an encoded NUL (%00) in the path"); }
                    default -> {
                        if (unreserved(b)) {
                            decoded.append((char) b);
                        } else {
                            escape(decoded, b);
                        }
                    }
                }
            } else if (c < 0x20 || c == 0x7f) {
                return new Refused(Reason.CONTROL_CHARACTER, "a control character in the path");
            } else if (c == '\\') {
                return new Refused(Reason.BACKSLASH, "a '\\' in the path");
            } else if (c < 0x80 && (unreserved(c) || subDelimOrColonAt(c) || c == '/')) {
                decoded.append(c);
            } else if (c <= 0xff) {
                escape(decoded, c); // a raw byte outside the path syntax (the request line is read as Latin-1)
            } else {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    escape(decoded, b & 0xff);
                }
            }
        }
        // An escaped '%' before two hex digits (%252e, or %25%32e once decoded) is an escape for a
        // backend that decodes twice: refused rather than guessed.
        for (int i = decoded.indexOf("%25"); i >= 0; i = decoded.indexOf("%25", i + 3)) {
            if (i + 4 < decoded.length() && hex(decoded.charAt(i + 3)) >= 0 && hex(decoded.charAt(i + 4)) >= 0) {
                return new Refused(Reason.DOUBLE_ENCODING, "a double escape (%25 followed by hex) in the path");
            }
        }
        // 2. Segments: drop path parameters, empty and '.' segments; '..' removes the one before.
        List<String> segments = new ArrayList<>();
        boolean trailingSlash = false;
        int length = decoded.length();
        int start = 1;
        for (int i = 1; i <= length; i++) {
            if (i < length && decoded.charAt(i) != '/') {
                continue;
            }
            int segmentEnd = i;
            for (int k = start; k < i; k++) {
                if (decoded.charAt(k) == ';') {
                    segmentEnd = k;
                    break;
                }
            }
            boolean last = i == length;
            String segment = decoded.substring(start, segmentEnd);
            switch (segment) {
                case "", "." -> trailingSlash = last;
                case ".." -> {
                    if (segments.isEmpty()) {
                        return new Refused(Reason.ABOVE_ROOT, "'..' above the root of the path");
                    }
                    segments.removeLast();
                    trailingSlash = last;
                }
                default -> {
                    segments.add(segment);
                    trailingSlash = false;
                }
            }
            start = i + 1;
        }
        StringBuilder path = new StringBuilder(length);
        for (String segment : segments) {
            path.append('/').append(segment);
        }
        String stem = stemOf(path.isEmpty() ? "/" : path.toString());
        if (path.isEmpty() || trailingSlash) {
            path.append('/');
        }
        return new Canonical(path.toString(), fold(stem), stem, query);
    }

    /** True when {@code target[0, end)} is already canonical: plain characters, no empty, '.' or '..' segment. */
    private static boolean plain(String target, int end) {
        for (int i = 0; i < end; i++) {
            char c = target.charAt(i);
            if (c == '/') {
                if (i + 1 < end && (target.charAt(i + 1) == '/' || target.charAt(i + 1) == '.')) {
                    return false;
                }
            } else if (c >= 0x80 || c == ';' || !(unreserved(c) || subDelimOrColonAt(c))) {
                return false;
            }
        }
        return true;
    }

    /** The key, case-folded when routes are case-insensitive. */
    String fold(String stem) {
        return caseSensitive ? stem : stem.toLowerCase(Locale.ROOT);
    }

    /** The key before case folding, from the path without its trailing slash ("/" for the root). */
    private String stemOf(String slashless) {
        String key = slashless;
        int lastSegment = key.lastIndexOf('/') + 1;
        // Every trailing ignored suffix (/checkout.json.xml too: Spring's suffix match takes any tail).
        for (boolean stripped = true; stripped; ) {
            stripped = false;
            for (String suffix : suffixes) {
                int stem = key.length() - suffix.length() - lastSegment; // what the segment keeps
                if (stem > 0 && key.regionMatches(true, key.length() - suffix.length(), suffix, 0, suffix.length())
                        && !(key.charAt(lastSegment) == '.' && (stem == 1 || stem == 2 && key.charAt(lastSegment + 1) == '.'))) {
                    key = key.substring(0, key.length() - suffix.length()); // never leaves a '.' or '..' segment
                    stripped = true;
                }
            }
        }
        return key;
    }

    /** An ASCII hex digit's value, or -1 (Character.digit would also take other scripts' digits). */
    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private static boolean unreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** RFC 3986 sub-delims, ':' and '@': allowed raw in a path segment. */
    private static boolean subDelimOrColonAt(int c) {
        return "!$&'()*+,;=:@".indexOf(c) >= 0;
    }

    private static void escape(StringBuilder out, int b) {
        out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xf));
    }
}
