package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain responses go to the client as bytes (RawResponseScanner): what the client gets, byte for byte. */
class RawResponsePathTest {
    private static final String BODY = "{\"ok\":true}";
    private RawBackend backend;
    private Gateway gateway;

    @BeforeEach
    void start() {
        backend = RawBackend.start(r -> {
            String head = "HTTP/1.1 201 Created\r\nServer: b\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
                    + "Proxy-Foo: x\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length() + "\r\n\r\n";
            return (r.requestLine().startsWith("HEAD") ? head : head + BODY).getBytes(StandardCharsets.ISO_8859_1);
        });
        gateway = TestGateways.start(backend.uri(), b -> b);
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.close();
    }

    /** Reads exactly {@code n} bytes. */
    private static String read(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
    }

    private static final String FORWARDED = "HTTP/1.1 201 Created\r\nServer: b\r\nContent-Type: application/json\r\n"
            + "Content-Length: 11\r\n\r\n";

    @Test
    void theHeadLosesOnlyItsHopByHopLinesAndKeptAliveConnectionsServeAgain() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            for (int i = 0; i < 3; i++) {
                raw.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(head(raw.input())).isEqualTo(FORWARDED);
                assertThat(read(raw.input(), BODY.length())).isEqualTo(BODY);
            }
            raw.send("HEAD /a HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(head(raw.input())).isEqualTo(FORWARDED); // the length a GET would have, no body
            raw.send("GET /a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            assertThat(head(raw.input())).isEqualTo("HTTP/1.1 201 Created\r\nServer: b\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 11\r\nconnection: close\r\n\r\n");
            assertThat(read(raw.input(), BODY.length())).isEqualTo(BODY);
            assertThat(raw.closedByPeer()).isTrue();
        }
        assertThat(backend.connections()).isEqualTo(1);
        assertThat(backend.received()).hasSize(5);
    }

    @Test
    void anHttp10ClientAskingForKeepAliveIsToldSo() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(head(raw.input())).isEqualTo("HTTP/1.1 201 Created\r\nServer: b\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 11\r\nconnection: keep-alive\r\n\r\n");
            assertThat(read(raw.input(), BODY.length())).isEqualTo(BODY);
            raw.send("GET /a HTTP/1.0\r\n\r\n");
            assertThat(head(raw.input())).isEqualTo(FORWARDED);
            assertThat(read(raw.input(), BODY.length())).isEqualTo(BODY);
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void aLocalAnswerToHeadAfterProxiedOnesHasNoBody() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(head(raw.input())).isEqualTo(FORWARDED);
            assertThat(read(raw.input(), BODY.length())).isEqualTo(BODY);
            raw.send("HEAD /../x HTTP/1.1\r\nHost: t\r\n\r\n"); // refused by the gateway itself
            String h = head(raw.input());
            assertThat(h).startsWith("HTTP/1.1 400 ").contains("content-length: ");
            assertThat(raw.input().readAllBytes()).isEmpty(); // closed, and no body after the head
        }
        assertThat(backend.received()).hasSize(1);
    }
}
