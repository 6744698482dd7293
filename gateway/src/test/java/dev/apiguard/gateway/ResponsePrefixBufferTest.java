package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.apiguard.model.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class ResponsePrefixBufferTest {
    private static ByteBuf bytes(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return Unpooled.wrappedBuffer(b);
    }

    @Test
    void keepsTheFirstKibAcrossChunksWithoutConsumingThem() {
        ResponsePrefixBuffer prefix = new ResponsePrefixBuffer();
        ByteBuf first = bytes(0, 1000);
        prefix.append(first);
        assertThat(first.readableBytes()).isEqualTo(1000); // the chunk still goes to the client whole
        assertThat(prefix.truncated()).isFalse();
        prefix.append(bytes(1000, 100));
        prefix.append(bytes(1100, 5));
        byte[] kept = prefix.bytes();
        assertThat(kept).hasSize(Exchange.RESPONSE_PREFIX_BYTES);
        assertThat(kept[1023]).isEqualTo((byte) 1023);
        assertThat(prefix.truncated()).isTrue();
    }

    @Test
    void aShortBodyOfKnownLengthIsKeptWithoutACopy() {
        ResponsePrefixBuffer prefix = new ResponsePrefixBuffer();
        prefix.expectLength(10);
        prefix.append(bytes(0, 4));
        prefix.append(bytes(4, 6));
        assertThat(prefix.bytes()).isSameAs(prefix.bytes()).isEqualTo(Arrays.copyOf(bytes(0, 10).array(), 10));
        assertThat(prefix.truncated()).isFalse();
    }

    @Test
    void noBodyIsAnEmptyPrefix() {
        ResponsePrefixBuffer prefix = new ResponsePrefixBuffer();
        prefix.expectLength(-1);
        prefix.append(Unpooled.EMPTY_BUFFER);
        assertThat(prefix.bytes()).isEmpty();
        assertThat(prefix.truncated()).isFalse();
        ResponsePrefixBuffer unknown = new ResponsePrefixBuffer();
        unknown.append(bytes(0, 3)); // no length declared (chunked): a whole prefix is allocated, then trimmed
        assertThat(unknown.bytes()).containsExactly(0, 1, 2);
    }
}
