package dev.apiguard.http;

import static dev.apiguard.http.Conversation.head;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.apiguard.capture.SocketEvent;
import dev.apiguard.capture.SocketEvent.Kind;
import dev.apiguard.capture.SocketEvent.Role;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the bytes, the tracker never throws and its state stays within its bounds. */
class TrackerPropertiesTest {
    static final HttpTrackerConfig SMALL = new HttpTrackerConfig(3, 2, Duration.ofMillis(1), 256, 64, Map.of());
    static final String[] FRAGMENTS = {
        head("GET /a HTTP/1.1", "Host: x"), head("HTTP/1.1 200 OK", "Content-Length: 3") + "abc",
        head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked") + "3;x\r\nabc\r\n0\r\nT: 1\r\n\r\n",
        head("POST /p HTTP/1.1", "Content-Length: 5", "Expect: 100-continue"), "HTTP/1.1 100 Continue\r\n\r\n",
        head("HTTP/1.1 101 Switching Protocols"), head("CONNECT h:443 HTTP/1.1"), head("HTTP/1.0 204 No Content"),
        head("HEAD / HTTP/1.1"), "\r\n", "HTTP/1.1 ", "GET ", "Content-Length: 99999999999999999999\r\n"
    };

    @Provide
    Arbitrary<List<SocketEvent>> events() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
        Arbitrary<byte[]> http = Arbitraries.of(FRAGMENTS).map(Conversation::ascii);
        Arbitrary<byte[]> sliced = Combinators.combine(http, Arbitraries.integers().between(0, 40), Arbitraries.integers().between(0, 40))
                .as((b, from, n) -> Arrays.copyOfRange(b, Math.min(from, b.length), Math.min(b.length, from + n)));
        Arbitrary<byte[]> data = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, random), net.jqwik.api.Tuple.of(5, http), net.jqwik.api.Tuple.of(3, sliced));
        Arbitrary<SocketEvent> event = Combinators.combine(
                        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.of(Kind.ACCEPT, Kind.CONNECT, Kind.CLOSE)),
                                net.jqwik.api.Tuple.of(8, Arbitraries.of(Kind.INGRESS, Kind.EGRESS))),
                        Arbitraries.integers().between(1, 5),
                        Arbitraries.of(Role.values()),
                        data,
                        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just(0)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 5000))))
                .as((kind, fd, role, bytes, gap) -> new SocketEvent(kind, 1, fd, fd % 2, 0, role, bytes.length + gap, bytes,
                        bytes.length, "svc", 80, 1000 + fd));
        return event.list().ofMaxSize(60);
    }

    @Property(tries = 150)
    void randomEventStreamsNeverThrowAndStayBounded(@ForAll("events") List<SocketEvent> events) {
        List<Exchange> out = new ArrayList<>();
        HttpConnectionTracker tracker = new HttpConnectionTracker(SMALL, out::add);
        long ts = 0;
        for (SocketEvent e : events) {
            ts += 1_000_000;
            tracker.accept(withTimestamp(e, ts));
            assertBounded(tracker);
            if (ts % 7 == 0) {
                tracker.expireIdle(ts);
            }
        }
        tracker.expireIdle(Long.MAX_VALUE / 2);
        assertThat(tracker.lostSyncConnections()).isZero();
        assertSane(out, tracker);
    }

    @Property(tries = 150)
    void mutatedRecordedStreamsNeverThrowAndStayBounded(@ForAll long seed) {
        Random random = new Random(seed);
        String req = head("POST /api/v1/orders?x=1 HTTP/1.1", "Host: shop", "Content-Length: 9") + "{\"q\":123}";
        String resp = head("HTTP/1.1 200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked")
                + "b\r\n{\"ok\":false\r\n1\r\n}\r\n0\r\n\r\n";
        byte[] client = mutate(Conversation.ascii(req + req), random);
        byte[] server = mutate(Conversation.ascii(resp + resp), random);
        Conversation c = new Conversation().client(client).server(server).client(mutate(client, random)).server(server);
        if (random.nextBoolean()) {
            c.close();
        }
        for (Role view : Role.values()) {
            List<Exchange> out = new ArrayList<>();
            HttpConnectionTracker tracker = new HttpConnectionTracker(SMALL, out::add);
            for (SocketEvent e : c.replay(view == Role.UNKNOWN ? Role.SERVER : view,
                    i -> Expect.randomCuts(c.writes().get(i).bytes().length, random)).events) {
                tracker.accept(view == Role.UNKNOWN ? unknownRole(e) : e);
                assertBounded(tracker);
            }
            assertSane(out, tracker);
        }
    }

    static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        int edits = random.nextInt(4);
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(3)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b = concat(Arrays.copyOfRange(b, 0, at), Arrays.copyOfRange(b, Math.min(b.length, at + 1 + random.nextInt(8)), b.length));
                default -> b = concat(Arrays.copyOfRange(b, 0, at), concat(new byte[] {(byte) random.nextInt(256)}, Arrays.copyOfRange(b, at, b.length)));
            }
        }
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static SocketEvent withTimestamp(SocketEvent e, long ts) {
        return new SocketEvent(e.kind(), e.tgid(), e.fd(), e.generation(), ts, e.role(), e.totalLength(), e.data(),
                e.capturedLength(), e.comm(), e.localPort(), e.remotePort());
    }

    static SocketEvent unknownRole(SocketEvent e) {
        return new SocketEvent(e.kind(), e.tgid(), e.fd(), 0, e.timestampNanos(), Role.UNKNOWN, e.totalLength(), e.data(),
                e.capturedLength(), e.comm(), e.localPort(), e.remotePort());
    }

    static void assertBounded(HttpConnectionTracker tracker) {
        HttpTrackerStats s = tracker.stats();
        assertThat(s.openConnections()).isBetween(0L, 3L);
        assertThat(tracker.lostSyncConnections()).isLessThanOrEqualTo((int) s.openConnections());
        assertThat(s.connectionsOpened()).isEqualTo(s.openConnections() + s.connectionsClosed() + s.connectionsEvicted());
    }

    static void assertSane(List<Exchange> out, HttpConnectionTracker tracker) {
        assertThat(tracker.stats().exchangesEmitted()).isEqualTo(out.size());
        for (Exchange e : out) {
            assertThat(e.method()).isNotEmpty();
            assertThat(e.rawPath()).isNotEmpty();
            assertThat(e.status()).isBetween(100, 999);
            assertThat(e.responsePrefix().length).isLessThanOrEqualTo(64);
            assertThat(e.requestBytes()).isNotNegative();
            assertThat(e.responseBytes()).isPositive();
        }
    }
}
