package dev.apiguard.http;

import static dev.apiguard.http.Conversation.head;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import dev.apiguard.capture.SocketEvent;
import dev.apiguard.capture.SocketEvent.Kind;
import dev.apiguard.capture.SocketEvent.Role;
import dev.apiguard.model.Exchange;
import dev.apiguard.testkit.Fuzz;
import org.junit.jupiter.api.Test;

/**
 * Whatever the bytes, the tracker never throws and its state stays within its bounds.
 * Per run: 600 random event streams (up to 60 events each) and 400 mutated recorded conversations,
 * each replayed from all three views. Seeds are fixed; {@code -Dapiguard.fuzz.seed=...} changes them.
 */
class TrackerPropertiesTest {
    static final HttpTrackerConfig SMALL = new HttpTrackerConfig(3, 2, Duration.ofMillis(1), 256, 64, Map.of());
    static final String[] FRAGMENTS = {
        head("GET /a HTTP/1.1", "Host: x"), head("HTTP/1.1 200 OK", "Content-Length: 3") + "abc",
        head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked") + "3;x\r\nabc\r\n0\r\nT: 1\r\n\r\n",
        head("POST /p HTTP/1.1", "Content-Length: 5", "Expect: 100-continue"), "HTTP/1.1 100 Continue\r\n\r\n",
        head("HTTP/1.1 101 Switching Protocols"), head("CONNECT h:443 HTTP/1.1"), head("HTTP/1.0 204 No Content"),
        head("HEAD / HTTP/1.1"), "\r\n", "HTTP/1.1 ", "GET ", "Content-Length: 99999999999999999999\r\n"
    };
    static final int MAX_EVENTS = 60;

    /** Up to 60 events on five sockets: mostly data (random bytes, HTTP fragments or slices of them), some lifecycle. */
    static List<SocketEvent> events(SplittableRandom r) {
        int n = Fuzz.intBetween(r, 0, MAX_EVENTS);
        List<SocketEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(event(r));
        }
        return events;
    }

    static SocketEvent event(RandomGenerator r) {
        Kind kind = Fuzz.weighted(r, 1, 8) == 0 ? Fuzz.pick(r, Kind.OPEN_SERVER, Kind.OPEN_CLIENT, Kind.CLOSE)
                : Fuzz.pick(r, Kind.INGRESS, Kind.EGRESS);
        int fd = Fuzz.intBetween(r, 1, 5);
        Role role = Fuzz.pick(r, Role.values());
        byte[] bytes = switch (Fuzz.weighted(r, 2, 5, 3)) {
            case 0 -> Fuzz.bytes(r, Fuzz.intBetween(r, 0, 80));
            case 1 -> Conversation.ascii(Fuzz.pick(r, FRAGMENTS));
            default -> {
                byte[] b = Conversation.ascii(Fuzz.pick(r, FRAGMENTS));
                int from = Fuzz.intBetween(r, 0, 40);
                int length = Fuzz.intBetween(r, 0, 40);
                yield Arrays.copyOfRange(b, Math.min(from, b.length), Math.min(b.length, from + length));
            }
        };
        int gap = Fuzz.weighted(r, 6, 1) == 0 ? 0 : Fuzz.intBetween(r, 1, 5000); // bytes the capture did not copy
        return new SocketEvent(kind, 1, fd, fd % 2, 0, role, bytes.length + gap, bytes, bytes.length, "svc", 80, 1000 + fd);
    }

    @Test
    void randomEventStreamsNeverThrowAndStayBounded() {
        Fuzz.of("random event streams", 600, 0xE7E27L).forAll(TrackerPropertiesTest::events,
                TrackerPropertiesTest::describe, events -> {
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
                });
    }

    /** A recorded exchange pair with up to three edits per side, the client's second write edited again. */
    record Mutated(byte[] client, byte[] server, byte[] client2, boolean close, long cutSeed) {
        @Override
        public String toString() {
            return "client " + Fuzz.show(client) + ", server " + Fuzz.show(server) + ", client again "
                    + Fuzz.show(client2) + ", close " + close + ", cut seed " + cutSeed;
        }
    }

    static Mutated mutated(SplittableRandom r) {
        String req = head("POST /api/v1/orders?x=1 HTTP/1.1", "Host: shop", "Content-Length: 9") + "{\"q\":123}";
        String resp = head("HTTP/1.1 200 OK", "Content-Type: application/json", "Transfer-Encoding: chunked")
                + "b\r\n{\"ok\":false\r\n1\r\n}\r\n0\r\n\r\n";
        byte[] client = mutate(Conversation.ascii(req + req), r);
        byte[] server = mutate(Conversation.ascii(resp + resp), r);
        return new Mutated(client, server, mutate(client, r), r.nextBoolean(), r.nextLong());
    }

    @Test
    void mutatedRecordedStreamsNeverThrowAndStayBounded() {
        Fuzz.of("mutated recorded streams", 400, 0x3E7A7EL).forAll(TrackerPropertiesTest::mutated, m -> {
            Conversation c = new Conversation().client(m.client()).server(m.server()).client(m.client2()).server(m.server());
            if (m.close()) {
                c.close();
            }
            for (Role view : Role.values()) {
                Random cuts = new Random(m.cutSeed() + view.ordinal());
                List<Exchange> out = new ArrayList<>();
                HttpConnectionTracker tracker = new HttpConnectionTracker(SMALL, out::add);
                for (SocketEvent e : c.replay(view == Role.UNKNOWN ? Role.SERVER : view,
                        i -> Expect.randomCuts(c.writes().get(i).bytes().length, cuts)).events) {
                    tracker.accept(view == Role.UNKNOWN ? unknownRole(e) : e);
                    assertBounded(tracker);
                }
                assertSane(out, tracker);
            }
        });
    }

    static String describe(List<SocketEvent> events) {
        return events.size() + " events:" + events.stream()
                .map(e -> "\n    " + e.kind() + " fd " + e.fd() + " " + e.role() + " total " + e.totalLength() + " "
                        + Fuzz.show(e.data()))
                .collect(Collectors.joining());
    }

    static byte[] mutate(byte[] original, RandomGenerator random) {
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
