package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With h2c on, HTTP/1.1 on the same port goes on as before, however its first bytes arrive. */
class PrefaceSnifferTest {
    private static Backend backend;
    private static Gateway gw;

    @BeforeAll
    static void start() {
        backend = Backend.start();
        gw = TestGateways.start(backend.uri(), b -> b
                .http2(Http2Config.defaults().withBackendProtocol(Http2Config.BackendProtocol.H2C)));
    }

    @AfterAll
    static void stop() {
        gw.close();
        backend.close();
    }

    @Test
    void http1OneByteAtATimeIsStillHttp1() throws Exception {
        try (RawHttp raw = new RawHttp(gw.port())) {
            byte[] request = "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi".getBytes(StandardCharsets.US_ASCII);
            for (byte b : request) { // "P" is also the preface's first byte: decided on the second
                raw.send(new byte[] {b});
                Thread.sleep(2);
            }
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(200);
            // keep-alive: a second request on the same connection is plain HTTP/1.1 too
            assertThat(raw.exchange("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void aTruncatedPrefaceFallsBackToHttp1AndIsRefused() throws Exception {
        try (RawHttp raw = new RawHttp(gw.port())) {
            RawHttp.Response r = raw.exchange("PRI * HTTP/2.0\r\n\r\nXY\r\n\r\n");
            assertThat(r.status()).isEqualTo(400);
        }
        assertThat(TestGateways.metrics(gw)).contains("apiguard_gateway_rejected_total{reason=\"h2_preface\"} 1.0");
    }
}
