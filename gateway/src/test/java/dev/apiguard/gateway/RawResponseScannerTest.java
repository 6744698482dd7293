package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

class RawResponseScannerTest {
    private final RawResponseScanner scanner = new RawResponseScanner(1024);
    private final EmbeddedChannel ch = new EmbeddedChannel(scanner,
            new UpstreamResponseDecoder(new HttpDecoderConfig(), scanner));

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private List<Object> inbound() {
        List<Object> all = new ArrayList<>();
        for (Object m = ch.readInbound(); m != null; m = ch.readInbound()) {
            all.add(m);
        }
        return all;
    }

    private static String body(List<Object> msgs) {
        StringBuilder b = new StringBuilder();
        for (Object m : msgs) {
            if (m instanceof HttpContent c) {
                b.append(c.content().toString(StandardCharsets.ISO_8859_1));
            }
        }
        return b.toString();
    }

    private static void release(List<Object> msgs) {
        msgs.forEach(ReferenceCountUtil::release);
    }

    @Test
    void aPlainResponseFedByteByByteIsOneHeadThenItsBodyAndTheHeadIsForwardedWithoutHopByHopLines() {
        String head = "HTTP/1.1 201 Created\r\nServer: b\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
                + "Proxy-Foo: x\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n";
        String all = head + "{\"ok\":true}";
        for (int i = 0; i < all.length(); i++) {
            ch.writeInbound(bytes(all.substring(i, i + 1)));
        }
        List<Object> msgs = inbound();
        RawResponseHead h = (RawResponseHead) msgs.get(0);
        assertThat(h.status).isEqualTo(201);
        assertThat(h.contentLength).isEqualTo(11);
        assertThat(h.keepAlive).isTrue();
        assertThat(h.contentType).isEqualTo("application/json");
        assertThat(h.contentEncoding).isNull();
        assertThat(h.content().toString(StandardCharsets.ISO_8859_1)).isEqualTo(head);
        ByteBuf forwarded = h.forward(ByteBufAllocator.DEFAULT, null);
        assertThat(forwarded.toString(StandardCharsets.ISO_8859_1)).isEqualTo(
                "HTTP/1.1 201 Created\r\nServer: b\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n");
        forwarded.release();
        ByteBuf closing = h.forward(ByteBufAllocator.DEFAULT, "connection: close\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(closing.toString(StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 201 Created\r\nServer: b\r\n"
                + "Content-Type: application/json\r\nContent-Length: 11\r\nconnection: close\r\n\r\n");
        closing.release();
        assertThat(msgs.subList(1, msgs.size())).allMatch(m -> m instanceof HttpContent && !(m instanceof HttpResponse));
        assertThat(msgs.getLast()).isInstanceOf(LastHttpContent.class);
        assertThat(msgs.stream().filter(m -> m instanceof LastHttpContent).count()).isEqualTo(1);
        assertThat(body(msgs)).isEqualTo("{\"ok\":true}");
        release(msgs);
    }

    @Test
    void twoResponsesInOneReadAreTwoHeadsWithTheirBodies() {
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.0 500 E\r\nContent-Length: 3\r\n"
                + "Content-Encoding: gzip\r\n\r\ncde"));
        List<Object> msgs = inbound();
        assertThat(msgs).hasSize(4);
        assertThat(((RawResponseHead) msgs.get(0)).status).isEqualTo(200);
        assertThat(((LastHttpContent) msgs.get(1)).content().toString(StandardCharsets.US_ASCII)).isEqualTo("ab");
        RawResponseHead second = (RawResponseHead) msgs.get(2);
        assertThat(second.status).isEqualTo(500);
        assertThat(second.keepAlive).isFalse(); // HTTP/1.0 without keep-alive
        assertThat(second.contentEncoding).isEqualTo("gzip");
        assertThat(((LastHttpContent) msgs.get(3)).content().toString(StandardCharsets.US_ASCII)).isEqualTo("cde");
        release(msgs);
    }

    @Test
    void aResponseToHeadHasNoBodyWhateverItsLength() {
        scanner.headRequest = true;
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"));
        List<Object> msgs = inbound();
        assertThat(msgs).hasSize(2);
        RawResponseHead h = (RawResponseHead) msgs.get(0);
        assertThat(h.contentLength).isEqualTo(5);
        assertThat(h.keepAlive).isFalse();
        assertThat(msgs.get(1)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        release(msgs);
    }

    @Test
    void aChunkedResponseHandsTheConnectionToTheDecoderForGood() {
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"));
        List<Object> first = inbound();
        assertThat(first.get(0)).isInstanceOf(RawResponseHead.class);
        release(first);
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n"));
        List<Object> second = inbound();
        assertThat(second.get(0)).isInstanceOf(HttpResponse.class);
        assertThat(body(second)).isEqualTo("xyz");
        assertThat(second.getLast()).isInstanceOf(LastHttpContent.class);
        release(second);
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        List<Object> third = inbound();
        assertThat(third.get(0)).isInstanceOf(HttpResponse.class).isNotInstanceOf(RawResponseHead.class);
        assertThat(body(third)).isEqualTo("ok");
        release(third);
    }

    @Test
    void everyUnusualHeadGoesToTheDecoder() {
        List<String> unusual = List.of(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 204 No Content\r\n\r\n",
                "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 200 OK\nContent-Length: 0\n\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
                "HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\nx",
                "HTTP/1.1 200 OK\r\nConnection: x-hop\r\nX-Hop: 1\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nread until close",
                "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n");
        for (String response : unusual) {
            RawResponseScanner s = new RawResponseScanner(1024);
            EmbeddedChannel c = new EmbeddedChannel(s, new UpstreamResponseDecoder(new HttpDecoderConfig(), s));
            c.writeInbound(bytes(response));
            c.finish();
            Object first = c.readInbound();
            assertThat(first).as(response).isInstanceOf(HttpResponse.class).isNotInstanceOf(RawResponseHead.class);
            ReferenceCountUtil.release(first);
            for (Object m = c.readInbound(); m != null; m = c.readInbound()) {
                assertThat(m).as(response).isNotInstanceOf(RawResponseHead.class);
                ReferenceCountUtil.release(m);
            }
        }
    }

    @Test
    void aHeadLongerThanTheLimitGoesToTheDecoderWhichRefusesIt() {
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(2000)));
        List<Object> msgs = inbound();
        assertThat(msgs).isEmpty(); // the decoder waits for the line's end; nothing was taken as a raw head
        ch.writeInbound(bytes("a".repeat(70_000)));
        List<Object> more = inbound();
        assertThat(more).hasSize(1);
        assertThat(((HttpResponse) more.get(0)).decoderResult().isFailure()).isTrue();
        release(more);
    }
}
