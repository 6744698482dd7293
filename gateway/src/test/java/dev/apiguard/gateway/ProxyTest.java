package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.apiguard.testkit.RealParts;

/** Proxying correctness against a real python3 backend, with curl, java.net.http and raw sockets. */
class ProxyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TEN_MIB = 10 << 20;
    private static Backend backend;
    private static Gateway gateway;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        backend = Backend.start();
        gateway = TestGateways.start(backend.uri(), b -> b);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (http != null) {
            http.close();
        }
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    private static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    /** sha256 of the backend's download pattern (byte i is i % 251). */
    private static String patternSha(int size) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[251 * 64];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i % 251);
        }
        for (int off = 0; off < size; off += block.length) {
            d.update(block, 0, Math.min(block.length, size - off));
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static String sha(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String sha(InputStream in) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    @Test
    void everyMethodReachesTheBackendWithItsBody() throws Exception {
        for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            byte[] body = ("body of " + method).getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url("/echo?m=" + method))
                    .method(method, BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode echo = json(r.body());
            assertThat(echo.get("method").asText()).isEqualTo(method);
            assertThat(echo.get("path").asText()).isEqualTo("/echo?m=" + method);
            assertThat(echo.get("length").asInt()).isEqualTo(body.length);
            assertThat(echo.get("sha256").asText()).isEqualTo(sha(body));
        }
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(url("/ok"))
                .method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).hasValue("27");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void tenMebibytesStreamUpWithContentLengthAndChunkedAndDownBothWays(@TempDir Path dir) throws Exception {
        byte[] upload = new byte[TEN_MIB];
        new java.util.Random(42).nextBytes(upload);
        String expected = sha(upload);

        // chunked upload: a body of unknown length from java.net.http
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(url("/echo"))
                .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(upload))).build(),
                BodyHandlers.ofString());
        JsonNode echo = json(chunked.body());
        assertThat(echo.get("headers").get("transfer-encoding").asText()).isEqualTo("chunked");
        assertThat(echo.get("length").asInt()).isEqualTo(TEN_MIB);
        assertThat(echo.get("sha256").asText()).isEqualTo(expected);

        // Content-Length upload with curl (which sends Expect: 100-continue for large bodies)
        Path file = dir.resolve("upload.bin");
        Files.write(file, upload);
        Path curl = RealParts.requireBinary("curl");
        Process p = new ProcessBuilder(curl.toString(), "-sS", "--max-time", "30", "-X", "PUT", "--data-binary",
                "@" + file, url("/echo").toString()).redirectErrorStream(true).start();
        String curlOut = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        JsonNode curlEcho = json(curlOut);
        assertThat(curlEcho.get("headers").get("content-length").asText()).isEqualTo(Integer.toString(TEN_MIB));
        assertThat(curlEcho.get("sha256").asText()).isEqualTo(expected);

        // downloads, with Content-Length and chunked, read as streams
        for (String mode : List.of("0", "1")) {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url("/download?size=" + TEN_MIB + "&chunked=" + mode))
                    .build(), BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            if (mode.equals("1")) {
                assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
            } else {
                assertThat(r.headers().firstValue("content-length")).hasValue(Integer.toString(TEN_MIB));
            }
            try (InputStream in = r.body()) {
                assertThat(sha(in)).isEqualTo(patternSha(TEN_MIB));
            }
        }
    }

    @Test
    void responsesStreamBeforeTheBackendFinishes() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            long start = System.nanoTime();
            raw.send("GET /drip?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n");
            java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
            String firstChunk = readUntil(raw, "first\n", seen);
            long firstMillis = (System.nanoTime() - start) / 1_000_000;
            String rest = readUntil(raw, "0\r\n\r\n", seen);
            long allMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(firstChunk).contains("HTTP/1.1 200").contains("first\n");
            assertThat(rest).contains("last\n");
            assertThat(allMillis).isGreaterThanOrEqualTo(1500);
            assertThat(firstMillis).as("the first chunk arrives while the backend still sleeps").isLessThan(allMillis - 700);
        }
    }

    private static String readUntil(RawHttp raw, String marker, java.io.ByteArrayOutputStream seen) throws IOException {
        InputStream in = raw.input();
        int start = seen.size();
        while (!seen.toString(StandardCharsets.ISO_8859_1).substring(start).contains(marker)) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            seen.write(c);
        }
        return seen.toString(StandardCharsets.ISO_8859_1).substring(start);
    }

    @Test
    void keepAliveReusesTheClientAndTheUpstreamConnection() throws Exception {
        JsonNode before = json(new String(http.send(HttpRequest.newBuilder(URI.create(backend.uri() + "/stats")).build(),
                BodyHandlers.ofByteArray()).body(), StandardCharsets.UTF_8));
        try (RawHttp raw = new RawHttp(gateway.port())) {
            for (int i = 0; i < 5; i++) {
                RawHttp.Response r = raw.exchange("GET /ok?i=" + i + " HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.headers()).doesNotContainKey("connection");
            }
        }
        JsonNode after = json(new String(http.send(HttpRequest.newBuilder(URI.create(backend.uri() + "/stats")).build(),
                BodyHandlers.ofByteArray()).body(), StandardCharsets.UTF_8));
        // the direct /stats calls opened at most one connection themselves (the client reuses it too)
        assertThat(after.get("requests").asInt() - before.get("requests").asInt()).isEqualTo(5 + 1);
        assertThat(after.get("connections").asInt() - before.get("connections").asInt()).isLessThanOrEqualTo(1);
    }

    @Test
    void curlReusesOneConnectionForSeveralRequests() throws Exception {
        Path curl = RealParts.requireBinary("curl");
        Process p = new ProcessBuilder(curl.toString(), "-sS", "--max-time", "10", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                "-w", "%{http_code} %{num_connects}\\n", url("/ok").toString(), url("/echo").toString(),
                url("/ok?x=1").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines().toList()).containsExactly("200 1", "200 0", "200 0");
    }

    @Test
    void hopByHopHeadersAreRemovedAndForwardedHeadersAdded() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            RawHttp.Response r = raw.exchange("GET /echo HTTP/1.1\r\nHost: shop.example\r\n"
                    + "Connection: keep-alive, X-Secret-Hop\r\nX-Secret-Hop: 1\r\nKeep-Alive: timeout=9\r\n"
                    + "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nTE: trailers\r\nUpgrade: websocket\r\n"
                    + "X-Forwarded-For: 10.0.0.1\r\nX-Custom: kept\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            JsonNode seen = json(r.text()).get("headers");
            assertThat(seen.has("x-secret-hop")).isFalse();
            assertThat(seen.has("keep-alive")).isFalse();
            assertThat(seen.has("proxy-authorization")).isFalse();
            assertThat(seen.has("te")).isFalse();
            assertThat(seen.has("upgrade")).isFalse();
            assertThat(seen.get("x-custom").asText()).isEqualTo("kept");
            assertThat(seen.get("host").asText()).isEqualTo("shop.example");
            assertThat(seen.get("x-forwarded-for").asText()).isEqualTo("10.0.0.1, 127.0.0.1");
            assertThat(seen.get("x-forwarded-proto").asText()).isEqualTo("http");
            // the backend's hop-by-hop response headers stop at the gateway too
            assertThat(r.headers()).containsEntry("x-backend", "yes");
            assertThat(r.headers()).doesNotContainKeys("x-hop", "keep-alive", "proxy-authenticate", "connection");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            raw.send("GET /one HTTP/1.1\r\nHost: t\r\n\r\nGET /slow?ms=100 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /three HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(raw.read().text()).contains("\"/one\"");
            assertThat(raw.read().text()).contains("\"slept_ms\": \"100\"");
            assertThat(raw.read().text()).contains("\"/three\"");
        }
    }

    @Test
    void anHttp10ClientGetsItsAnswerAndTheConnectionCloses() throws Exception {
        try (RawHttp raw = new RawHttp(gateway.port())) {
            RawHttp.Response r = raw.exchange("GET /download?size=3000&chunked=1 HTTP/1.0\r\n\r\n");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).hasSize(3000);
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void closeDrainsInFlightRequestsThenRefusesNewOnes() throws Exception {
        Gateway g = TestGateways.start(backend.uri(), b -> b);
        int port = g.port();
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?ms=700")).build(),
                BodyHandlers.ofString());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (g.inFlight() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(g.inFlight()).isEqualTo(1);
        g.close();
        HttpResponse<String> r = slow.get(5, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"slept_ms\": \"700\"");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new RawHttp(port).close()))
                .isInstanceOf(java.net.ConnectException.class);
    }
}
