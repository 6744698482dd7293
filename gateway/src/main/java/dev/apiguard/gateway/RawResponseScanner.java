package dev.apiguard.gateway;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The first handler of an upstream connection: reads plain responses without Netty's HTTP decoder.
 * A response whose head is ordinary (HTTP/1.0 or 1.1, a final status other than 204/205/304, a
 * single Content-Length, no Transfer-Encoding, strict token names and values, Connection tokens
 * only close/keep-alive) goes on as a {@link RawResponseHead} and its body as slices of the bytes
 * read: nothing is parsed into header objects, and the head is forwarded as bytes. Anything else
 * (interim or bodiless statuses, chunked or close-delimited bodies, malformed or unusual heads)
 * hands the connection's bytes, from that head on, to the {@link UpstreamResponseDecoder} behind
 * this handler for the rest of the connection's life: the decoder keeps every behaviour it had,
 * errors included.
 */
final class RawResponseScanner extends ChannelInboundHandlerAdapter {
    private static final int HEAD = 0;
    private static final int BODY = 1;
    private static final int DECODER = 2;
    private static final int INCOMPLETE = -1;
    private static final int FALLBACK = -2;
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private final int maxHead;
    /** Whether the request in flight is a HEAD (its response has no body); set before it is sent. */
    boolean headRequest;
    private int mode = HEAD;
    private long remaining;
    /** A head that has not fully arrived yet. */
    private ByteBuf partial;

    // What the head being scanned says (fields, not a per-response object, until it is known to qualify).
    private int status;
    private long contentLength;
    private boolean keepAlive;
    private int typeStart;
    private int typeEnd;
    private int encodingStart;
    private int encodingEnd;
    private final int[] drops = new int[8];
    private int dropCount;
    // The last values seen, reused while the backend repeats them (it nearly always does).
    private String lastType;
    private String lastEncoding;

