package dev.apiguard.http;

import java.util.Arrays;

/** The response direction of a connection: frames responses and keeps what the exchange reports. */
final class ResponseParser extends MessageFramer {
    private static final byte[] HTTP_1 = Ascii.bytes("HTTP/1.");
    private static final byte[] CONTENT_TYPE = Ascii.bytes("content-type");
    private static final byte[] CONTENT_ENCODING = Ascii.bytes("content-encoding");
    private static final int STATUS_LINE_MIN = 12; // "HTTP/1.1 200"

    private final Connection connection;
    private final StringCache strings;
    private final int prefixLimit;

    int status;
    String contentType;
    String contentEncoding;
    byte[] prefix;
    int prefixLength;
    boolean truncated;
    private boolean prefixClosed;
    /** The request this response answers; null when none was waiting. */
    PendingRequest request;
    /** This response answers a request dropped by the pipelining bound. */
    boolean owed;
    private boolean interim;
    boolean upgrade;
    /** A 101 to HTTP/2 over cleartext ({@code Upgrade: h2c}). */
    boolean upgradeH2c;
    private static final byte[] UPGRADE = Ascii.bytes("upgrade");
    private static final byte[] H2C = Ascii.bytes("h2c");

    ResponseParser(Connection connection, StringCache strings, int maxHeaderBytes, int prefixLimit, State initial) {
        super(maxHeaderBytes, initial);
        this.connection = connection;
        this.strings = strings;
        this.prefixLimit = prefixLimit;
    }

    static boolean startsWithStatusLine(byte[] b, int off, int len) {
        return len >= 9 && Ascii.startsWith(b, off, len, HTTP_1) && Ascii.isDigit(b[off + 7]) && b[off + 8] == Ascii.SP;
    }

    @Override
    boolean startsMessage(byte[] b, int off, int len) {
        return startsWithStatusLine(b, off, len);
    }

    @Override
    int startCheckLength() {
        return HTTP_1.length + 1;
    }

    @Override
    boolean startByteOk(int pos, byte c) {
        return pos < HTTP_1.length ? c == HTTP_1[pos] : Ascii.isDigit(c);
    }

    @Override
    boolean startLine(byte[] b, int from, int to) {
        if (to - from < STATUS_LINE_MIN || !RequestParser.isVersion(b, from) || b[from + 8] != Ascii.SP
                || (to - from > STATUS_LINE_MIN && b[from + STATUS_LINE_MIN] != Ascii.SP)) {
            return false;
        }
        byte d1 = b[from + 9];
        byte d2 = b[from + 10];
        byte d3 = b[from + 11];
        if (!Ascii.isDigit(d1) || !Ascii.isDigit(d2) || !Ascii.isDigit(d3) || d1 == '0') {
            return false;
        }
        status = (d1 - '0') * 100 + (d2 - '0') * 10 + (d3 - '0');
        return true;
    }

    @Override
    void otherField(byte[] b, int nameFrom, int nameTo, int valueFrom, int valueTo) {
        int length = nameTo - nameFrom;
        if (contentType == null && length == CONTENT_TYPE.length && Ascii.equalsLower(b, nameFrom, nameTo, CONTENT_TYPE)) {
            contentType = strings.get(b, valueFrom, valueTo);
        } else if (contentEncoding == null && length == CONTENT_ENCODING.length
                && Ascii.equalsLower(b, nameFrom, nameTo, CONTENT_ENCODING)) {
            contentEncoding = strings.get(b, valueFrom, valueTo);
        } else if (length == UPGRADE.length && Ascii.equalsLower(b, nameFrom, nameTo, UPGRADE)
                && valueTo - valueFrom == H2C.length && Ascii.equalsLower(b, valueFrom, valueTo, H2C)) {
            upgradeH2c = true;
        }
    }

    @Override
    void afterStop(byte[] b, int off, int len, long ts) {
        connection.afterUpgrade(false, b, off, len, ts);
    }

    @Override
    void messageBegin(long ts) {
        status = 0;
        contentType = null;
        contentEncoding = null;
        prefix = null;
        prefixLength = 0;
        prefixClosed = false;
        truncated = false;
        interim = false;
        upgrade = false;
        upgradeH2c = false;
        owed = connection.responseOwed();
        request = owed ? null : connection.waitingRequest();
    }

    @Override
    Body headEnd(long ts) {
        if (status < 200 && status != 101) {
            interim = true; // 100 Continue and friends: the final response follows
            return Body.NONE;
        }
        boolean connect = request != null && request.connect;
        if (status == 101 || (connect && status < 300)) {
            upgrade = true;
            return Body.STOP;
        }
        if ((request != null && request.head) || status == 204 || status == 304) {
            return Body.NONE;
        }
        if (chunked) {
            return Body.CHUNKED;
        }
        if (otherCoding || contentLength < 0) {
            return Body.UNTIL_CLOSE;
        }
        return Body.LENGTH;
    }

    @Override
    void body(byte[] b, int off, int len) {
        int n = prefixClosed ? 0 : Math.min(prefixLimit - prefixLength, len);
        if (n > 0) {
            if (prefix == null) {
                // Sized to the body when its length is known, so the exchange can keep it as is;
                // otherwise grown as needed, since most unknown-length bodies are short.
                boolean known = !chunked && contentLength >= 0;
                prefix = new byte[known ? (int) Math.min(prefixLimit, contentLength) : Math.min(prefixLimit, Math.max(n, 128))];
            } else if (prefixLength + n > prefix.length) {
                prefix = Arrays.copyOf(prefix, Math.min(prefixLimit, Math.max(prefix.length * 2, prefixLength + n)));
            }
            System.arraycopy(b, off, prefix, prefixLength, n);
            prefixLength += n;
        }
        if (len > n) {
            truncated = true;
        }
    }

    @Override
    void bodyGap() {
        prefixClosed = true;
        truncated = true;
    }

    @Override
    void messageEnd(long ts) {
        if (interim) {
            return;
        }
        connection.responseComplete(this, ts, false);
    }

    @Override
    void lost(State at, byte[] partial, int partialLength, long ts) {
        if (at == State.START_LINE && partialLength >= STATUS_LINE_MIN) {
            startLine(partial, 0, partialLength);
        }
        truncated = true;
        prefixClosed = true;
        connection.responseLost(this);
    }

    @Override
    void endLost() {
        connection.responseComplete(this, lastDataNanos, true);
    }

    /** True while a response is being read. */
    boolean inMessage() {
        return state != State.START && state != State.SYNC && state != State.STOPPED;
    }

    /** Ends a message that runs until the connection closes, or one that lost sync (close, idle, next request). */
    void finish() {
        switch (state) {
            case UNTIL_CLOSE -> {
                state = State.START;
                connection.responseComplete(this, lastDataNanos, false);
            }
            case LOST -> {
                state = State.SYNC;
                endLost();
            }
            default -> {}
        }
    }

    @Override
    void malformed() {
        connection.malformed();
    }
}
