package dev.apiguard.http;

import static dev.apiguard.http.Conversation.head;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.apiguard.capture.SocketEvent.Role;
import dev.apiguard.model.Side;
import org.junit.jupiter.api.Test;

/** Real-looking conversations replayed from both ends and cut at every possible point. */
class RecordedStreamsTest {
    static final String CURL_GET = head("GET /api/v1/users/42?verbose=1 HTTP/1.1", "Host: 127.0.0.1:8080",
            "User-Agent: curl/8.5.0", "Accept: */*");
    static final String USER_JSON = "{\"id\":42,\"name\":\"ada\",\"ok\":true}";
    static final String NGINX_HEAD = head("HTTP/1.1 200 OK", "Server: nginx/1.24.0", "Date: Tue, 24 Nov 2026 22:00:00 GMT",
            "Content-Type: application/json", "Content-Length: " + USER_JSON.length(), "Connection: keep-alive");

    @Test
    void curlGetAnsweredByNginxWritev() {
        // nginx writes the header block and the body with one writev: two iovecs, one syscall; here
        // also as two writes, which is what sendfile-less nginx does for small files.
        Conversation one = new Conversation().client(CURL_GET).server(NGINX_HEAD + USER_JSON);
        Conversation two = new Conversation().client(CURL_GET).server(NGINX_HEAD).server(USER_JSON);
        Expect expect = new Expect("GET", "/api/v1/users/42?verbose=1", 200, 0, CURL_GET.length(), 0,
                NGINX_HEAD.length() + USER_JSON.length(), "application/json", null, USER_JSON, false);
        assertThat(Expect.assertEverySplit(one, List.of(expect), 0)).isGreaterThan(400);
        Expect.assertEverySplit(two, List.of(expect), 0);
    }

    @Test
    void sizesAndTimestampsAreExactWithoutSplitting() {
        Conversation c = new Conversation().client(CURL_GET).server(NGINX_HEAD).server(USER_JSON);
        Expect.Run run = Expect.run(c.replay(Role.SERVER).events);
        // Counted by hand: request line 41 + Host 22 + User-Agent 24 + Accept 13 + blank line 2.
        assertThat(CURL_GET).hasSize(102);
        assertThat(run.exchanges()).containsExactly(new Observed("nginx", Side.SERVER, "GET", "/api/v1/users/42?verbose=1",
                200, 5_000_001_000L, 5_000_003_000L, 102, NGINX_HEAD.length() + 32, "application/json", null, USER_JSON, false));
    }

    @Test
    void pythonHttpServerWithContentLengthThenKeepAliveRequests() {
        String page = "<!DOCTYPE HTML>\n<html><body><h1>Directory listing for /</h1></body></html>\n";
        String pyHead = head("HTTP/1.0 200 OK", "Server: SimpleHTTP/0.6 Python/3.12.3", "Date: Tue, 24 Nov 2026 22:00:00 GMT",
                "Content-type: text/html; charset=utf-8", "Content-Length: " + page.length());
        String req = head("GET / HTTP/1.1", "Host: localhost:8000", "Accept-Encoding: gzip, deflate");
        Conversation c = new Conversation().client(req).server(pyHead).server(page).close();
        Expect.assertEverySplit(c, List.of(new Expect("GET", "/", 200, 0, req.length(), 0, pyHead.length() + page.length(),
                "text/html; charset=utf-8", null, page, false)), 0);
    }

    @Test
    void http10CloseDelimitedResponseEndsAtTheLastBodyByte() {
        String req = head("GET /status HTTP/1.0", "Host: localhost");
        String respHead = head("HTTP/1.0 200 OK", "Server: BaseHTTP/0.6 Python/3.12.3", "Content-Type: application/json");
        String body1 = "{\"status\":\"error\",";
        String body2 = "\"message\":\"quota exceeded\"}";
        Conversation c = new Conversation().client(req).server(respHead).server(body1).server(body2).close();
        Expect.assertEverySplit(c, List.of(new Expect("GET", "/status", 200, 0, req.length(), 0,
                respHead.length() + body1.length() + body2.length(), "application/json", null, body1 + body2, false)), 0);
    }

