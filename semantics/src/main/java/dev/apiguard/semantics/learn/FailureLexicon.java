package dev.apiguard.semantics.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.apiguard.semantics.ErrorType;

/**
 * Words that say an operation failed, in the spellings APIs use ({@code CARD_DECLINED},
 * {@code cardDeclined}, {@code card-declined}, {@code "card declined"}), and the error type they
 * suggest. Deliberately separate from the built-in rules' word lists: a learned baseline only asks
 * "does this departure look like a failure", never "is this a failure" on its own.
 */
final class FailureLexicon {
    private static final int MAX_TEXT = 256;
    private static final Set<String> FAILURE = Set.of("error", "errors", "errored", "fail", "fails", "failed",
            "failing", "failure", "failures", "denied", "deny", "declined", "decline", "rejected", "reject",
            "refused", "refuse", "invalid", "unauthorized", "unauthorised", "forbidden", "timeout", "timedout",
            "exceeded", "insufficient", "unavailable", "notfound", "aborted", "fault", "exception", "ko", "nok",
            "unprocessable", "throttled", "disallowed", "unsuccessful");
    /** Two-word failures: "not found", "timed out", "too many", "not allowed", ... */
    private static final Set<String> PAIRS = Set.of("not found", "timed out", "time out", "too many", "not allowed",
            "not authorized", "not authorised", "not permitted", "not available", "no funds", "over limit",
            "not valid");

    private FailureLexicon() {}

    /** Lower-case words of an identifier or phrase, split at punctuation and camelCase humps. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        int n = Math.min(text.length(), MAX_TEXT);
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                boolean hump = Character.isUpperCase(c) && i > 0 && Character.isLowerCase(text.charAt(i - 1));
                if (hump && !w.isEmpty()) {
                    words.add(w.toString());
                    w.setLength(0);
                }
                w.append(Character.toLowerCase(c));
            } else if (!w.isEmpty()) {
                words.add(w.toString());
                w.setLength(0);
            }
        }
        if (!w.isEmpty()) {
            words.add(w.toString());
        }
        return words;
    }

    static boolean looksLikeFailure(String text) {
        return looksLikeFailure(words(text));
    }

    static boolean looksLikeFailure(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            if (FAILURE.contains(words.get(i))) {
                return true;
            }
            if (i + 1 < words.size() && PAIRS.contains(words.get(i) + " " + words.get(i + 1))) {
                return true;
            }
        }
        return false;
    }

    /** The type the words name, or {@link ErrorType#GENERIC_BUSINESS_ERROR}. */
    static ErrorType type(String text) {
        List<String> w = words(text);
        String joined = " " + String.join(" ", w) + " ";
        if (has(joined, "rate", "throttled", "throttle", "quota", "too many", "ratelimit", "ratelimited")
                || (joined.contains(" limit ") && has(joined, "exceeded", "reached"))) {
            return ErrorType.RATE_LIMIT;
        }
        if (has(joined, "declined", "decline", "funds", "card", "payment", "issuer", "charge", "nsf")) {
            return ErrorType.PAYMENT_FAILURE;
        }
        if (has(joined, "unauthorized", "unauthorised", "forbidden", "denied", "permission", "permissions", "auth",
                "authentication", "credentials", "not authorized", "not authorised", "not permitted", "login")) {
            return ErrorType.AUTH_FAILURE;
        }
        if (has(joined, "notfound", "not found", "nonexistent")) {
            return ErrorType.NOT_FOUND;
        }
        if (has(joined, "invalid", "validation", "malformed", "required", "unprocessable", "not valid")) {
            return ErrorType.VALIDATION;
        }
        return ErrorType.GENERIC_BUSINESS_ERROR;
    }

    private static boolean has(String joined, String... phrases) {
        for (String p : phrases) {
            if (joined.contains(" " + p + " ")) {
                return true;
            }
        }
        return false;
    }
}
