package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests nginx and HAProxy refuse are refused here too, before anything reaches the backend: one
 * case per rule, each asserting the status the client got, the reason counted in /metrics and that
 * the backend received nothing. Real gateway, real raw-recording backend, raw-socket client.
 */
class RequestValidationTest {
    private RawBackend backend;
    private Gateway gateway;

    @BeforeEach
    void start() {
        backend = RawBackend.start(RawBackend.OK);
        gateway = TestGateways.start(backend.uri(), b -> b);
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.close();
    }

    private String metrics() throws IOException {
        return TestGateways.metrics(gateway);
    }

    /** Sends {@code request} (with {@code ~} for CRLF), expects {@code status} and a close, then checks the count. */
    private void assertRefused(String request, int status, String reason) throws IOException {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            RawHttp.Response r = raw.exchange(request.replace("~", "\r\n"));
            assertThat(r).as(request).isNotNull();
            assertThat(r.status()).as(request).isEqualTo(status);
            assertThat(r.headers().get("connection")).isEqualTo("close");
            assertThat(raw.closedByPeer()).isTrue();
        }
        assertThat(metrics()).contains("apiguard_gateway_rejected_total{reason=\"" + reason + "\"} 1.0");
        assertThat(backend.received()).as(request).isEmpty();
        assertThat(backend.connections()).isZero();
    }

    @ParameterizedTest(name = "{2}: {1}")
    @CsvSource(delimiter = '|', value = {
        "GET /api/v1/checkout HTTP/1.1~Host: a~Host: b~~                 | 400 | duplicate_host",
        "GET /api/v1/checkout HTTP/1.1~Host: a~host: a~~                 | 400 | duplicate_host",
        "GET /api/v1/checkout HTTP/1.1~Accept: */*~~                        | 400 | missing_host",
        "GET /api/v1/checkout HTTP/1.1~Host: a/b~~                          | 400 | bad_host",
        "GET /api/v1/checkout HTTP/1.1~Host: evil.example@a~~               | 400 | bad_host",
        "GET api/v1/checkout HTTP/1.1~Host: a~~                             | 400 | bad_target",
        "GET x HTTP/1.1~Host: a~~                                           | 400 | bad_target",
        "OPTIONS * HTTP/1.1~Host: a~~                                       | 400 | bad_target",
        "GET http:///api/v1/checkout HTTP/1.1~Host: a~~                     | 400 | bad_authority",
        "GET http://user@shop.example/api/v1/checkout HTTP/1.1~Host: a~~    | 400 | bad_authority",
        "CONNECT shop.example:443 HTTP/1.1~Host: shop.example:443~~         | 405 | connect",
        "TRACE /api/v1/checkout HTTP/1.1~Host: a~~                          | 405 | trace",
        "PRI * HTTP/2.0~~SM~~                                             | 400 | h2_preface",
        "GET /api/v1/checkout HTTP/2.0~Host: a~~                            | 505 | unsupported_version",
        "GET /api/v1%2Fcheckout HTTP/1.1~Host: a~~                          | 400 | encoded_slash",
        "GET /api/v1/%5ccheckout HTTP/1.1~Host: a~~                         | 400 | encoded_backslash",
        "GET /api/v1/checkout%00 HTTP/1.1~Host: a~~                         | 400 | encoded_nul",
    })
    void refusedBeforeTheBackend(String request, int status, String reason) throws IOException {
        assertRefused(request, status, reason);
    }

    @Test
    void theHttp2PrefaceAsAClientSendsIt() throws IOException {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            // the preface and an empty SETTINGS frame, as an h2c prior-knowledge client opens
            raw.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            raw.send(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
            assertThat(raw.read().status()).isEqualTo(400);
            assertThat(raw.closedByPeer()).isTrue();
        }
        assertThat(metrics()).contains("apiguard_gateway_rejected_total{reason=\"h2_preface\"} 1.0");
        assertThat(backend.received()).isEmpty();
    }

    @Test
    void nothingPipelinedAfterARefusedRequestIsForwarded() throws IOException {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            RawHttp.Response r = raw.exchange("CONNECT shop.example:443 HTTP/1.1\r\nHost: shop.example:443\r\n\r\n"
                    + "GET /api/v1/checkout HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(r.status()).isEqualTo(405);
            assertThat(raw.closedByPeer()).isTrue();
        }
        try (RawHttp raw = new RawHttp(gateway.port())) {
            RawHttp.Response r = raw.exchange("GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Length: 44\r\n\r\n"
                    + "GET /api/v1/checkout HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(r.status()).isEqualTo(400);
            assertThat(raw.closedByPeer()).isTrue();
        }
        assertThat(backend.received()).isEmpty();
        assertThat(metrics()).contains("apiguard_gateway_rejected_total{reason=\"connect\"} 1.0")
                .contains("apiguard_gateway_rejected_total{reason=\"duplicate_host\"} 1.0");
    }

    @Test
    void aRefusedRequestBehindAnAdmittedOneIsAnsweredInOrder() throws IOException {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\nTRACE /second HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /third HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
            assertThat(raw.read().status()).isEqualTo(405);
            assertThat(raw.closedByPeer()).isTrue();
        }
        assertThat(backend.received()).extracting(RawBackend.Received::requestLine)
                .containsExactly("GET /first HTTP/1.1");
    }

    @Test
    void anAbsoluteFormTargetIsForwardedInOriginFormWithItsAuthorityAsHost() throws IOException {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            RawHttp.Response r = raw.exchange(
                    "GET HtTp://Shop.Example:8080/api/v1/checkout?x=1 HTTP/1.1\r\nHost: other.example\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            r = raw.exchange("GET https://shop.example?q HTTP/1.1\r\nHost: shop.example\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(backend.received()).hasSize(2);
        RawBackend.Received first = backend.received().get(0);
        assertThat(first.requestLine()).isEqualTo("GET /api/v1/checkout?x=1 HTTP/1.1");
        assertThat(first.header("host")).containsExactly("Shop.Example:8080");
        assertThat(backend.received().get(1).requestLine()).isEqualTo("GET /?q HTTP/1.1");
        assertThat(metrics()).doesNotContain("apiguard_gateway_rejected_total{");
    }

    @Test
    void rawNonAsciiBytesInThePathAreForwardedEscaped() throws IOException {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            byte[] head = "GET /users/J\u00c3\u00bcrgen?q=\u00c3\u00bc HTTP/1.1\r\nHost: a\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1); // the UTF-8 bytes of "ü", raw
            raw.send(head);
            assertThat(raw.read().status()).isEqualTo(200);
        }
        assertThat(backend.received()).extracting(RawBackend.Received::requestLine)
                .containsExactly("GET /users/J%C3%BCrgen?q=%C3%BC HTTP/1.1"); // the same bytes for the backend
    }

    @Test
    void anHttp10RequestWithoutHostIsStillServed() throws IOException {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            assertThat(raw.exchange("GET /api/v1/checkout HTTP/1.0\r\n\r\n").status()).isEqualTo(200);
        }
        assertThat(backend.received()).hasSize(1);
        assertThat(backend.received().getFirst().header("host")).containsExactly("127.0.0.1:" + backend.port());
    }
}
