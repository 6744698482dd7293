package dev.apiguard.semantics;

/**
 * Finds SOAP faults (1.1 and 1.2) and XML error documents ({@code <Error>}, {@code <ErrorResponse>},
 * as AWS and S3 send them) in a prefix of XML, by walking start tags only. No XML parser: the
 * prefix may be cut anywhere, and only the envelope's first elements matter.
 */
final class XmlScan {
    /** Tags examined before giving up: the fault is the first child of Body. */
    private static final int MAX_TAGS = 64;

    private XmlScan() {}

    static void scan(byte[] b, int len, Envelope env) {
        int pos = 0;
        boolean inEnvelope = false;
        boolean inBody = false;
        int elements = 0;
        for (int tags = 0; tags < MAX_TAGS; tags++) {
            int lt = indexOf(b, (byte) '<', pos, len);
            if (lt < 0 || lt + 1 >= len) {
                return;
            }
            byte first = b[lt + 1];
            if (first == '?' || first == '!' || first == '/') {
                pos = lt + 2; // declaration, comment, doctype or end tag
                continue;
            }
            int nameStart = lt + 1;
            int nameEnd = nameStart;
            while (nameEnd < len && !isNameEnd(b[nameEnd])) {
                nameEnd++;
            }
            if (nameEnd >= len) {
                return; // cut inside the tag name
            }
            int local = nameStart;
            for (int i = nameStart; i < nameEnd; i++) {
                if (b[i] == ':') {
                    local = i + 1;
                }
            }
            if (elements++ == 0) {
                if (is(b, local, nameEnd, "Envelope")) {
                    inEnvelope = true;
                } else if (is(b, local, nameEnd, "Fault") || is(b, local, nameEnd, "Error")
                        || is(b, local, nameEnd, "ErrorResponse")) {
                    fault(b, nameEnd, len, env);
                    return;
                } else {
                    return; // some other XML document
                }
            } else if (inBody) {
                if (is(b, local, nameEnd, "Fault")) {
                    fault(b, nameEnd, len, env);
                }
                return; // the first child of Body decides
            } else if (inEnvelope && is(b, local, nameEnd, "Body")) {
                inBody = true;
            }
            pos = nameEnd;
        }
    }

    private static void fault(byte[] b, int from, int len, Envelope env) {
        env.xmlFault = true;
        // The fault's text (codes, reasons) feeds type inference; tags hold no keywords of ours.
        int end = Math.min(len, from + Envelope.MAX_HINTS);
        for (int i = from; i < end; i++) {
            env.hintByte(b[i]);
        }
    }

    private static boolean isNameEnd(byte c) {
        return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean is(byte[] b, int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (b[from + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte c, int from, int len) {
        for (int i = from; i < len; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
