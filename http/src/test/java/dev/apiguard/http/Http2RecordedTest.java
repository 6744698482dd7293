package dev.apiguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import dev.apiguard.capture.SocketEvent.Role;
import dev.apiguard.model.Exchange;
import org.junit.jupiter.api.Test;

/**
 * A real python3-grpcio conversation (recorded by a logging TCP proxy: each recv() as one write):
 * 2 OK and 2 NOT_FOUND unary calls to /test.Svc/Unary, then a server-streaming call of 2 messages.
 * Replayed from both ends, whole and cut at every offset.
 */
class Http2RecordedTest {

    static Conversation recorded(String resource) throws IOException {
        Conversation c = new Conversation();
        try (InputStream raw = Http2RecordedTest.class.getResourceAsStream(resource)) {
            DataInputStream in = new DataInputStream(raw);
            while (in.available() > 0) {
                int direction = in.readUnsignedByte();
                byte[] chunk = new byte[in.readInt()];
                in.readFully(chunk);
                if (direction == 0) {
                    c.client(chunk);
                } else {
                    c.server(chunk);
                }
            }
        }
        return c;
    }

    static List<Exchange> run(List<dev.apiguard.capture.SocketEvent> events, HttpConnectionTracker[] out) {
        List<Exchange> exchanges = new ArrayList<>();
        HttpConnectionTracker tracker = new HttpConnectionTracker(HttpTrackerConfig.defaults(), exchanges::add);
        events.forEach(tracker);
        out[0] = tracker;
        return exchanges;
    }

    @Test
    void grpcUnaryAndStreamingCallsFromBothEnds() throws IOException {
        Conversation c = recorded("/h2/grpc-python.bin");
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            HttpConnectionTracker[] tracker = new HttpConnectionTracker[1];
            List<Exchange> got = run(c.replay(view).events, tracker);
            assertThat(got).extracting(e -> e.method() + " " + e.rawPath() + " " + e.status() + " " + e.grpcStatus())
                    .as("view %s, stats %s", view, tracker[0].stats())
                    .containsExactly("POST /test.Svc/Unary 200 0", "POST /test.Svc/Unary 200 0", "POST /test.Svc/Unary 404 5",
                            "POST /test.Svc/Unary 404 5", "POST /test.Svc/Stream 200 0");
            assertThat(got.get(0).contentType()).isEqualTo("application/grpc");
            assertThat(new String(got.get(0).responsePrefix(), java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("okOK");
            assertThat(tracker[0].stats().hpackUnknownBlocks()).isZero();
            assertThat(tracker[0].stats().http2LostSync()).isZero();
        }
    }

    @Test
    void anySplitOfAnyWriteGivesTheSameExchanges() throws IOException {
        Conversation c = recorded("/h2/grpc-python.bin");
        List<String> expected = List.of("POST /test.Svc/Unary 200 0", "POST /test.Svc/Unary 200 0", "POST /test.Svc/Unary 404 5",
                "POST /test.Svc/Unary 404 5", "POST /test.Svc/Stream 200 0");
        int replays = 0;
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            List<Conversation.Write> writes = c.writes();
            for (int w = 0; w < writes.size(); w++) {
                int target = w;
                // The kernel opens a connection at an event holding a whole preface or frame header:
                // the first event is never shorter.
                for (int k = w == 0 ? Http2Framer.PREFACE.length : 1; k < writes.get(w).bytes().length; k++) {
                    int at = k;
                    HttpConnectionTracker[] tracker = new HttpConnectionTracker[1];
                    List<Exchange> got = run(c.replay(view, i -> i == target ? new int[] {at} : new int[0]).events, tracker);
                    assertThat(got).extracting(e -> e.method() + " " + e.rawPath() + " " + e.status() + " " + e.grpcStatus())
                            .as("view %s, write %d cut at %d", view, target, at).isEqualTo(expected);
                    replays++;
                }
            }
            for (int size = 1; size <= 9; size++) {
                int piece = size;
                HttpConnectionTracker[] tracker = new HttpConnectionTracker[1];
                List<Exchange> got = run(c.replay(view, i -> i == 0 ? new int[0] : Expect.every(writes.get(i).bytes().length, piece)).events, tracker);
                assertThat(got).extracting(e -> e.method() + " " + e.rawPath() + " " + e.status() + " " + e.grpcStatus())
                        .as("view %s, pieces of %d", view, piece).isEqualTo(expected);
            }
        }
        assertThat(replays).isGreaterThan(1000);
    }
}