    @Test
    void closeDelimitedResponseWithoutCloseIsNotReported() {
        String req = head("GET /status HTTP/1.0", "Host: localhost");
        Conversation c = new Conversation().client(req).server(head("HTTP/1.0 200 OK", "Content-Type: text/plain") + "still going");
        assertThat(Expect.run(c.replay(Role.SERVER).events).exchanges()).isEmpty();
    }

    static String chunk(String data, String extension) {
        return Integer.toHexString(data.length()) + extension + "\r\n" + data + "\r\n";
    }

    @Test
    void chunkedResponseWithExtensionsAndTrailers() {
        String a = "{\"ok\":false,\"error\":{\"code\":\"PAYMENT_DECLINED\",";
        String b = "\"message\":\"card declined\"}}";
        String respHead = head("HTTP/1.1 200 OK", "Content-Type: application/json; charset=utf-8",
                "Transfer-Encoding: gzip, chunked", "Content-Encoding: gzip");
        String body = chunk(a, ";name=value") + chunk(b, "") + "0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n";
        String req = head("POST /api/v1/payments HTTP/1.1", "Host: pay", "Content-Type: application/json", "Content-Length: 12")
                + "{\"amount\":5}";
        Conversation c = new Conversation().client(req).server(respHead).server(chunk(a, ";name=value"))
                .server(chunk(b, "")).server("0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n");
        Expect.assertEverySplit(c, List.of(new Expect("POST", "/api/v1/payments", 200, 0, req.length(), 0,
                respHead.length() + body.length(), "application/json; charset=utf-8", "gzip", a + b, false)), 0);
    }

    @Test
    void chunkedRequestBody() {
        String req = head("PUT /api/v1/files/report.csv HTTP/1.1", "Host: files", "Transfer-Encoding: chunked")
                + chunk("a,b,c\n", "") + chunk("1,2,3\n", "") + "0\r\n\r\n";
        String resp = head("HTTP/1.1 201 Created", "Content-Length: 0");
        Conversation c = new Conversation().client(req).server(resp);
        Expect.assertEverySplit(c, List.of(new Expect("PUT", "/api/v1/files/report.csv", 201, 0, req.length(), 0,
                resp.length(), null, null, "", false)), 0);
    }

    @Test
    void keepAliveWithHeadNoContentNotModifiedErrorsAndPost() {
        String r1 = head("HEAD /index.html HTTP/1.1", "Host: shop");
        String s1 = head("HTTP/1.1 200 OK", "Content-Type: text/html", "Content-Length: 612"); // no body after HEAD
        String r2 = head("DELETE /api/v1/items/7 HTTP/1.1", "Host: shop");
        String s2 = head("HTTP/1.1 204 No Content", "Server: nginx");
        String r3 = head("GET /static/app.js HTTP/1.1", "Host: shop", "If-None-Match: \"abc\"");
        String s3 = head("HTTP/1.1 304 Not Modified", "ETag: \"abc\"", "Content-Length: 1234");
        String notFound = "{\"error\":\"not found\"}";
        String r4 = head("GET /api/v1/items/8 HTTP/1.1", "Host: shop");
        String s4 = head("HTTP/1.1 404 Not Found", "Content-Type: application/json", "Content-Length: " + notFound.length())
                + notFound;
        String order = "{\"sku\":\"A-1\",\"qty\":2}";
        String r5 = head("POST /api/v1/orders HTTP/1.1", "Host: shop", "Content-Type: application/json",
                "content-length: " + order.length()) + order;
        String invalid = "{\"success\":false,\"errors\":[{\"field\":\"qty\",\"message\":\"out of stock\"}]}";
        String s5 = head("HTTP/1.1 422 Unprocessable Entity", "CONTENT-TYPE: application/problem+json",
                "Content-Length: " + invalid.length()) + invalid;
        String oops = "<html><body>Internal Server Error</body></html>";
        String r6 = head("GET /api/v1/report HTTP/1.1", "Host: shop");
        String s6 = head("HTTP/1.1 500 Internal Server Error", "Content-Type: text/html", "Content-Length: " + oops.length())
                + oops;
        Conversation c = new Conversation().client(r1).server(s1).client(r2).server(s2).client(r3).server(s3)
                .client(r4).server(s4).client(r5).server(s5).client(r6).server(s6);
        long q = 0;
        long p = 0;
        List<Expect> expected = List.of(
                new Expect("HEAD", "/index.html", 200, q, r1.length(), p, s1.length(), "text/html", null, "", false),
                new Expect("DELETE", "/api/v1/items/7", 204, q += r1.length(), r2.length(), p += s1.length(), s2.length(), null, null, "", false),
                new Expect("GET", "/static/app.js", 304, q += r2.length(), r3.length(), p += s2.length(), s3.length(), null, null, "", false),
                new Expect("GET", "/api/v1/items/8", 404, q += r3.length(), r4.length(), p += s3.length(), s4.length(), "application/json", null, notFound, false),
                new Expect("POST", "/api/v1/orders", 422, q += r4.length(), r5.length(), p += s4.length(), s5.length(), "application/problem+json", null, invalid, false),
                new Expect("GET", "/api/v1/report", 500, q + r5.length(), r6.length(), p + s5.length(), s6.length(), "text/html", null, oops, false));
        Expect.assertEverySplit(c, expected, 0);
    }

