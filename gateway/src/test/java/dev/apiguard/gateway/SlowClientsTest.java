package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow clients, retries and connection hygiene, against a real gateway and a real backend that
 * records every byte it receives. A breaker that trips after 5 calls at a 50% failure ratio makes any
 * client timeout wrongly counted as a backend failure visible at once.
 */
class SlowClientsTest {
    private static final BreakerConfig FAST = BreakerConfig.builder()
            .minCalls(5).failureRatio(0.5).window(Duration.ofSeconds(30))
            .openBase(Duration.ofSeconds(5)).openMax(Duration.ofSeconds(10)).jitter(0)
            .build();

    /** What one slow upload saw: the status (-1 closed unanswered), when, and whether the gateway then closed. */
    record UploadResult(int status, long millisAfterHead, boolean closed) {}

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void elevenHundredSlowUploadsNeverHoldTheBackendNorSlowAnotherRoute() throws Exception {
        int uploads = 1100;
        try (RawBackend backend = RawBackend.start(RawBackend.OK);
                Gateway g = TestGateways.start(backend.uri(),
                        b -> b.breaker(FAST).clientBodyTimeout(Duration.ofSeconds(12)));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            RawHttp probe = new RawHttp(g.port()); // one keep-alive client connection, so one upstream connection
            // class loading and the first connects happen before the clock runs
            assertThat(probe.exchange("GET /probe HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(200);
            CountDownLatch headsSent = new CountDownLatch(uploads);
            List<Future<UploadResult>> results = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                results.add(threads.submit(() -> slowUpload(g.port(), headsSent)));
            }
            assertThat(headsSent.await(20, TimeUnit.SECONDS)).as("every upload sent its head").isTrue();
            // the clock starts once the gateway holds all of them (on a loaded machine accepting takes seconds)
            await(() -> g.inFlight() == uploads, Duration.ofSeconds(20), "1,100 uploads in flight");

            // While all 1,100 drip one byte every 2 s, another route answers at once, every time.
            int probes = 0;
            long worstMillis = 0;
            List<Long> latencies = new ArrayList<>();
            try (probe) {
                long until = System.nanoTime() + 8_000_000_000L;
                while (System.nanoTime() < until) {
                    long t0 = System.nanoTime();
                    RawHttp.Response r = probe.exchange("GET /probe HTTP/1.1\r\nHost: t\r\n\r\n");
                    latencies.add((System.nanoTime() - t0) / 1_000_000);
                    worstMillis = Math.max(worstMillis, latencies.getLast());
                    assertThat(r.status()).isEqualTo(200);
                    probes++;
                    Thread.sleep(100);
                }
            }
            assertThat(worstMillis).as("slowest probe, ms, of " + latencies).isLessThan(1000);
            assertThat(probes).isGreaterThanOrEqualTo(40);
            // Bodies are buffered: no upload took an upstream connection; the probe used exactly one.
            assertThat(backend.count("POST", "/upload")).isZero();
            assertThat(backend.peakOpenConnections()).isEqualTo(1);
            assertThat(backend.connections()).isEqualTo(1);

            // Each upload is cut by the minimum rate after one 12 s window (6 bytes of 100 < 100 due).
            for (Future<UploadResult> f : results) {
                UploadResult r = f.get(40, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(408);
                assertThat(r.closed()).isTrue();
                assertThat(r.millisAfterHead()).isBetween(11_000L, 16_000L);
            }
            assertThat(backend.count("POST", "/upload")).isZero();
            assertThat(metrics(g)).contains("apiguard_gateway_rejected_total{reason=\"client_timeout\"} 1100.0");
            for (BreakerSnapshot b : g.breakers().snapshot()) {
                assertThat(b.status()).as(b.route()).isEqualTo(BreakerSnapshot.Status.CLOSED);
                assertThat(b.windowFailures()).as(b.route()).isZero();
            }
        }
    }

    /** Sends a head announcing 100 bytes, then one byte every 2 s until answered (at most 30 s). */
    private static UploadResult slowUpload(int port, CountDownLatch headSent) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            out.write("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            headSent.countDown();
            for (int i = 0; i < 15; i++) {
                int first;
                try {
                    first = in.read();
                } catch (SocketTimeoutException e) {
                    try {
                        out.write('x');
                        out.flush();
                    } catch (IOException gone) {
                        // closed under us: the next read tells what came back
                    }
                    continue;
                }
                long millis = (System.nanoTime() - t0) / 1_000_000;
                if (first < 0) {
                    return new UploadResult(-1, millis, true);
                }
                String statusLine = (char) first + line(in);
                int status = Integer.parseInt(statusLine.split(" ")[1]);
                return new UploadResult(status, millis, drainsToEof(in));
            }
            return new UploadResult(0, (System.nanoTime() - t0) / 1_000_000, false);
        }
    }

    @Test
    void oneRouteHoldsAtMostItsShareOfUpstreamConnectionsAndTheOthersStillGetTheirs() throws Exception {
        try (RawBackend backend = RawBackend.start(r -> {
                    if (r.target().startsWith("/hold")) {
                        sleep(1500);
                    }
                    return RawBackend.response(200, "{\"ok\":true}");
                });
                Gateway g = TestGateways.start(backend.uri(),
                        b -> b.ioThreads(1).maxConnections(8).maxConnectionsPerRoute(2).breaker(FAST));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> holds = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                holds.add(threads.submit(() -> {
                    try (RawHttp c = new RawHttp(g.port())) {
                        return c.exchange("POST /hold HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc").status();
                    }
                }));
            }
            await(() -> backend.count("POST", "/hold") == 2, Duration.ofSeconds(5), "two holds at the backend");
            Thread.sleep(200);
            try (RawHttp probe = new RawHttp(g.port())) {
                for (int i = 0; i < 3; i++) {
                    long t0 = System.nanoTime();
                    assertThat(probe.exchange("GET /probe HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(200);
                    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(500);
                }
            }
            assertThat(backend.count("POST", "/hold")).as("the route's bound holds the rest back").isEqualTo(2);
            for (Future<Integer> f : holds) {
                assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(200);
            }
            assertThat(backend.count("POST", "/hold")).isEqualTo(6);
            assertThat(backend.peakOpenConnections()).as("2 for /hold, 1 for the probe").isEqualTo(3);
            assertThat(metrics(g)).contains("apiguard_gateway_route_pool_waits_total 4.0");
            assertThat(g.breakers().get("/hold").orElseThrow().windowFailures()).isZero();
        }
    }

    @Test
    void aRouteAtItsBoundWithNoRoomToWaitIsShedWithoutBlamingTheRoute() throws Exception {
        try (RawBackend backend = RawBackend.start(r -> {
                    sleep(800);
                    return RawBackend.response(200, "{\"ok\":true}");
                });
                Gateway g = TestGateways.start(backend.uri(),
                        b -> b.ioThreads(1).maxConnections(8).maxConnectionsPerRoute(1).maxPoolWaiters(0).breaker(FAST));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> first = threads.submit(() -> {
                try (RawHttp c = new RawHttp(g.port())) {
                    return c.exchange("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n").status();
                }
            });
            await(() -> backend.count("GET", "/hold") == 1, Duration.ofSeconds(5), "the first hold at the backend");
            for (int i = 0; i < 6; i++) {
                try (RawHttp c = new RawHttp(g.port())) {
                    RawHttp.Response shed = c.exchange("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n");
                    assertThat(shed.status()).isEqualTo(503);
                    assertThat(shed.text()).contains("upstream pool full");
                }
            }
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(backend.count("GET", "/hold")).isEqualTo(1);
            BreakerSnapshot b = g.breakers().get("/hold").orElseThrow();
            assertThat(b.status()).isEqualTo(BreakerSnapshot.Status.CLOSED);
            assertThat(b.windowFailures()).isZero();
            assertThat(metrics(g)).contains("apiguard_gateway_shed_total{reason=\"pool_full\"} 6.0");
        }
    }

    @Test
    void requestsWaitingForAConnectionPastTheResponseTimeoutAreShedNotBlamedOnTheRoute() throws Exception {
        // One upload streams (past its 1 KiB buffer) at a pace the backend keeps up with, for ~3 s: it
        // holds the route's only connection well past the 1 s response timeout, which is the client's
        // time, not the backend's. GETs queued behind it are shed with 503 after 1 s, as overload.
        try (RawBackend backend = RawBackend.start(RawBackend.OK);
                Gateway g = TestGateways.start(backend.uri(), b -> b.ioThreads(1).maxConnectionsPerRoute(1)
                        .requestBufferBytes(1024).clientBodyMinRate(0).clientBodyTimeout(Duration.ofSeconds(5))
                        .responseTimeout(Duration.ofSeconds(1)).breaker(FAST));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                RawHttp upload = new RawHttp(g.port())) {
            int length = 2000 + 10 * 100;
            upload.send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: " + length + "\r\n\r\n");
            upload.send(new byte[2000]);
            await(() -> backend.connections() == 1, Duration.ofSeconds(3), "the upload's upstream connection");
            List<Future<RawHttp.Response>> waiting = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiting.add(threads.submit(() -> {
                    try (RawHttp c = new RawHttp(g.port())) {
                        return c.exchange("GET /up HTTP/1.1\r\nHost: t\r\n\r\n");
                    }
                }));
            }
            for (int i = 0; i < 10; i++) {
                Thread.sleep(300);
                upload.send(new byte[100]);
            }
            assertThat(upload.read().status()).as("3 s of client pace is no backend timeout").isEqualTo(200);
            for (Future<RawHttp.Response> f : waiting) {
                RawHttp.Response r = f.get(10, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.text()).contains("no upstream connection within PT1S");
            }
            assertThat(backend.count("GET", "/up")).isZero();
            assertThat(backend.received()).hasSize(1);
            assertThat(backend.received().getFirst().body()).hasSize(length);
            BreakerSnapshot b = g.breakers().get("/up").orElseThrow();
            assertThat(b.windowFailures()).isZero();
            assertThat(b.status()).isEqualTo(BreakerSnapshot.Status.CLOSED);
            assertThat(metrics(g)).contains("apiguard_gateway_shed_total{reason=\"pool_timeout\"} 5.0")
                    .contains("apiguard_gateway_route_pool_waits_total 5.0")
                    .doesNotContain("apiguard_gateway_upstream_errors_total{kind=\"timeout\"}");
        }
    }

    @Test
    void aBodyLargerThanTheBufferTakesAnUpstreamConnectionOnlyOnceTheBufferIsFull() throws Exception {
        try (RawBackend backend = RawBackend.start(RawBackend.OK);
                Gateway g = TestGateways.start(backend.uri(), b -> b.requestBufferBytes(1024));
                RawHttp c = new RawHttp(g.port())) {
            byte[] body = new byte[4000];
            Arrays.fill(body, (byte) 'a');
            c.send("POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 4000\r\n\r\n");
            c.send(Arrays.copyOfRange(body, 0, 1000));
            Thread.sleep(400);
            assertThat(backend.connections()).as("1000 bytes of a 1024-byte buffer: still buffering").isZero();
            c.send(Arrays.copyOfRange(body, 1000, 1100));
            await(() -> backend.connections() == 1, Duration.ofSeconds(3), "an upstream connection once the buffer filled");
            c.send(Arrays.copyOfRange(body, 1100, 4000));
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(backend.received()).hasSize(1);
            assertThat(backend.received().getFirst().body()).isEqualTo(body);
        }
    }

    @Test
    void aBodylessPostOnADyingPooledConnectionReachesTheBackendOnceAndGets502() throws Exception {
        // Every connection's second request is read and then dropped unanswered.
        try (RawBackend backend = RawBackend.start(RawBackend.dropNth(2, RawBackend.OK));
                Gateway g = TestGateways.start(backend.uri(), b -> b.ioThreads(1).breaker(FAST));
                RawHttp c = new RawHttp(g.port())) {
            assertThat(c.exchange("GET /warm HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(200);
            RawHttp.Response post = c.exchange("POST /orders HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(post.status()).isEqualTo(502);
            assertThat(backend.count("POST", "/orders")).as("sent exactly once").isEqualTo(1);
            assertThat(metrics(g)).contains("apiguard_gateway_retries_total 0.0");
        }
    }

    @Test
    void aGetOnADyingPooledConnectionIsRetriedOnceAndSucceeds() throws Exception {
        try (RawBackend backend = RawBackend.start(RawBackend.dropNth(2, RawBackend.OK));
                Gateway g = TestGateways.start(backend.uri(), b -> b.ioThreads(1).breaker(FAST));
                RawHttp c = new RawHttp(g.port())) {
            assertThat(c.exchange("GET /warm HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(200);
            RawHttp.Response get = c.exchange("GET /items HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(get.status()).isEqualTo(200);
            assertThat(backend.count("GET", "/items")).as("dropped once, answered on a fresh connection").isEqualTo(2);
            assertThat(backend.connections()).isEqualTo(2);
            assertThat(metrics(g)).contains("apiguard_gateway_retries_total 1.0");
        }
        // retry-idempotent: false never sends anything twice
        try (RawBackend backend = RawBackend.start(RawBackend.dropNth(2, RawBackend.OK));
                Gateway g = TestGateways.start(backend.uri(), b -> b.ioThreads(1).retryIdempotent(false));
                RawHttp c = new RawHttp(g.port())) {
            assertThat(c.exchange("GET /warm HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(200);
            assertThat(c.exchange("GET /items HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(502);
            assertThat(backend.count("GET", "/items")).isEqualTo(1);
        }
    }

    @Test
    void aBodyThatNeverFinishesAfterAnEarlyResponseGetsItsConnectionClosed() throws Exception {
        try (RawBackend backend = RawBackend.startEarly(RawBackend.OK);
                Gateway g = TestGateways.start(backend.uri(),
                        b -> b.requestBufferBytes(1024).clientBodyTimeout(Duration.ofSeconds(1)));
                RawHttp c = new RawHttp(g.port())) {
            c.send("POST /early HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");
            c.send(new byte[5000]); // past the buffer: forwarded, and the backend answers at once
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            long t0 = System.nanoTime();
            assertThat(c.closedByPeer()).isTrue(); // the other 95,000 bytes never come
            assertThat((System.nanoTime() - t0) / 1_000_000).as("closed within the body timeout, ms").isLessThan(2500);
            assertThat(metrics(g)).contains("apiguard_gateway_rejected_total{reason=\"unfinished_body\"} 1.0");
        }
    }

    @Test
    void expectContinueWithoutABodyIs408AndClosedWithinTheBodyTimeout() throws Exception {
        try (RawBackend backend = RawBackend.start(RawBackend.OK);
                Gateway g = TestGateways.start(backend.uri(),
                        b -> b.breaker(FAST).clientBodyTimeout(Duration.ofSeconds(1)))) {
            for (int i = 0; i < 6; i++) { // more than the breaker's min-calls: none may count
                try (RawHttp c = new RawHttp(g.port())) {
                    c.send("POST /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n");
                    long t0 = System.nanoTime();
                    assertThat(c.read().status()).isEqualTo(100);
                    RawHttp.Response r = c.read();
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    assertThat(r.status()).isEqualTo(408);
                    assertThat(r.headers().get("connection")).isEqualTo("close");
                    assertThat(millis).isBetween(900L, 2500L);
                    assertThat(c.closedByPeer()).isTrue();
                }
            }
            assertThat(backend.connections()).isZero();
            BreakerSnapshot b = g.breakers().get("/upload").orElseThrow();
            assertThat(b.status()).isEqualTo(BreakerSnapshot.Status.CLOSED);
            assertThat(b.windowCalls()).isZero();
            assertThat(metrics(g)).contains("apiguard_gateway_rejected_total{reason=\"client_timeout\"} 6.0");
        }
    }

    @Test
    void aBodyThatStallsMidwayIs408AndNeverABackendFailure() throws Exception {
        // 2,000 of 4,000 bytes, then silence: the upstream connection (taken once the 1 KiB buffer filled)
        // is dropped and the client gets 408, the backend is not blamed.
        try (RawBackend backend = RawBackend.start(RawBackend.OK);
                Gateway g = TestGateways.start(backend.uri(),
                        b -> b.breaker(FAST).requestBufferBytes(1024).clientBodyTimeout(Duration.ofSeconds(1)))) {
            for (int i = 0; i < 6; i++) {
                try (RawHttp c = new RawHttp(g.port())) {
                    c.send("PUT /stall HTTP/1.1\r\nHost: t\r\nContent-Length: 4000\r\n\r\n");
                    c.send(new byte[2000]);
                    RawHttp.Response r = c.read();
                    assertThat(r.status()).isEqualTo(408);
                    assertThat(c.closedByPeer()).isTrue();
                }
            }
            assertThat(backend.received()).isEmpty(); // no request was ever complete
            BreakerSnapshot b = g.breakers().get("/stall").orElseThrow();
            assertThat(b.status()).isEqualTo(BreakerSnapshot.Status.CLOSED);
            assertThat(b.windowFailures()).isZero();
            assertThat(metrics(g)).contains("apiguard_gateway_rejected_total{reason=\"client_timeout\"} 6.0")
                    .doesNotContain("apiguard_gateway_upstream_errors_total{kind=\"timeout\"}");
        }
    }

    @Test
    void aHeadDrippedByteByByteIs408AtTheHeaderTimeout() throws Exception {
        try (RawBackend backend = RawBackend.start(RawBackend.OK);
                Gateway g = TestGateways.start(backend.uri(), b -> b.clientHeaderTimeout(Duration.ofSeconds(1)));
                RawHttp c = new RawHttp(g.port())) {
            byte[] head = "GET /slow-head HTTP/1.1\r\nHost: t\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            try {
                for (byte b : head) { // one byte every 100 ms: the connection is never idle
                    if (c.input().available() > 0) {
                        break; // answered
                    }
                    c.send(new byte[] {b});
                    Thread.sleep(100);
                }
            } catch (IOException closed) {
                // the gateway closed while we were still sending
            }
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(900L, 2500L);
            assertThat(backend.connections()).isZero();
            assertThat(metrics(g)).contains("apiguard_gateway_rejected_total{reason=\"client_timeout\"} 1.0");
        }
    }

    // ---- helpers

    private static String metrics(Gateway g) throws IOException {
        return TestGateways.metrics(g);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads until end of stream; false when the peer kept the connection open past the read timeout. */
    private static boolean drainsToEof(InputStream in) {
        try {
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // the rest of the response
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed too
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
