package dev.apiguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.apiguard.capture.SocketEvent.Role;
import dev.apiguard.model.Exchange;
import org.junit.jupiter.api.Test;

/** The HTTP/2 state machine on hand-written frames: streams, ends, resets, gaps. */
class Http2SessionTest {
    static final int DATA = 0, HEADERS = 1, RST = 3, SETTINGS = 4, GOAWAY = 7, CONTINUATION = 9;
    static final int END_STREAM = 1, END_HEADERS = 4;

    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    /** Literal fields without indexing, new names (so no table state is needed), after optional indexed bytes. */
    static byte[] block(String... nameValues) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < nameValues.length; i += 2) {
            byte[] n = nameValues[i].getBytes(StandardCharsets.ISO_8859_1);
            byte[] v = nameValues[i + 1].getBytes(StandardCharsets.ISO_8859_1);
            out.write(0);
            out.write(n.length);
            out.writeBytes(n);
            out.write(v.length);
            out.writeBytes(v);
        }
        return out.toByteArray();
    }

    static byte[] request(int stream, String path) {
        return frame(HEADERS, END_HEADERS, stream, block(":method", "POST", ":path", path, "content-type", "application/grpc"));
    }

    static byte[] response(int stream) {
        return frame(HEADERS, END_HEADERS, stream, block(":status", "200", "content-type", "application/grpc"));
    }

    static byte[] trailers(int stream, int code) {
        return frame(HEADERS, END_HEADERS | END_STREAM, stream, block("grpc-status", String.valueOf(code), "grpc-message", "secret"));
    }

    static byte[] message(int stream, int flags, String body) {
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        byte[] m = new byte[5 + b.length];
        m[4] = (byte) b.length;
        m[3] = (byte) (b.length >>> 8);
        System.arraycopy(b, 0, m, 5, b.length);
        return frame(DATA, flags, stream, m);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    record Result(List<Exchange> exchanges, HttpTrackerStats stats) {
        List<String> lines() {
            List<String> out = new ArrayList<>();
            for (Exchange e : exchanges) {
                out.add(e.method() + " " + e.rawPath() + " " + e.status() + " " + e.grpcStatus() + " "
                        + new String(e.responsePrefix(), StandardCharsets.ISO_8859_1));
            }
            return out;
        }
    }

    static Result run(Conversation c, Role view) {
        List<Exchange> out = new ArrayList<>();
        HttpConnectionTracker tracker = new HttpConnectionTracker(HttpTrackerConfig.defaults(), out::add);
        c.replay(view).events.forEach(tracker);
        return new Result(out, tracker.stats());
    }

    static Conversation start() {
        return new Conversation().client(concat(Http2Framer.PREFACE, frame(SETTINGS, 0, 0, new byte[0])))
                .server(frame(SETTINGS, 0, 0, new byte[0]));
    }

    @Test
    void interleavedStreamsEachBecomeOneExchangeAtTheirOwnEnd() {
        Conversation c = start()
                .client(concat(request(1, "/p.S/A"), message(1, END_STREAM, "a"), request(3, "/p.S/B"), message(3, END_STREAM, "b"),
                        request(5, "/p.S/C"), message(5, END_STREAM, "c")))
                .server(concat(response(3), response(1), message(1, 0, "one")))
                .server(concat(message(3, 0, "three"), trailers(3, 5)))
                .server(trailers(1, 0)) // trailers in their own write
                .server(concat(response(5), trailers(5, 16)));
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            Result r = run(c, view);
            assertThat(r.lines()).containsExactly("POST /p.S/B 404 5 three", "POST /p.S/A 200 0 one", "POST /p.S/C 401 16 ");
            // Latency runs to the trailers' END_STREAM, in its own event.
            Exchange a = r.exchanges().get(1);
            assertThat(a.endNanos()).isEqualTo(Conversation.BASE_NANOS + 6 * 1000L);
            assertThat(a.startNanos()).isEqualTo(Conversation.BASE_NANOS + 3 * 1000L);
        }
    }

    @Test
    void resetAndGoAwayEndStreamsWithoutAnExchange() {
        Conversation c = start()
                .client(concat(request(1, "/p.S/A"), request(3, "/p.S/B"), request(5, "/p.S/C")))
                .client(frame(RST, 0, 1, new byte[] {0, 0, 0, 8})) // the client cancels stream 1
                .client(frame(GOAWAY, 0, 0, new byte[8])) // a client's GOAWAY (last pushed stream 0) ends none of its requests
                .server(concat(response(3), frame(GOAWAY, 0, 0, new byte[] {0, 0, 0, 3, 0, 0, 0, 0})))
                .server(trailers(3, 0))
                .server(concat(response(5), trailers(5, 0))); // above the GOAWAY's last stream: already dropped
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            Result r = run(c, view);
            assertThat(r.lines()).containsExactly("POST /p.S/B 200 0 ");
            assertThat(r.stats().http2StreamsReset()).isEqualTo(1);
            assertThat(r.stats().http2StreamsGoAway()).isEqualTo(1);
            assertThat(r.stats().unmatchedResponses()).isEqualTo(1);
        }
    }

    @Test
    void aMessageOverManyDataFramesAndAHeaderBlockWithContinuation() {
        byte[] head = block(":method", "POST", ":path", "/p.S/Big", "content-type", "application/grpc");
        byte[] first = java.util.Arrays.copyOfRange(head, 0, 10);
        byte[] rest = java.util.Arrays.copyOfRange(head, 10, head.length);
        List<byte[]> frames = new ArrayList<>();
        frames.add(response(1));
        frames.add(message(1, 0, "start"));
        for (int i = 0; i < 40; i++) {
            frames.add(frame(DATA, 0, 1, new byte[200])); // continuation of the message: 8 KB over 40 frames
        }
        frames.add(trailers(1, 0));
        Conversation c = start().client(concat(frame(HEADERS, 0, 1, first), frame(CONTINUATION, END_HEADERS, 1, rest),
                message(1, END_STREAM, "q")));
        for (byte[] f : frames) {
            c.server(f);
        }
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            Result r = run(c, view);
            assertThat(r.lines()).containsExactly("POST /p.S/Big 200 0 start");
            assertThat(r.exchanges().get(0).responseBytes()).isEqualTo(frames.stream().mapToLong(f -> f.length).sum());
        }
    }

    @Test
    void gapsInsideAPayloadAreCountedByLengthAndAHiddenFrameHeaderResynchronises() {
        byte[] big = frame(DATA, 0, 1, new byte[3000]); // more than one event captures: the rest is a gap
        Conversation c = start()
                .client(concat(request(1, "/p.S/A"), message(1, END_STREAM, "q")))
                .server(concat(response(1), message(1, 0, "first")))
                .server(concat(big, trailers(1, 0))) // the trailers fall into the gap: frame boundaries lost
                .client(concat(request(3, "/p.S/B"), message(3, END_STREAM, "q")))
                .server(concat(response(3), trailers(3, 0))); // the next event starts at a frame: resynchronised
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            Result r = run(c, view);
            assertThat(r.lines()).containsExactly("POST /p.S/B 200 0 ");
            assertThat(r.stats().http2LostSync()).isEqualTo(1);
        }
        // The same large frame whose end the gap does not cross is consumed exactly.
        Conversation exact = start()
                .client(concat(request(1, "/p.S/A"), message(1, END_STREAM, "q")))
                .server(concat(response(1), message(1, 0, "first")))
                .server(big)
                .server(trailers(1, 0));
        assertThat(run(exact, Role.SERVER).lines()).containsExactly("POST /p.S/A 200 0 first");
        assertThat(run(exact, Role.SERVER).stats().http2LostSync()).isZero();
    }

    @Test
    void plainHttp2KeepsItsStatusAndBodyForTheClassifier() {
        Conversation c = start()
                .client(frame(HEADERS, END_HEADERS | END_STREAM, 1, block(":method", "GET", ":path", "/api/x?id=1")))
                .server(concat(frame(HEADERS, END_HEADERS, 1, block(":status", "200", "content-type", "application/json")),
                        frame(DATA, END_STREAM, 1, "{\"success\":false}".getBytes(StandardCharsets.ISO_8859_1))));
        Result r = run(c, Role.SERVER);
        assertThat(r.lines()).containsExactly("GET /api/x?id=1 200 -1 {\"success\":false}");
        assertThat(r.exchanges().get(0).contentType()).isEqualTo("application/json");
    }

    @Test
    void unknownDynamicEntriesOnAnOlderConnectionAreCountedNotGuessed() {
        // No preface: a connection older than the agent. 0xbe refers to a dynamic entry never seen.
        byte[] unknownPath = frame(HEADERS, END_HEADERS, 1, concat(new byte[] {(byte) 0x83, (byte) 0xbe}));
        Conversation c = new Conversation()
                .client(concat(unknownPath, message(1, END_STREAM, "q")))
                .server(concat(response(1), trailers(1, 0)))
                .client(concat(frame(HEADERS, END_HEADERS, 3, new byte[] {(byte) 0x83, (byte) 0xbe}), message(3, END_STREAM, "q")))
                .server(concat(frame(HEADERS, END_HEADERS, 3, new byte[] {(byte) 0x88, (byte) 0xbf}), frame(HEADERS, END_HEADERS | END_STREAM, 3,
                        new byte[] {(byte) 0xc0})));
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            Result r = run(c, view);
            assertThat(r.lines()).containsExactly("POST /{unknown} 200 0 ");
            assertThat(r.stats().http2UnknownRequests()).isEqualTo(2);
            assertThat(r.stats().http2UnknownStatus()).isEqualTo(1); // grpc-status might be in the unknown entry
            assertThat(r.stats().hpackUnknownBlocks()).isEqualTo(4);
            assertThat(r.stats().nonHttpStreams()).isZero();
        }
    }

    @Test
    void h2cUpgradeAnswersTheHttp11RequestOnStream1AndGoesOnInHttp2() {
        String upgrade = "GET /first HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n";
        byte[] switching = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Conversation c = new Conversation().client(upgrade)
                .server(concat(switching, frame(SETTINGS, 0, 0, new byte[0]),
                        frame(HEADERS, END_HEADERS, 1, block(":status", "404", "content-type", "application/json")),
                        frame(DATA, END_STREAM, 1, "{\"error\":\"nope\"}".getBytes(StandardCharsets.ISO_8859_1))))
                .client(concat(Http2Framer.PREFACE, frame(SETTINGS, 0, 0, new byte[0]),
                        frame(HEADERS, END_HEADERS | END_STREAM, 3, block(":method", "GET", ":path", "/second"))))
                .server(concat(frame(HEADERS, END_HEADERS, 3, block(":status", "200")), frame(DATA, END_STREAM, 3, new byte[] {'o', 'k'})));
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            Result r = run(c, view);
            assertThat(r.lines()).containsExactly("GET /first 404 -1 {\"error\":\"nope\"}", "GET /second 200 -1 ok");
            assertThat(r.stats().upgrades()).isEqualTo(1);
        }
    }

    @Test
    void grpcMessageNeverReachesTheExchange() {
        Conversation c = start().client(concat(request(1, "/p.S/A"), message(1, END_STREAM, "q")))
                .server(concat(response(1), trailers(1, 3)));
        Exchange e = run(c, Role.SERVER).exchanges().get(0);
        assertThat(e.toString()).doesNotContain("secret");
        assertThat(new String(e.responsePrefix(), StandardCharsets.ISO_8859_1)).doesNotContain("secret");
    }

}