    @Test
    void threePipelinedRequestsMatchedInOrder() {
        String r1 = head("GET /a HTTP/1.1", "Host: x");
        String r2 = head("HEAD /b HTTP/1.1", "Host: x");
        String r3 = head("POST /c HTTP/1.1", "Host: x", "Content-Length: 3") + "abc";
        String s1 = head("HTTP/1.1 200 OK", "Content-Length: 1") + "A";
        String s2 = head("HTTP/1.1 200 OK", "Content-Length: 50");
        String s3 = head("HTTP/1.1 201 Created", "Transfer-Encoding: chunked") + chunk("C", "") + "0\r\n\r\n";
        Conversation c = new Conversation().client(r1 + r2 + r3).server(s1 + s2 + s3);
        Expect.assertEverySplit(c, List.of(
                new Expect("GET", "/a", 200, 0, r1.length(), 0, s1.length(), null, null, "A", false),
                new Expect("HEAD", "/b", 200, r1.length(), r2.length(), s1.length(), s2.length(), null, null, "", false),
                new Expect("POST", "/c", 201, r1.length() + r2.length(), r3.length(), s1.length() + s2.length(), s3.length(),
                        null, null, "C", false)), 0);
    }

    @Test
    void expectContinueInterimResponseIsNotTheFinalOne() {
        String reqHead = head("POST /upload HTTP/1.1", "Host: x", "Content-Length: 11", "Expect: 100-continue");
        String interim = "HTTP/1.1 100 Continue\r\n\r\n";
        String fin = head("HTTP/1.1 201 Created", "Content-Type: text/plain", "Content-Length: 2") + "ok";
        Conversation c = new Conversation().client(reqHead).server(interim).client("hello world").server(fin);
        Expect.assertEverySplit(c, List.of(new Expect("POST", "/upload", 201, 0, reqHead.length() + 11, interim.length(),
                fin.length(), "text/plain", null, "ok", false)), 0);
    }

    @Test
    void earlyHintsAreInterimToo() {
        String req = head("GET /page HTTP/1.1", "Host: x");
        String hints = head("HTTP/1.1 103 Early Hints", "Link: </style.css>; rel=preload; as=style");
        String fin = head("HTTP/1.1 200 OK", "Content-Type: text/html", "Content-Length: 6") + "<html>";
        Conversation c = new Conversation().client(req).server(hints + fin);
        Expect.assertEverySplit(c, List.of(new Expect("GET", "/page", 200, 0, req.length(), hints.length(), fin.length(),
                "text/html", null, "<html>", false)), 0);
    }

