package dev.apiguard.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A response head as the backend sent it, with what the gateway reads from it: status, framing,
 * keep-alive and the two headers the pipeline records. The lines a proxy must not forward (hop by
 * hop) are located, not removed: {@link #forward} copies the head without them, or hands on the
 * bytes themselves when nothing changes. Made by {@link RawResponseScanner}; the body follows as
 * {@code HttpContent}s, ending with a {@code LastHttpContent}.
 */
final class RawResponseHead extends DefaultByteBufHolder {
    private static final byte[] CRLF = {'\r', '\n'};

    final int status;
    /** Content-Length, -1 when absent (only a response to HEAD may lack it here). */
    final long contentLength;
    final boolean keepAlive;
    final String contentType;
    final String contentEncoding;
    /** Offsets in {@link #content()} of the lines to drop, start inclusive, end exclusive; null when none. */
    private final int[] drops;
    private final int dropCount;

    RawResponseHead(ByteBuf head, int status, long contentLength, boolean keepAlive, String contentType,
            String contentEncoding, int[] drops, int dropCount) {
        super(head);
        this.status = status;
        this.contentLength = contentLength;
        this.keepAlive = keepAlive;
        this.contentType = contentType;
        this.contentEncoding = contentEncoding;
        this.drops = drops;
        this.dropCount = dropCount;
    }

    /**
     * The head to send to the client: the backend's lines without the hop-by-hop ones, then
     * {@code connectionLine} (a whole line with its CRLF, or null). The caller owns the result;
     * this holder keeps its own reference.
     */
    ByteBuf forward(ByteBufAllocator alloc, byte[] connectionLine) {
        ByteBuf head = content();
        if (dropCount == 0 && connectionLine == null) {
            return head.retainedDuplicate();
        }
        int start = head.readerIndex();
        int end = head.writerIndex() - CRLF.length; // the empty line that ends the head
        ByteBuf out = alloc.directBuffer(head.readableBytes() + (connectionLine == null ? 0 : connectionLine.length));
        int from = start;
        for (int i = 0; i < dropCount; i++) {
            int dropStart = start + drops[2 * i];
            out.writeBytes(head, from, dropStart - from);
            from = start + drops[2 * i + 1];
        }
        out.writeBytes(head, from, end - from);
        if (connectionLine != null) {
            out.writeBytes(connectionLine);
        }
        out.writeBytes(CRLF);
        return out;
    }
}
