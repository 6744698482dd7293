package dev.apiguard.http;

import static dev.apiguard.http.Http2SessionTest.DATA;
import static dev.apiguard.http.Http2SessionTest.END_STREAM;
import static dev.apiguard.http.Http2SessionTest.SETTINGS;
import static dev.apiguard.http.Http2SessionTest.concat;
import static dev.apiguard.http.Http2SessionTest.frame;
import static dev.apiguard.http.Http2SessionTest.message;
import static dev.apiguard.http.Http2SessionTest.request;
import static dev.apiguard.http.Http2SessionTest.response;
import static dev.apiguard.http.Http2SessionTest.trailers;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.apiguard.capture.SocketEvent;
import dev.apiguard.capture.SocketEvent.Kind;
import dev.apiguard.capture.SocketEvent.Role;
import dev.apiguard.model.Exchange;
import org.junit.jupiter.api.Test;

/**
 * Events in the kernel's HTTP/2 frame-walk format (segments of copied bytes and uncopied gaps, see
 * h2.bpf.h), as the tracker consumes them: gaps inside payloads, a frame header split across
 * records, and a record after the kernel lost the frame boundaries.
 */
class Http2WalkEventTest {
    private long ts = Conversation.BASE_NANOS;

    /** One segment: copied bytes, then a gap. */
    record Seg(byte[] bytes, long gap) {}

    private SocketEvent walk(Kind kind, boolean lost, Seg... segs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long total = 0;
        for (Seg s : segs) {
            le32(out, s.bytes().length);
            le32(out, (int) s.gap());
            out.writeBytes(s.bytes());
            total += s.bytes().length + s.gap();
        }
        byte[] data = out.toByteArray();
        ts += 1000;
        return new SocketEvent(kind, Conversation.TGID, Conversation.FD, Conversation.GENERATION, ts, Role.SERVER, total,
                data, data.length, "grpcsrv", Conversation.SERVER_PORT, Conversation.CLIENT_PORT, false, true, lost);
    }

    private static void le32(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    private static byte[] head(byte[] frame) {
        return Arrays.copyOfRange(frame, 0, 9);
    }

    private SocketEvent open() {
        return new SocketEvent(Kind.OPEN_SERVER, Conversation.TGID, Conversation.FD, Conversation.GENERATION, ts,
                Role.SERVER, 0, new byte[0], 0, "grpcsrv", Conversation.SERVER_PORT, Conversation.CLIENT_PORT);
    }

    @Test
    void segmentsGapsSplitHeadersAndALostDirection() {
        byte[] q1 = message(1, END_STREAM, "q");
        byte[] q3 = message(3, END_STREAM, "q");
        byte[] big = frame(DATA, 0, 1, new byte[3000]);
        byte[] t1 = trailers(1, 0);
        List<SocketEvent> events = new ArrayList<>();
        events.add(open());
        // The client's write: preface, SETTINGS, two requests; request DATA payloads are not copied.
        events.add(walk(Kind.INGRESS, false,
                new Seg(concat(Http2Framer.PREFACE, frame(SETTINGS, 0, 0, new byte[0]), request(1, "/p.S/A"), head(q1)), q1.length - 9),
                new Seg(concat(request(3, "/p.S/B"), head(q3)), q3.length - 9)));
        // The server's write: stream 1's headers and first message in full, a large DATA frame by
        // length, then the trailers' frame header cut by the record boundary.
        events.add(walk(Kind.EGRESS, false,
                new Seg(concat(response(1), message(1, 0, "first"), head(big)), big.length - 9),
                new Seg(Arrays.copyOfRange(t1, 0, 4), 0)));
        events.add(walk(Kind.EGRESS, false, new Seg(Arrays.copyOfRange(t1, 4, t1.length), 0)));
        // The kernel lost this direction's boundaries (e.g. a full ring buffer) and resynchronised:
        // whatever user space was in the middle of is dropped, the record's frames are read.
        events.add(walk(Kind.EGRESS, false, new Seg(Arrays.copyOfRange(response(3), 0, 5), 0)));
        events.add(walk(Kind.EGRESS, true, new Seg(concat(response(3), trailers(3, 5)), 0)));
        List<Exchange> out = new ArrayList<>();
        HttpConnectionTracker tracker = new HttpConnectionTracker(HttpTrackerConfig.defaults(), out::add);
        events.forEach(tracker);
        List<String> lines = out.stream().map(e -> e.method() + " " + e.rawPath() + " " + e.status() + " " + e.grpcStatus()
                + " " + new String(e.responsePrefix(), StandardCharsets.ISO_8859_1)).toList();
        assertThat(lines).containsExactly("POST /p.S/A 200 0 first", "POST /p.S/B 404 5 ");
        Exchange a = out.get(0);
        assertThat(a.responseBytes()).isEqualTo(response(1).length + message(1, 0, "first").length + big.length + t1.length);
        assertThat(a.requestBytes()).isEqualTo(request(1, "/p.S/A").length + q1.length);
        HttpTrackerStats stats = tracker.stats();
        assertThat(stats.http2LostSync()).isEqualTo(1);
        assertThat(stats.parseErrors()).isZero();
    }

    @Test
    void aMalformedWalkRecordIsCountedAndDropsTheDirectionsPosition() {
        List<Exchange> out = new ArrayList<>();
        HttpConnectionTracker tracker = new HttpConnectionTracker(HttpTrackerConfig.defaults(), out::add);
        tracker.accept(open());
        tracker.accept(walk(Kind.INGRESS, false, new Seg(concat(Http2Framer.PREFACE, request(1, "/p.S/A")), 0)));
        byte[] bad = {100, 0, 0, 0, 0, 0, 0, 0, 1, 2}; // a segment longer than the record
        ts += 1000;
        tracker.accept(new SocketEvent(Kind.EGRESS, Conversation.TGID, Conversation.FD, Conversation.GENERATION, ts,
                Role.SERVER, 102, bad, bad.length, "grpcsrv", Conversation.SERVER_PORT, Conversation.CLIENT_PORT, false, true, false));
        assertThat(out).isEmpty();
        assertThat(tracker.stats().parseErrors()).isEqualTo(1);
        assertThat(tracker.stats().http2LostSync()).isEqualTo(1);
    }
}
