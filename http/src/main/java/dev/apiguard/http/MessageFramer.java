package dev.apiguard.http;

import static dev.apiguard.http.Ascii.CR;
import static dev.apiguard.http.Ascii.LF;

/**
 * Incremental HTTP/1.x framing of one direction of one connection: start line, header fields,
 * Content-Length, chunked and close-delimited bodies, fed with captured bytes and with gaps (bytes
 * known by length only).
 *
 * <p>It works on the event's array in place: a line is copied only when it spans events. Subclasses
 * give meaning to start lines and fields and decide how a body is delimited; the framer reports
 * progress through the hooks at the bottom. It never throws on input: malformed bytes call
 * {@link #malformed()}, framing that fell into a gap calls {@link #lost}.
 */
abstract class MessageFramer {
    enum State {
        /** Waiting for an event that starts with a message: position in the stream unknown. */
        SYNC,
        /** Between messages: the next byte starts one. */
        START,
        START_LINE,
        HEADERS,
        BODY,
        CHUNK_SIZE,
        CHUNK_DATA,
        /** The CRLF after a chunk's data. */
        CHUNK_END,
        TRAILERS,
        UNTIL_CLOSE,
        /** The current message's framing fell into a gap; its bytes are counted until it is ended. */
        LOST,
        /** Nothing to read until the other direction decides (a CONNECT waiting for its response). */
        HOLD,
        /** The connection no longer speaks HTTP/1.x. */
        STOPPED
    }

    /** How the body of a message whose header section just ended is delimited. */
    enum Body {
        NONE,
        LENGTH,
        CHUNKED,
        UNTIL_CLOSE,
        /** The message ends here and the connection switches protocol. */
        STOP,
        /** The message ends here; hold the stream until the response decides. */
        HOLD,
        /** The head cannot be framed: malformed. */
        INVALID
    }

    private static final byte[] CONTENT_LENGTH = Ascii.bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = Ascii.bytes("transfer-encoding");
    private static final long MAX_LENGTH = 1L << 60;
    /**
     * "0\r\n\r\n". A syscall that ends with exactly this many unseen bytes where a chunk-size line
     * starts almost surely wrote the last chunk (a 1-byte chunk already takes 6 bytes), so the body
     * ends there instead of losing sync. Common with servers that write the whole body at once.
     */
    private static final int LAST_CHUNK_BYTES = 5;

    private final int maxHeaderBytes;
    private final LineBuffer line = new LineBuffer();

    State state;
    /** Wire bytes of the current message so far, gaps included. */
    long messageBytes;
    /** Timestamp of the last event that carried bytes of the current message. */
    long lastDataNanos;
    /** True once a start line on this stream was valid: later errors are garbage, not another protocol. */
    boolean sawStartLine;

    /** Content-Length of the current message, -1 when absent. */
    long contentLength;
    boolean chunked;
    /** A transfer coding other than a final chunked: the body length is unknown. */
    boolean otherCoding;

    private boolean droppedWhileHeld;
    private int sectionBytes;
    private int startPos;
    private long remaining;
    private int crlfLeft;