    RawResponseScanner(int maxHead) {
        this.maxHead = maxHead;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (mode == DECODER || !(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf buf = in;
        if (partial != null) {
            buf = partial;
            partial = null;
            buf.writeBytes(in);
            in.release();
        }
        try {
            while (buf.isReadable()) {
                if (mode == DECODER) {
                    ctx.fireChannelRead(buf.retain()); // from this head on, the decoder reads
                    return;
                }
                if (mode == BODY) {
                    int n = (int) Math.min(remaining, buf.readableBytes());
                    ByteBuf part = buf.readRetainedSlice(n);
                    remaining -= n;
                    if (remaining == 0) {
                        mode = HEAD;
                        ctx.fireChannelRead(new DefaultLastHttpContent(part, false));
                    } else {
                        ctx.fireChannelRead(new DefaultHttpContent(part));
                    }
                    continue;
                }
                int length = scan(buf);
                if (length == INCOMPLETE) {
                    if (buf.readableBytes() > maxHead) {
                        mode = DECODER; // the decoder reports the head as too long
                        continue;
                    }
                    partial = ctx.alloc().heapBuffer(Math.max(1024, 2 * buf.readableBytes()));
                    partial.writeBytes(buf);
                    return;
                }
                if (length == FALLBACK) {
                    mode = DECODER;
                    continue;
                }
                int start = buf.readerIndex();
                String type = typeStart < 0 ? null : (lastType = string(buf, typeStart, typeEnd, lastType));
                String encoding = encodingStart < 0 ? null
                        : (lastEncoding = string(buf, encodingStart, encodingEnd, lastEncoding));
                int[] lines = null;
                if (dropCount > 0) {
                    lines = new int[2 * dropCount];
                    for (int i = 0; i < lines.length; i++) {
                        lines[i] = drops[i] - start;
                    }
                }
                long body = headRequest ? 0 : contentLength;
                ctx.fireChannelRead(new RawResponseHead(buf.readRetainedSlice(length), status, contentLength, keepAlive,
                        type, encoding, lines, dropCount));
                if (body == 0) {
                    ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                } else {
                    mode = BODY;
                    remaining = body;
                }
            }
        } finally {
            buf.release();
        }
    }

    /**
     * Reads the head at the buffer's reader index into the fields above.
     *
     * @return its length in bytes up to and including the empty line, {@link #INCOMPLETE} or {@link #FALLBACK}
     */
    private int scan(ByteBuf buf) {
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        int eol = buf.indexOf(start, end, LF);
        if (eol < 0) {
            return INCOMPLETE;
        }
        // Status line: HTTP/1.x SP 3DIGIT SP reason CRLF
        if (eol - start < 13 || buf.getByte(eol - 1) != CR || !statusLine(buf, start, eol - 1)) {
            return FALLBACK;
        }
        contentLength = -1;
        typeStart = -1;
        encodingStart = -1;
        dropCount = 0;
        boolean close = false;
        boolean keep = false;
        int line = eol + 1;
        while (true) {
            eol = buf.indexOf(line, end, LF);
            if (eol < 0) {
                return INCOMPLETE;
            }
            if (eol == line || buf.getByte(eol - 1) != CR) {
                return FALLBACK; // a bare LF
            }
            int lineEnd = eol - 1;
            if (lineEnd == line) {
                break; // the empty line: the head is complete
            }
            int colon = line;
            byte b;
            while (colon < lineEnd && (b = buf.getByte(colon)) != ':') {
                if (b < 0 || !TCHAR[b]) {
                    return FALLBACK; // obs-fold, whitespace before the colon, or a byte no name may hold
                }
                colon++;
            }
            if (colon == line || colon == lineEnd) {
                return FALLBACK;
            }
            int v = colon + 1;
            int ve = lineEnd;
            while (v < ve && isOws(buf.getByte(v))) {
                v++;
            }
            while (ve > v && isOws(buf.getByte(ve - 1))) {
                ve--;
            }
            for (int i = v; i < ve; i++) {
                byte c = buf.getByte(i);
                if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7f) {
                    return FALLBACK;
                }
            }
            int nameLength = colon - line;
            boolean drop = false;
            switch (nameLength) {
                case 14 -> {
                    if (nameIs(buf, line, "content-length")) {
                        if (contentLength >= 0 || (contentLength = digits(buf, v, ve)) < 0) {
                            return FALLBACK; // repeated or not a plain number
                        }
                    }
                }
                case 17 -> {
                    if (nameIs(buf, line, "transfer-encoding")) {
                        return FALLBACK;
                    }
                }
                case 12 -> {
                    if (nameIs(buf, line, "content-type")) {
                        if (typeStart >= 0) {
                            return FALLBACK;
                        }
                        typeStart = v;
                        typeEnd = ve;
                    }
                }
                case 16 -> {
                    if (nameIs(buf, line, "content-encoding")) {
                        if (encodingStart >= 0) {
                            return FALLBACK;
                        }
                        encodingStart = v;
                        encodingEnd = ve;
                    }
                }
                case 10 -> {
                    if (nameIs(buf, line, "connection")) {
                        drop = true;
                        int t = v;
                        while (t < ve) {
                            int te = buf.indexOf(t, ve, (byte) ',');
                            if (te < 0) {
                                te = ve;
                            }
                            int ts = t;
                            int tEnd = te;
                            while (ts < tEnd && isOws(buf.getByte(ts))) {
                                ts++;
                            }
                            while (tEnd > ts && isOws(buf.getByte(tEnd - 1))) {
                                tEnd--;
                            }
                            if (tEnd - ts == 5 && nameIs(buf, ts, "close")) {
                                close = true;
                            } else if (tEnd - ts == 10 && nameIs(buf, ts, "keep-alive")) {
                                keep = true;
                            } else if (tEnd > ts) {
                                return FALLBACK; // a token naming other headers to drop: the decoder's path does that
                            }
                            t = te + 1;
                        }
                    } else {
                        drop = nameIs(buf, line, "keep-alive");
                    }
                }
                case 2 -> drop = nameIs(buf, line, "te");
                case 7 -> drop = nameIs(buf, line, "trailer") || nameIs(buf, line, "upgrade");
                default -> { }
            }
            if (!drop && nameLength > 6 && nameIs(buf, line, "proxy-")) {
                drop = true;
            }
            if (drop) {
                if (dropCount == drops.length / 2) {
                    return FALLBACK;
                }
                drops[2 * dropCount] = line;
                drops[2 * dropCount + 1] = eol + 1;
                dropCount++;
            }
            line = eol + 1;
        }
        if (contentLength < 0 && !headRequest) {
            return FALLBACK; // read until close
        }
        boolean http11 = buf.getByte(start + 7) == '1';
        keepAlive = !close && (http11 || keep);
        return eol + 1 - start;
    }

    private boolean statusLine(ByteBuf buf, int start, int end) {
        if (buf.getByte(start) != 'H' || buf.getByte(start + 1) != 'T' || buf.getByte(start + 2) != 'T'
                || buf.getByte(start + 3) != 'P' || buf.getByte(start + 4) != '/' || buf.getByte(start + 5) != '1'
                || buf.getByte(start + 6) != '.' || (buf.getByte(start + 7) != '1' && buf.getByte(start + 7) != '0')
                || buf.getByte(start + 8) != ' ' || buf.getByte(start + 12) != ' ') {
            return false;
        }
        int code = 0;
        for (int i = start + 9; i < start + 12; i++) {
            byte d = buf.getByte(i);
            if (d < '0' || d > '9') {
                return false;
            }
            code = code * 10 + d - '0';
        }
        if (code < 200 || code > 599 || code == 204 || code == 205 || code == 304) {
            return false; // interim and bodiless statuses: the decoder's rules
        }
        for (int i = start + 13; i < end; i++) {
            byte c = buf.getByte(i);
            if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        status = code;
        return true;
    }

    private static boolean isOws(byte b) {
        return b == ' ' || b == '\t';
    }

    /** Case-insensitive match of {@code lower} (lower-case ASCII) at {@code at}. */
    private static boolean nameIs(ByteBuf buf, int at, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            int b = buf.getByte(at + i);
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A plain decimal number of at most 18 digits, or -1. */
    private static long digits(ByteBuf buf, int from, int to) {
        if (from == to || to - from > 18) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            byte d = buf.getByte(i);
            if (d < '0' || d > '9') {
                return -1;
            }
            n = n * 10 + d - '0';
        }
        return n;
    }

    /** The bytes as a String, the previous one when they spell it again (no allocation per response). */
    private static String string(ByteBuf buf, int from, int to, String previous) {
        int n = to - from;
        if (previous != null && previous.length() == n) {
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = (buf.getByte(from + i) & 0xff) == previous.charAt(i);
            }
            if (same) {
                return previous;
            }
        }
        return buf.toString(from, n, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releasePartial();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePartial();
    }

    private void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}
