package dev.apiguard.http;

import java.nio.charset.StandardCharsets;

/** The request direction of a connection: turns requests into {@link PendingRequest}s. */
final class RequestParser extends MessageFramer {
    /** Longest method accepted ("VERSION-CONTROL" and friends fit). */
    private static final int MAX_METHOD = 24;
    private static final byte[][] KNOWN_METHODS = {
        Ascii.bytes("GET "), Ascii.bytes("POST "), Ascii.bytes("PUT "), Ascii.bytes("DELETE "), Ascii.bytes("HEAD "),
        Ascii.bytes("OPTIONS "), Ascii.bytes("PATCH "), Ascii.bytes("CONNECT "), Ascii.bytes("TRACE ")
    };

    private final Connection connection;
    private final StringCache strings;
    /** The request being read, or the last one while its trailing bytes are being skipped. */
    private PendingRequest current;
    /** Whether the start-line check has seen the space after the method. */
    private boolean methodEnded;

    RequestParser(Connection connection, StringCache strings, int maxHeaderBytes, State initial) {
        super(maxHeaderBytes, initial);
        this.connection = connection;
        this.strings = strings;
    }

    /** True when the bytes start with a standard method and a space. */
    static boolean startsWithKnownMethod(byte[] b, int off, int len) {
        if (len < 4) {
            return false;
        }
        for (byte[] method : KNOWN_METHODS) {
            if (b[off] == method[0] && Ascii.startsWith(b, off, len, method)) {
                return true;
            }
        }
        return false;
    }

    /** Brings the byte count of the request being read up to date. */
    void flushBytes() {
        if (current != null) {
            current.bytes = messageBytes;
        }
    }

    void forgetCurrent() {
        current = null;
    }

    @Override
    boolean startsMessage(byte[] b, int off, int len) {
        return startsWithKnownMethod(b, off, len);
    }

    @Override
    int startCheckLength() {
        return MAX_METHOD + 1;
    }

    @Override
    boolean startByteOk(int pos, byte c) {
        // Method: upper-case letters, '-' or '_' (every registered method), then a space.
        // Anything else this early is another protocol or garbage (TLS starts with 0x16).
        if (pos == 0) {
            methodEnded = false;
        }
        if (methodEnded) {
            return true;
        }
        if (c == Ascii.SP) {
            methodEnded = true;
            return pos > 0;
        }
        return pos < MAX_METHOD && ((c >= 'A' && c <= 'Z') || c == '-' || c == '_');
    }

    @Override
    boolean startCheckDone() {
        return methodEnded; // after the method's space, any byte passes
    }

    @Override
    boolean startLine(byte[] b, int from, int to) {
        int sp1 = Ascii.indexOf(b, from, to, Ascii.SP);
        if (sp1 <= from || sp1 - from > MAX_METHOD) {
            return false;
        }
        int sp2 = to - 9; // " HTTP/1.x"
        if (sp2 <= sp1 + 1 || b[sp2] != Ascii.SP || !isVersion(b, sp2 + 1)) {
            return false;
        }
        for (int k = sp1 + 1; k < sp2; k++) {
            int c = b[k] & 0xFF;
            if (c <= 0x20 || c == 0x7F) {
                return false;
            }
        }
        current.method(strings.get(b, from, sp1));
        current.target = new String(b, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
        return true;
    }

    static boolean isVersion(byte[] b, int at) {
        return b[at] == 'H' && b[at + 1] == 'T' && b[at + 2] == 'T' && b[at + 3] == 'P' && b[at + 4] == '/'
                && b[at + 5] == '1' && b[at + 6] == '.' && Ascii.isDigit(b[at + 7]);
    }

    @Override
    void otherField(byte[] b, int nameFrom, int nameTo, int valueFrom, int valueTo) {}

    @Override
    void messageBegin(long ts) {
        current = new PendingRequest(ts);
        connection.requestStarted(current);
    }

    @Override
    Body headEnd(long ts) {
        if (otherCoding) {
            return Body.INVALID; // a request body without a final chunked coding cannot be framed
        }
        connection.requestHead(current);
        if (current.connect && contentLength <= 0 && !chunked) {
            return Body.HOLD;
        }
        if (chunked) {
            return Body.CHUNKED;
        }
        return Body.LENGTH; // no Content-Length: no body (RFC 9112 6.3)
    }

    @Override
    void body(byte[] b, int off, int len) {}

    @Override
    void bodyGap() {}

    @Override
    void messageEnd(long ts) {
        flushBytes();
    }

    @Override
    void lost(State at, byte[] partial, int partialLength, long ts) {
        if (current == null) {
            reset(State.SYNC);
            return;
        }
        if (at == State.START_LINE || at == State.HEADERS) {
            if (at == State.START_LINE) {
                partialRequestLine(partial, partialLength);
            }
            connection.requestHead(current);
        }
        connection.requestLostSync(current);
        flushBytes();
        // Usually the syscall held the whole request; whatever follows is found at the next event
        // that starts with a method.
        reset(State.SYNC);
        messageBytes = current.bytes;
    }

    /** Keeps what the captured start of a request line tells: the method and the target's beginning. */
    private void partialRequestLine(byte[] b, int length) {
        int sp1 = Ascii.indexOf(b, 0, length, Ascii.SP);
        if (sp1 <= 0 || sp1 > MAX_METHOD) {
            return; // method unknown: the exchange cannot be reported
        }
        int targetEnd = Ascii.indexOf(b, sp1 + 1, length, Ascii.SP);
        if (targetEnd < 0) {
            targetEnd = length;
        }
        if (targetEnd <= sp1 + 1) {
            return;
        }
        current.method(strings.get(b, 0, sp1));
        current.target = new String(b, sp1 + 1, targetEnd - sp1 - 1, StandardCharsets.ISO_8859_1);
    }

    @Override
    void endLost() {}

    @Override
    void malformed() {
        connection.malformed();
    }
}