    MessageFramer(int maxHeaderBytes, State initial) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.state = initial;
    }

    /** Feeds {@code len} captured bytes of one event. */
    final void onData(byte[] b, int off, int len, long ts) {
        if (len <= 0) {
            return;
        }
        if (state == State.SYNC || state == State.LOST) {
            if (!startsMessage(b, off, len)) {
                messageBytes += len;
                if (state == State.LOST) {
                    lastDataNanos = ts;
                }
                return;
            }
            if (state == State.LOST) {
                endLost();
            }
            state = State.START;
        }
        lastDataNanos = ts;
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (state) {
                case START -> {
                    if (b[i] == CR || b[i] == LF) {
                        i++; // empty lines between messages are tolerated (RFC 9112 2.2)
                    } else {
                        begin(ts);
                    }
                }
                case START_LINE, HEADERS, CHUNK_SIZE, TRAILERS -> i = readLine(b, i, end, ts);
                case BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    messageBytes += n;
                    body(b, i, n);
                    remaining -= n;
                    i += n;
                    if (remaining == 0) {
                        bodyDone(ts);
                    }
                }
                case CHUNK_END -> {
                    byte c = b[i];
                    if (c == CR && crlfLeft == 2) {
                        crlfLeft = 1;
                    } else if (c == LF) {
                        crlfLeft = 0;
                        state = State.CHUNK_SIZE;
                        sectionBytes = 0;
                    } else {
                        malformed();
                        return;
                    }
                    messageBytes++;
                    i++;
                }
                case UNTIL_CLOSE -> {
                    messageBytes += end - i;
                    body(b, i, end - i);
                    i = end;
                }
                case LOST -> {
                    messageBytes += end - i;
                    i = end;
                }
                case HOLD -> {
                    droppedWhileHeld = true;
                    return;
                }
                case SYNC -> {
                    return;
                }
                case STOPPED -> {
                    if (i < end) {
                        afterStop(b, i, end - i, ts);
                    }
                    return;
                }
            }
        }
    }

    /** The bytes that followed the message that stopped HTTP/1.x in the same event (another protocol's). */
    void afterStop(byte[] b, int off, int len, long ts) {}

    /** Leaves {@link State#HOLD}: at the next message if nothing arrived meanwhile, else at the next event that starts one. */
    final void resume() {
        if (state == State.HOLD) {
            reset(droppedWhileHeld ? State.SYNC : State.START);
        }
    }

    /** Accounts for {@code n} bytes of the same event that were not captured. */
    final void onGap(long n, long ts) {
        while (n > 0) {
            switch (state) {
                case BODY, CHUNK_DATA -> {
                    long k = Math.min(n, remaining);
                    remaining -= k;
                    n -= k;
                    messageBytes += k;
                    lastDataNanos = ts;
                    bodyGap();
                    if (remaining == 0) {
                        bodyDone(ts);
                    }
                }
                case CHUNK_END -> {
                    long k = Math.min(n, crlfLeft);
                    crlfLeft -= (int) k;
                    n -= k;
                    messageBytes += k;
                    if (crlfLeft == 0) {
                        state = State.CHUNK_SIZE;
                        sectionBytes = 0;
                    }
                }
                case CHUNK_SIZE, TRAILERS -> {
                    boolean lastChunk = state == State.CHUNK_SIZE && sectionBytes == 0 && n == LAST_CHUNK_BYTES;
                    boolean lastCrlf = state == State.TRAILERS && sectionBytes == 0 && n == 2;
                    messageBytes += n;
                    n = 0;
                    lastDataNanos = ts;
                    if (lastChunk || lastCrlf) {
                        end(ts);
                    } else {
                        lose(ts);
                    }
                }
                case UNTIL_CLOSE -> {
                    messageBytes += n;
                    n = 0;
                    lastDataNanos = ts;
                    bodyGap();
                }
                case START -> begin(ts);
                case START_LINE, HEADERS -> {
                    messageBytes += n;
                    n = 0;
                    lastDataNanos = ts;
                    lose(ts);
                }
                case LOST -> {
                    messageBytes += n;
                    n = 0;
                    lastDataNanos = ts;
                }
                case SYNC -> {
                    messageBytes += n;
                    n = 0;
                }
                case HOLD -> {
                    droppedWhileHeld = true;
                    n = 0;
                }
                case STOPPED -> n = 0;
            }
        }
    }

    /** Drops all message state; the stream waits for an event that starts a message (or stays stopped). */
    final void reset(State next) {
        state = next;
        line.clear();
        remaining = 0;
        crlfLeft = 0;
        sectionBytes = 0;
        messageBytes = 0;
    }

    private void begin(long ts) {
        state = State.START_LINE;
        messageBytes = 0;
        sectionBytes = 0;
        startPos = 0;
        contentLength = -1;
        chunked = false;
        otherCoding = false;
        lastDataNanos = ts;
        messageBegin(ts);
    }

    private void end(long ts) {
        state = State.START;
        messageEnd(ts);
    }

    private void bodyDone(long ts) {
        if (state == State.BODY) {
            end(ts);
        } else {
            state = State.CHUNK_END;
            crlfLeft = 2;
        }
    }

    private void lose(long ts) {
        State at = state;
        state = State.LOST;
        lost(at, line.array(), line.size(), ts);
        line.clear();
    }

    private int readLine(byte[] b, int i, int end, long ts) {
        int lf = Ascii.indexOf(b, i, end, LF);
        int stop = lf < 0 ? end : lf + 1;
        if (state == State.START_LINE && startPos < startCheckLength()) {
            // Checked byte by byte so that another protocol is recognised from its first bytes.
            int checkEnd = Math.min(stop, i + startCheckLength() - startPos);
            for (int k = i; k < checkEnd; k++) {
                if (!startByteOk(startPos++, b[k])) {
                    malformed();
                    return end;
                }
                if (startCheckDone()) {
                    startPos = startCheckLength(); // the rest would pass: no call per byte up to the limit
                    break;
                }
            }
        }
        int n = stop - i;
        sectionBytes += n;
        messageBytes += n;
        if (sectionBytes > maxHeaderBytes) {
            malformed();
            return end;
        }
        if (lf < 0) {
            line.append(b, i, end);
            return end;
        }
        if (line.size() == 0) {
            processLine(b, i, lf, ts);
        } else {
            line.append(b, i, lf);
            processLine(line.array(), 0, line.size(), ts);
            line.clear();
        }
        return lf + 1;
    }

    private void processLine(byte[] b, int from, int to, long ts) {
        if (to > from && b[to - 1] == CR) {
            to--;
        }
        switch (state) {
            case START_LINE -> {
                if (!startLine(b, from, to)) {
                    malformed();
                    return;
                }
                sawStartLine = true;
                state = State.HEADERS;
            }
            case HEADERS -> {
                if (to == from) {
                    headersDone(ts);
                } else {
                    field(b, from, to);
                }
            }
            case CHUNK_SIZE -> chunkSize(b, from, to);
            case TRAILERS -> {
                if (to == from) {
                    end(ts); // trailer fields themselves carry nothing we report
                }
            }
            default -> {} // unreachable: lines are only read in the four states above
        }
    }

    private void field(byte[] b, int from, int to) {
        int colon = Ascii.fieldNameEnd(b, from, to);
        if (colon <= from) {
            // no colon, no name, a name that is not a token, or obs-fold continuation lines (RFC 9112 5.2
            // allows rejecting them)
            malformed();
            return;
        }
        int valueFrom = Ascii.skipSpaces(b, colon + 1, to);
        int valueTo = Ascii.trimSpacesEnd(b, valueFrom, to);
        int nameLength = colon - from;
        if (nameLength == CONTENT_LENGTH.length && Ascii.equalsLower(b, from, colon, CONTENT_LENGTH)) {
            long value = Ascii.parseDecimal(b, valueFrom, valueTo);
            if (value < 0 || value > MAX_LENGTH || (contentLength >= 0 && contentLength != value)) {
                malformed();
                return;
            }
            contentLength = value;
        } else if (nameLength == TRANSFER_ENCODING.length && Ascii.equalsLower(b, from, colon, TRANSFER_ENCODING)) {
            chunked = Ascii.lastCodingIsChunked(b, valueFrom, valueTo);
            otherCoding = !chunked;
        } else {
            otherField(b, from, colon, valueFrom, valueTo);
        }
    }

    private void headersDone(long ts) {
        switch (headEnd(ts)) {
            case NONE -> end(ts);
            case LENGTH -> {
                if (contentLength <= 0) {
                    end(ts);
                } else {
                    remaining = contentLength;
                    state = State.BODY;
                }
            }
            case CHUNKED -> {
                state = State.CHUNK_SIZE;
                sectionBytes = 0;
            }
            case UNTIL_CLOSE -> state = State.UNTIL_CLOSE;
            case STOP -> {
                state = State.STOPPED;
                messageEnd(ts);
            }
            case HOLD -> {
                state = State.HOLD;
                droppedWhileHeld = false;
                messageEnd(ts);
            }
            case INVALID -> malformed();
        }
    }

    private void chunkSize(byte[] b, int from, int to) {
        long size = 0;
        int k = from;
        while (k < to) {
            int digit = Ascii.hexValue(b[k]);
            if (digit < 0) {
                break;
            }
            if (size > (MAX_LENGTH >> 4)) {
                malformed();
                return;
            }
            size = (size << 4) | digit;
            k++;
        }
        if (k == from) {
            malformed();
            return;
        }
        k = Ascii.skipSpaces(b, k, to);
        if (k < to && b[k] != ';') {
            malformed(); // chunk extensions (after ';') are allowed and ignored
            return;
        }
        sectionBytes = 0;
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
    }

    // ---- hooks ----

    /** True when an event starting with these bytes starts a message (used to resynchronise). */
    abstract boolean startsMessage(byte[] b, int off, int len);

    /** How many leading start-line bytes {@link #startByteOk} checks. */
    abstract int startCheckLength();

    /** Whether byte {@code c} may appear at position {@code pos} of a start line. */
    abstract boolean startByteOk(int pos, byte c);

    /** True once {@link #startByteOk} would accept every further byte of this start line. */
    boolean startCheckDone() {
        return false;
    }

    /** A complete start line without its line ending; false when malformed. */
    abstract boolean startLine(byte[] b, int from, int to);

    /** A header field other than Content-Length and Transfer-Encoding. */
    abstract void otherField(byte[] b, int nameFrom, int nameTo, int valueFrom, int valueTo);

    abstract void messageBegin(long ts);

    /** The header section ended; decides how the body is delimited. */
    abstract Body headEnd(long ts);

    abstract void body(byte[] b, int off, int len);

    /** Part of the body was not captured. */
    abstract void bodyGap();

    /** The message ended with the event at {@code ts}. */
    abstract void messageEnd(long ts);

    /** Framing fell into a gap while in state {@code at}; {@code partial} holds an unfinished line. */
    abstract void lost(State at, byte[] partial, int partialLength, long ts);

    /** A lost message ends because a new one starts on this stream. */
    abstract void endLost();

    /** The bytes are not HTTP/1.x. */
    abstract void malformed();
}