    @Test
    void websocketUpgradeStopsParsing() {
        String req = head("GET /ws HTTP/1.1", "Host: x", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13");
        String resp = head("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        byte[] clientFrame = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58};
        byte[] serverFrame = {(byte) 0x81, 0x05, 'H', 'T', 'T', 'P', '/'};
        Conversation c = new Conversation().client(req).server(resp).client(clientFrame).server(serverFrame)
                .client("GET / HTTP/1.1\r\n\r\n").close();
        Expect.assertEverySplit(c, List.of(new Expect("GET", "/ws", 101, 0, req.length(), 0, resp.length(), null, null, "", false)), 1);
    }

    @Test
    void connectTunnelStopsParsing() {
        String req = head("CONNECT api.example.com:443 HTTP/1.1", "Host: api.example.com:443");
        String resp = "HTTP/1.1 200 Connection Established\r\n\r\n";
        byte[] clientHello = {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00};
        Conversation c = new Conversation().client(req).server(resp).client(clientHello).server(new byte[] {0x16, 0x03, 0x03, 0, 1, 2});
        Expect.assertEverySplit(c, List.of(new Expect("CONNECT", "api.example.com:443", 200, 0, req.length(), 0, resp.length(),
                null, null, "", false)), 1);
    }

    @Test
    void refusedConnectKeepsParsingHttp() {
        String req = head("CONNECT api.example.com:443 HTTP/1.1", "Host: api.example.com:443");
        String resp = head("HTTP/1.1 407 Proxy Authentication Required", "Content-Length: 0");
        String next = head("GET /ok HTTP/1.1", "Host: x");
        String ok = head("HTTP/1.1 200 OK", "Content-Length: 0");
        Conversation c = new Conversation().client(req).server(resp).client(next).server(ok);
        Expect.assertEverySplit(c, List.of(
                new Expect("CONNECT", "api.example.com:443", 407, 0, req.length(), 0, resp.length(), null, null, "", false),
                new Expect("GET", "/ok", 200, req.length(), next.length(), resp.length(), ok.length(), null, null, "", false)), 0);
    }

    @Test
    void prefixKeepsTheFirstKibibyteOfALongBody() {
        String body = "x".repeat(1000) + "y".repeat(1000) + "z".repeat(600);
        String respHead = head("HTTP/1.1 200 OK", "Content-Type: text/plain", "Content-Length: " + body.length());
        String req = head("GET /big HTTP/1.1", "Host: x");
        Conversation c = new Conversation().client(req).server(respHead).server(body.substring(0, 1000))
                .server(body.substring(1000, 2000)).server(body.substring(2000));
        List<Expect> expected = List.of(new Expect("GET", "/big", 200, 0, req.length(), 0, respHead.length() + body.length(),
                "text/plain", null, body.substring(0, 1024), true));
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            for (int piece : new int[] {1, 7, 100, 999}) {
                Conversation.Replay replay = c.replay(view, i -> Expect.every(c.writes().get(i).bytes().length, piece));
                assertThat(Expect.run(replay.events).exchanges()).containsExactly(expected.getFirst().in(replay, view));
            }
        }
    }

    @Test
    void prefixOfAChunkedBodyGrowsToTheKibibyteThenTruncates() {
        String a = "a".repeat(100);
        String b = "b".repeat(500);
        String c = "c".repeat(600);
        String respHead = head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked");
        String body = chunk(a, "") + chunk(b, "") + chunk(c, "") + "0\r\n\r\n";
        String req = head("GET /stream HTTP/1.1", "Host: x");
        Conversation conv = new Conversation().client(req).server(respHead).server(chunk(a, "")).server(chunk(b, ""))
                .server(chunk(c, "")).server("0\r\n\r\n");
        Expect expect = new Expect("GET", "/stream", 200, 0, req.length(), 0, respHead.length() + body.length(), null, null,
                (a + b + c).substring(0, 1024), true);
        for (int piece : new int[] {1, 50, 1000}) {
            Conversation.Replay replay = conv.replay(Role.CLIENT, i -> Expect.every(conv.writes().get(i).bytes().length, piece));
            assertThat(Expect.run(replay.events).exchanges()).containsExactly(expect.in(replay, Role.CLIENT));
        }
        // Short unknown-length bodies keep exactly their bytes, untruncated.
        Conversation small = new Conversation().client(req).server(respHead + chunk(a, "") + "0\r\n\r\n");
        Conversation.Replay replay = small.replay(Role.SERVER);
        assertThat(Expect.run(replay.events).exchanges().getFirst().prefix()).isEqualTo(a);
    }
}
