package dev.apiguard.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.apiguard.capture.SocketEvent;
import dev.apiguard.capture.SocketEvent.Kind;
import dev.apiguard.capture.SocketEvent.Role;
import dev.apiguard.http.HttpConnectionTracker;
import dev.apiguard.http.HttpTrackerConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * CPU cost of turning one keep-alive request/response pair into an Exchange: the events are built
 * once, the tracker parses them every time (two events per exchange, or five with a chunked body).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HttpTrackerBenchmark {
    private static final String REQUEST = "GET /api/v1/users/42?verbose=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
            + "User-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n";
    private static final String BODY = "{\"id\":42,\"name\":\"ada\",\"ok\":true,\"roles\":[\"admin\",\"dev\"]}";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nDate: Tue, 24 Nov 2026 22:00:00 GMT\r\n"
            + "Content-Type: application/json\r\nContent-Length: " + BODY.length() + "\r\nConnection: keep-alive\r\n\r\n" + BODY;
    private static final String CHUNKED_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";

    private HttpConnectionTracker tracker;
    private SocketEvent request;
    private SocketEvent response;
    private SocketEvent[] chunked;
    private Blackhole sink;

    @Setup
    public void setUp(Blackhole blackhole) {
        sink = blackhole;
        tracker = new HttpConnectionTracker(HttpTrackerConfig.defaults(), e -> sink.consume(e));
        tracker.accept(event(Kind.OPEN_SERVER, ""));
        request = event(Kind.INGRESS, REQUEST);
        response = event(Kind.EGRESS, RESPONSE);
        String chunk = Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n";
        chunked = new SocketEvent[] {event(Kind.INGRESS, REQUEST), event(Kind.EGRESS, CHUNKED_HEAD),
            event(Kind.EGRESS, chunk), event(Kind.EGRESS, chunk), event(Kind.EGRESS, "0\r\n\r\n")};
    }

    private static SocketEvent event(Kind kind, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return new SocketEvent(kind, 100, 7, 1, 1_000, Role.SERVER, bytes.length, bytes, bytes.length, "nginx", 8080, 50000);
    }

    @Benchmark
    public void contentLengthExchange() {
        tracker.accept(request);
        tracker.accept(response);
    }

    @Benchmark
    public void chunkedExchange() {
        for (SocketEvent e : chunked) {
            tracker.accept(e);
        }
    }
}
