package dev.apiguard.gateway;

import java.util.Arrays;

import dev.apiguard.model.Exchange;
import io.netty.buffer.ByteBuf;

/**
 * Tees the start of a response body for the classifier while the body streams to the client: at
 * most {@link Exchange#RESPONSE_PREFIX_BYTES}, copied once, without touching the reader index.
 */
final class ResponsePrefixBuffer {
    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes;
    private int length;
    private boolean truncated;

    /** Sizes the buffer exactly when the body is known to be shorter than a prefix: {@link #bytes} then needs no copy. */
    void expectLength(long contentLength) {
        if (bytes == null && contentLength > 0 && contentLength < Exchange.RESPONSE_PREFIX_BYTES) {
            bytes = new byte[(int) contentLength];
        }
    }

    /** Copies what still fits of {@code content}'s readable bytes. */
    void append(ByteBuf content) {
        int n = content.readableBytes();
        if (n == 0) {
            return;
        }
        if (bytes == null) {
            bytes = new byte[Exchange.RESPONSE_PREFIX_BYTES];
        }
        int take = Math.min(bytes.length - length, n);
        if (take > 0) {
            content.getBytes(content.readerIndex(), bytes, length, take);
            length += take;
        }
        truncated |= take < n;
    }

    /** The bytes kept, never null. */
    byte[] bytes() {
        if (bytes == null) {
            return EMPTY;
        }
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }

    /** True when the body went on past the bytes kept. */
    boolean truncated() {
        return truncated;
    }
}
