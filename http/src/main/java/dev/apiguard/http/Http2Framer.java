package dev.apiguard.http;

/**
 * HTTP/2 frames of one direction of one connection, as a state machine fed with captured bytes and
 * gaps (preface → frame header → payload, in the style of a streaming codec): it hands each frame's
 * header to a {@link Listener}, with the payload bytes the listener asked to keep.
 *
 * <p>Capture gaps (bytes past a syscall's captured prefix): inside a payload they are consumed by
 * length; a frame whose kept payload was cut is delivered with {@code cut} set. A gap that ends
 * beyond the current frame hides the next frame header: the framer is then {@link State#LOST} and
 * resynchronises at the start of the next event whose first 9 bytes form a plausible frame header
 * (a syscall nearly always starts at a frame boundary). Everything in between is counted by the
 * caller, never guessed.
 */
final class Http2Framer {
    static final int HEADER = 9;
    static final byte[] PREFACE = Ascii.bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    static final int DATA = 0, HEADERS = 1, PRIORITY = 2, RST_STREAM = 3, SETTINGS = 4, PUSH_PROMISE = 5, PING = 6,
            GOAWAY = 7, WINDOW_UPDATE = 8, CONTINUATION = 9;
    static final int FLAG_END_STREAM = 0x1, FLAG_END_HEADERS = 0x4, FLAG_PADDED = 0x8, FLAG_PRIORITY = 0x20;

    enum State { PREFACE, HEADER, PAYLOAD, LOST }

    /** What the framer reports; the listener decides how much of each payload to keep. */
    interface Listener {
        /** Payload bytes to keep for this frame (0: count it by length only). */
        int keep(int type, int flags, int stream, int length);

        /** A whole frame: {@code kept} bytes of its payload in {@code payload}; {@code cut} when a gap took some. */
        void frame(int type, int flags, int stream, int length, byte[] payload, int kept, boolean cut, long ts);

        /** The framer lost the frame boundaries (a gap hid a frame header). */
        void lost();
    }

    private final Listener listener;
    State state;
    private final byte[] header = new byte[HEADER];
    private int headerFill;
    private int type, flags, stream, length;
    private long remaining;
    private byte[] payload = new byte[256];
    private int keep, kept;
    private boolean cut;
    private int prefaceFill;

    Http2Framer(Listener listener, State initial) {
        this.listener = listener;
        this.state = initial;
    }

    /** Bytes at the start of one event: {@code len} captured bytes, then {@code gap} unseen ones. */
    void onEvent(byte[] b, int off, int len, long gap, long ts) {
        onData(b, off, len, ts);
        if (gap > 0) {
            onGap(gap, ts);
        }
    }

    private void onData(byte[] b, int off, int len, long ts) {
        int p = off;
        int end = off + len;
        if (state == State.LOST) {
            if (!plausibleFrameHeader(b, off, len)) {
                return;
            }
            state = State.HEADER;
            headerFill = 0;
        }
        if (state == State.HEADER && headerFill == 0 && Ascii.startsWith(b, off, len, PREFACE)) {
            p += PREFACE.length; // a preface after all (the server's frames came first)
        }
        while (p < end) {
            switch (state) {
                case PREFACE -> {
                    if (prefaceFill == 0 && b[p] != PREFACE[0]) {
                        state = State.HEADER; // frames without a preface: a connection older than the agent
                        continue;
                    }
                    while (p < end && prefaceFill < PREFACE.length) {
                        if (b[p++] != PREFACE[prefaceFill++]) {
                            lose();
                            return;
                        }
                    }
                    if (prefaceFill == PREFACE.length) {
                        state = State.HEADER;
                    }
                }
                case HEADER -> {
                    int n = Math.min(HEADER - headerFill, end - p);
                    System.arraycopy(b, p, header, headerFill, n);
                    headerFill += n;
                    p += n;
                    if (headerFill == HEADER) {
                        startFrame(ts);
                    }
                }
                case PAYLOAD -> {
                    int n = (int) Math.min(remaining, end - p);
                    int take = Math.min(n, keep - kept);
                    if (take > 0) {
                        System.arraycopy(b, p, payload, kept, take);
                        kept += take;
                    }
                    p += n;
                    remaining -= n;
                    if (remaining == 0) {
                        endFrame(ts);
                    }
                }
                case LOST -> {
                    return;
                }
            }
        }
    }

    private void onGap(long gap, long ts) {
        switch (state) {
            case PAYLOAD -> {
                if (gap > remaining) {
                    lose();
                    return;
                }
                if (kept < keep) {
                    cut = true;
                }
                remaining -= gap;
                if (remaining == 0) {
                    endFrame(ts); // the frame ended in this event's unseen bytes
                }
            }
            case PREFACE, HEADER -> lose();
            case LOST -> {}
        }
    }

    /** Bytes before the next event were not seen: drop the position (unless already lost) and resync. */
    void resync() {
        if (state != State.LOST) {
            lose();
        }
    }

    private void lose() {
        state = State.LOST;
        headerFill = 0;
        listener.lost();
    }

    private void startFrame(long ts) {
        length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
        type = header[3] & 0xff;
        flags = header[4] & 0xff;
        stream = ((header[5] & 0x7f) << 24) | ((header[6] & 0xff) << 16) | ((header[7] & 0xff) << 8) | (header[8] & 0xff);
        headerFill = 0;
        remaining = length;
        kept = 0;
        cut = false;
        keep = Math.max(0, Math.min(length, listener.keep(type, flags, stream, length)));
        if (payload.length < keep) {
            payload = new byte[Math.max(keep, payload.length * 2)];
        }
        state = State.PAYLOAD;
        if (remaining == 0) {
            endFrame(ts);
        }
    }

    private void endFrame(long ts) {
        state = State.HEADER;
        listener.frame(type, flags, stream, length, payload, kept, cut, ts);
    }

    /**
     * A frame header as it can start a syscall: a known type, a length within the largest frame
     * size HTTP/2 allows, stream 0 exactly for the connection-level types.
     */
    static boolean plausibleFrameHeader(byte[] b, int off, int len) {
        if (len < HEADER) {
            return false;
        }
        int length = ((b[off] & 0xff) << 16) | ((b[off + 1] & 0xff) << 8) | (b[off + 2] & 0xff);
        int type = b[off + 3] & 0xff;
        int stream = ((b[off + 5] & 0x7f) << 24) | ((b[off + 6] & 0xff) << 16) | ((b[off + 7] & 0xff) << 8) | (b[off + 8] & 0xff);
        if (type > CONTINUATION || (b[off + 5] & 0x80) != 0) {
            return false;
        }
        boolean connectionLevel = type == SETTINGS || type == PING || type == GOAWAY;
        if (connectionLevel != (stream == 0) && type != WINDOW_UPDATE) {
            return false;
        }
        return switch (type) {
            case SETTINGS -> length % 6 == 0;
            case PING -> length == 8;
            case RST_STREAM, WINDOW_UPDATE -> length == 4;
            case PRIORITY -> length == 5;
            default -> length <= 16_777_215;
        };
    }

    /** A request header block start, as the kernel recognises a connection older than the agent. */
    static boolean startsWithRequestHeaders(byte[] b, int len) {
        if (len < HEADER + 1 || !plausibleFrameHeader(b, 0, len) || (b[3] & 0xff) != HEADERS) {
            return false;
        }
        int at = (b[4] & FLAG_PRIORITY) != 0 ? HEADER + 5 : HEADER;
        if (at >= len) {
            return false;
        }
        int first = b[at] & 0xff;
        return first >= 0x82 && first <= 0x87;
    }
}
