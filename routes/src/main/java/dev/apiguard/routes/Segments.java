package dev.apiguard.routes;

/**
 * Classifies one path segment: the placeholder it becomes, or null when it stays as it is.
 *
 * <p>Routes become metric labels, and labels are stored, scraped and shown to anyone who can read a
 * dashboard, so a segment that may carry a secret (a JWT, an e-mail address, an API key, a session
 * token) must never survive templating. The segment is judged on its percent-decoded form, so
 * {@code alice%40example.com} and {@code dGhp...%3D%3D} are caught like their plain forms; a segment
 * that stays is returned unchanged (raw). Character-level, no regex, no allocation unless the segment
 * is percent-encoded.
 */
final class Segments {
    static final String ID = "{id}";
    static final String TOKEN = "{token}";
    static final String EMAIL = "{email}";
    /** Longer segments always become a placeholder: a label value is bounded whatever the input. */
    static final int MAX_SEGMENT_CHARS = 64;
    /** Runs of token characters at least this long are judged for randomness. */
    private static final int TOKEN_RUN = 16;
    /** Prefixes of well-known API keys and tokens (cloud, payment, forge, chat). */
    private static final String[] KEY_PREFIXES = {
        "AKIA", "ASIA", "AIza", "sk_live_", "sk_test_", "pk_live_", "pk_test_", "rk_live_", "rk_test_",
        "ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxs-",
        "npm_", "pypi-", "SG.",
    };

    private Segments() {}

    /** The placeholder for {@code path[from, to)}, or null when the segment is kept. */
    static String placeholder(String path, int from, int to) {
        String s = path;
        if (indexOf(path, '%', from, to) >= 0) {
            s = percentDecoded(path, from, to);
            from = 0;
            to = s.length();
        }
        int length = to - from;
        if (length == 0) {
            return null;
        }
        if (isEmail(s, from, to)) {
            return EMAIL;
        }
        if (isJwtLike(s, from, to) || hasKeyPrefix(s, from, to)) {
            return TOKEN;
        }
        if (Paths.isIdentifier(s, from, to)) {
            return ID;
        }
        if (length > MAX_SEGMENT_CHARS || isPaddedBase64(s, from, to) || hasRandomRun(s, from, to)) {
            return TOKEN;
        }
        return null;
    }

    /**
     * Where the segment's path parameters start ({@code ;jsessionid=...}, also encoded as {@code %3B}),
     * or {@code to} when it has none. Path parameters are dropped from routes: they carry session ids.
     */
    static int parametersStart(String path, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c == ';') {
                return i;
            }
            if (c == '%' && i + 2 < to && path.charAt(i + 1) == '3' && (path.charAt(i + 2) == 'B' || path.charAt(i + 2) == 'b')) {
                return i;
            }
        }
        return to;
    }

    /**
     * {@code local@domain.tld}: a non-empty local part, and a domain with a dot whose last label is at
     * least two letters (so {@code lodash@4.17.21} and {@code @types} stay).
     */
    private static boolean isEmail(String s, int from, int to) {
        int at = indexOf(s, '@', from, to);
        if (at <= from) {
            return false;
        }
        int dot = -1;
        for (int i = to - 1; i > at; i--) {
            if (s.charAt(i) == '.') {
                dot = i;
                break;
            }
        }
        if (dot <= at + 1 || to - dot - 1 < 2) {
            return false;
        }
        for (int i = dot + 1; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A JWT (JWS: three base64url parts, JWE: five) or any base64-encoded JSON object: a header that
     * starts {@code eyJ} ({@code {"} encoded) and at least 16 characters.
     */
    private static boolean isJwtLike(String s, int from, int to) {
        if (to - from < TOKEN_RUN || !s.startsWith("eyJ", from)) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isBase64(c) && c != '.' && c != '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean hasKeyPrefix(String s, int from, int to) {
        if (to - from < TOKEN_RUN) {
            return false;
        }
        for (String prefix : KEY_PREFIXES) {
            if (s.startsWith(prefix, from)) {
                return true;
            }
        }
        return false;
    }

    /** Base64 (standard or url) of at least 16 characters ending in {@code =} padding. */
    private static boolean isPaddedBase64(String s, int from, int to) {
        int end = to;
        while (end > from && s.charAt(end - 1) == '=' && to - end < 2) {
            end--;
        }
        if (end == to || end - from < TOKEN_RUN) {
            return false;
        }
        for (int i = from; i < end; i++) {
            if (!isBase64(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the segment contains a run of at least 16 token characters ({@code A-Za-z0-9-_+/})
     * that looks random: letters and digits mixed (and not a dashed slug such as
     * {@code my-product-2024}), or letters whose case flips at least every third character, as in
     * base64 and unlike CamelCase words. Catches tokens inside {@code key=...}, {@code Bearer ...} and
     * file names with an embedded hash.
     */
    private static boolean hasRandomRun(String s, int from, int to) {
        int runStart = from;
        for (int i = from; i <= to; i++) {
            if (i < to && isBase64(s.charAt(i))) {
                continue;
            }
            if (i - runStart >= TOKEN_RUN && looksRandom(s, runStart, i)) {
                return true;
            }
            runStart = i + 1;
        }
        return false;
    }

    private static boolean looksRandom(String s, int from, int to) {
        int digits = 0;
        int upper = 0;
        int lower = 0;
        int caseFlips = 0;
        int letterPairs = 0;
        int previousCase = 0; // 1 upper, -1 lower, 0 not a letter
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            int letterCase = 0;
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c >= 'A' && c <= 'Z') {
                upper++;
                letterCase = 1;
            } else if (c >= 'a' && c <= 'z') {
                lower++;
                letterCase = -1;
            }
            if (letterCase != 0 && previousCase != 0) {
                letterPairs++;
                if (letterCase != previousCase) {
                    caseFlips++;
                }
            }
            previousCase = letterCase;
        }
        if (digits > 0 && upper + lower > 0 && !isSlug(s, from, to)) {
            return true;
        }
        return upper >= 2 && lower >= 2 && caseFlips * 3 >= letterPairs;
    }

    /** Words joined by {@code -} or {@code _}, each all letters or all digits: a readable name. */
    private static boolean isSlug(String s, int from, int to) {
        boolean joined = false;
        boolean hasLetter = false;
        boolean hasDigit = false;
        for (int i = from; i <= to; i++) {
            char c = i < to ? s.charAt(i) : '-';
            if (c == '-' || c == '_') {
                joined |= i < to;
                if (hasLetter && hasDigit) {
                    return false;
                }
                hasLetter = false;
                hasDigit = false;
            } else if (c >= '0' && c <= '9') {
                hasDigit = true;
            } else {
                hasLetter = true;
            }
        }
        return joined;
    }

    private static boolean isBase64(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '+' || c == '/';
    }

    private static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** {@code %XX} decoded to the byte's char (Latin-1: non-ASCII bytes only need to be "other"); bad escapes kept. */
    static String percentDecoded(String s, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < to) {
                int high = Character.digit(s.charAt(i + 1), 16);
                int low = Character.digit(s.charAt(i + 2), 16);
                if (high >= 0 && low >= 0) {
                    out.append((char) (high * 16 + low));
                    i += 2;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
