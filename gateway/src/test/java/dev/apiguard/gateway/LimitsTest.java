package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Request limits and malformed input, over raw sockets, against a real backend. */
class LimitsTest {
    private static final int MAX_BODY = 1 << 20;
    private static Backend backend;
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        backend = Backend.start();
        gateway = TestGateways.start(backend.uri(), b -> b.maxBodyBytes(MAX_BODY).maxRequestLine(4096).maxHeaderSize(8192));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    private static RawHttp client() throws IOException {
        return new RawHttp(gateway.port());
    }

    private static void assertStillServes() throws IOException {
        try (RawHttp raw = client()) {
            assertThat(raw.exchange("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void aTooLongRequestLineIs414() throws IOException {
        try (RawHttp raw = client()) {
            RawHttp.Response r = raw.exchange("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(r.status()).isEqualTo(414);
            assertThat(raw.closedByPeer()).isTrue();
        }
        assertThat(metrics(gateway)).contains("apiguard_gateway_rejected_total{reason=\"request_line_too_long\"} 1.0");
        assertStillServes();
    }

    @Test
    void tooLargeHeadersAre431() throws IOException {
        try (RawHttp raw = client()) {
            RawHttp.Response r = raw.exchange("GET /ok HTTP/1.1\r\nHost: t\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n");
            assertThat(r.status()).isEqualTo(431);
            assertThat(raw.closedByPeer()).isTrue();
        }
        assertThat(metrics(gateway)).contains("apiguard_gateway_rejected_total{reason=\"headers_too_large\"} 1.0");
        assertStillServes();
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413WithoutReadingIt() throws IOException {
        try (RawHttp raw = client()) {
            RawHttp.Response r = raw.exchange("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + (MAX_BODY + 1)
                    + "\r\n\r\n");
            assertThat(r.status()).isEqualTo(413);
            assertThat(raw.closedByPeer()).isTrue();
        }
        assertStillServes();
    }

    @Test
    void aChunkedBodyThatGrowsOverTheLimitIs413() throws IOException {
        try (RawHttp raw = client()) {
            raw.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            try {
                for (int i = 0; i < 17; i++) { // 17 × 64 KiB > 1 MiB
                    raw.send(chunk);
                }
            } catch (IOException closedWhileSending) {
                // the gateway may close before the last chunk; the response is already on its way
            }
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(413);
        }
        assertStillServes();
    }

    @Test
    void aBodyJustUnderTheLimitPasses() throws IOException {
        try (RawHttp raw = client()) {
            raw.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + MAX_BODY + "\r\n\r\n");
            raw.send(new byte[MAX_BODY]);
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).contains("\"length\": " + MAX_BODY);
        }
    }

    @Test
    void malformedRequestsAre400() throws IOException {
        for (String bad : new String[] {
            "THIS IS NOT HTTP\r\n\r\n",
            "GET /ok HTTP/1.1\r\nHost: t\r\nBad Header Line\r\n\r\n",
            "GET /ok HTTP/1.1\r\nHost: t\r\nContent-Length: 12abc\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        }) {
            try (RawHttp raw = client()) {
                RawHttp.Response r = raw.exchange(bad);
                assertThat(r.status()).as(bad).isEqualTo(400);
                assertThat(raw.closedByPeer()).isTrue();
            }
        }
        assertThat(metrics(gateway)).contains("apiguard_gateway_rejected_total{reason=\"malformed\"} 4.0");
        assertStillServes();
    }

    @Test
    void theUpstreamPoolIsBoundedAndItsWaitersToo() throws Exception {
        // one loop, one upstream connection: a second concurrent request waits; with no room to wait it is shed
        try (Gateway waiting = TestGateways.start(backend.uri(), b -> b.ioThreads(1).maxConnections(1).maxPoolWaiters(4));
                Gateway shedding = TestGateways.start(backend.uri(), b -> b.ioThreads(1).maxConnections(1).maxPoolWaiters(0));
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            for (Gateway g : java.util.List.of(waiting, shedding)) {
                var slow = http.sendAsync(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + g.port() + "/slow?ms=600")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (g.inFlight() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                Thread.sleep(100); // the slow request holds the only upstream connection
                try (RawHttp raw = new RawHttp(g.port())) {
                    RawHttp.Response second = raw.exchange("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n");
                    if (g == waiting) {
                        assertThat(second.status()).isEqualTo(200);
                    } else {
                        assertThat(second.status()).isEqualTo(503);
                        assertThat(second.text()).contains("upstream pool full");
                    }
                }
                assertThat(slow.get().statusCode()).isEqualTo(200);
            }
            assertThat(metrics(waiting)).contains("apiguard_gateway_pool_waits_total 1.0")
                    .contains("apiguard_gateway_pool_overflow_total 0.0");
            assertThat(metrics(shedding)).contains("apiguard_gateway_pool_overflow_total 1.0")
                    .contains("apiguard_gateway_shed_total{reason=\"pool_full\"} 1.0");
        }
    }

    private static String metrics(Gateway g) throws IOException {
        return TestGateways.metrics(g);
    }
}
