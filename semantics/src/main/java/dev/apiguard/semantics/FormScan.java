package dev.apiguard.semantics;

import java.nio.charset.StandardCharsets;

/**
 * Reads a form-encoded answer ({@code ACK=Failure&L_ERRORCODE0=10002&L_SHORTMESSAGE0=...},
 * {@code result=FAIL}, {@code status=error}) as the JSON object it stands for, so the envelope
 * rules judge it. Keys lose a leading {@code L_} and trailing digits (NVP list fields), so
 * {@code L_ERRORCODE0} reads as {@code ERRORCODE}. A {@code text/plain} body is read only when all
 * of it parses as at least two {@code key=value} pairs separated by {@code &} or line breaks.
 */
final class FormScan {
    /** Pairs read; the rest are ignored. */
    static final int MAX_PAIRS = 64;
    private static final int MAX_KEY = 64;

    private FormScan() {}

    /** The body as a JSON object's bytes, or null when it is not a form-encoded answer. */
    static byte[] toJson(byte[] b, int offset, int length, boolean declaredForm) {
        int from = offset;
        int to = length;
        while (from < to && isSpace(b[from])) {
            from++;
        }
        while (to > from && isSpace(b[to - 1])) {
            to--;
        }
        if (from >= to) {
            return null;
        }
        StringBuilder json = new StringBuilder(Math.min(to - from + 32, 8192)).append('{');
        int pairs = 0;
        int pos = from;
        while (pos < to && pairs < MAX_PAIRS) {
            int end = pos;
            while (end < to && b[end] != '&' && b[end] != '\n' && b[end] != '\r') {
                end++;
            }
            if (end > pos) {
                int eq = -1;
                for (int i = pos; i < end; i++) {
                    if (b[i] == '=') {
                        eq = i;
                        break;
                    }
                }
                if (eq <= pos || !validKey(b, pos, eq)) {
                    return null;
                }
                if (!declaredForm && !validValue(b, eq + 1, end)) {
                    return null;
                }
                if (pairs++ > 0) {
                    json.append(',');
                }
                appendString(json, key(decode(b, pos, eq)));
                json.append(':');
                appendString(json, decode(b, eq + 1, end));
            }
            pos = end + 1;
        }
        if (pairs == 0 || (!declaredForm && pairs < 2)) {
            return null;
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * NVP list fields: {@code L_ERRORCODE0} is the first {@code ERRORCODE} (vendor convention: PayPal
     * NVP/SOAP API, https://developer.paypal.com/api/nvp-soap/NVPAPIOverview/).
     */
    static String key(String raw) {
        String k = raw;
        if (k.length() > 2 && (k.startsWith("L_") || k.startsWith("l_"))) {
            k = k.substring(2);
        }
        int end = k.length();
        while (end > 1 && Character.isDigit(k.charAt(end - 1))) {
            end--;
        }
        return k.substring(0, end);
    }

    private static boolean validKey(byte[] b, int from, int to) {
        if (to - from > MAX_KEY) {
            return false;
        }
        for (int i = from; i < to; i++) {
            byte c = b[i];
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.' || c == '[' || c == ']' || c == '%';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Undeclared forms: no quotes, braces or tags in values (JSON and markup are not forms; keys exclude prose). */
    private static boolean validValue(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '\t' || c == '"' || c == '{' || c == '}' || c == '<' || c == '>') {
                return false;
            }
        }
        return true;
    }

    private static String decode(byte[] b, int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '+') {
                out[n++] = ' ';
            } else if (c == '%' && i + 2 < to && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                out[n++] = (byte) (hex(b[i + 1]) << 4 | hex(b[i + 2]));
                i += 2;
            } else {
                out[n++] = c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static void appendString(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
