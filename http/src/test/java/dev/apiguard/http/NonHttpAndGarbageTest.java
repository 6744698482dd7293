package dev.apiguard.http;

import static dev.apiguard.http.Conversation.head;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import dev.apiguard.capture.SocketEvent.Role;
import org.junit.jupiter.api.Test;

/** Other protocols are recognised from their first bytes; malformed HTTP drops the state, never throws. */
class NonHttpAndGarbageTest {
    static final String GET = head("GET /a HTTP/1.1", "Host: x");
    static final String OK = head("HTTP/1.1 200 OK", "Content-Length: 2") + "ok";

    static Expect.Run runBothWays(Conversation c, Role view) {
        return Expect.run(c.replay(view).events);
    }

    static void assertIgnoredAsNonHttp(Conversation c) {
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            Expect.Run run = runBothWays(c, view);
            assertThat(run.exchanges()).isEmpty();
            assertThat(run.stats().nonHttpStreams()).as("non-HTTP streams, view %s", view).isEqualTo(1);
            assertThat(run.stats().parseErrors()).isZero();
        }
    }

    @Test
    void tlsClientHello() {
        byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
        // Even a later plain-text request on that connection is ignored: it is not HTTP any more.
        assertIgnoredAsNonHttp(new Conversation().client(hello).server(new byte[] {0x16, 0x03, 0x03, 0x00, 0x7a}).client(GET).server(OK));
    }

    @Test
    void http2PrefaceIsFollowedAsHttp2NotIgnored() {
        String preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
        Conversation c = new Conversation().client(preface + "\0\0\u0012\u0004\0\0\0\0\0").server(new byte[] {0, 0, 0, 4, 1, 0, 0, 0, 0});
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            Expect.Run run = runBothWays(c, view);
            assertThat(run.exchanges()).isEmpty();
            assertThat(run.stats().nonHttpStreams()).isZero();
            assertThat(run.stats().http2Connections()).isEqualTo(1);
        }
    }

    @Test
    void redisAndPostgresAndRandomBytes() {
        assertIgnoredAsNonHttp(new Conversation().client("*1\r\n$4\r\nPING\r\n").server("+PONG\r\n"));
        assertIgnoredAsNonHttp(new Conversation().client(new byte[] {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f}).server("N"));
        byte[] random = new byte[3000];
        new Random(7).nextBytes(random);
        random[0] = 'G'; // even a plausible first letter is caught a few bytes later
        random[1] = (byte) 0xfe;
        assertIgnoredAsNonHttp(new Conversation().client(random).server(random));
    }

    @Test
    void serverSpeakingFirstIsNotHttp() {
        assertIgnoredAsNonHttp(new Conversation().server("220 mail.example.com ESMTP ready\r\n").client("EHLO x\r\n"));
    }

    @Test
    void malformedHeaderMidwayDropsStateAndResynchronises() {
        String bad = "GET /b HTTP/1.1\r\nHost x\r\n\r\n";
        Conversation c = new Conversation().client(GET).server(OK).client(bad).server(OK).client(GET).server(OK);
        for (Role view : new Role[] {Role.SERVER, Role.CLIENT}) {
            Expect.Run run = runBothWays(c, view);
            assertThat(run.exchanges()).extracting(Observed::rawPath).containsExactly("/a", "/a");
            HttpTrackerStats s = run.stats();
            // The malformed request was dropped, so the 200 answering it has no request: unmatched.
            assertThat(List.of(s.parseErrors(), s.nonHttpStreams(), s.unansweredRequests(), s.unmatchedResponses()))
                    .containsExactly(1L, 0L, 0L, 1L);
        }
    }

    @Test
    void badValuesAreGarbage() {
        for (String bad : List.of(
                head("GET /b HTTP/1.1", "Content-Length: 12x"),
                head("GET /b HTTP/1.1", "Content-Length: 5", "Content-Length: 6"),
                head("POST /b HTTP/1.1", "Transfer-Encoding: gzip"),
                head("GET /b HTTP/1.1", "Host: x", " folded: continuation"),
                head("GET /b\u0001 HTTP/1.1", "Host: x"),
                head("GET /b HTTP/3.0", "Host: x"),
                head("GET  HTTP/1.1", "Host: x"))) {
            Expect.Run run = runBothWays(new Conversation().client(GET).server(OK).client(bad).server(OK), Role.SERVER);
            assertThat(run.stats().parseErrors()).as(bad).isEqualTo(1);
            assertThat(run.exchanges()).as(bad).hasSize(1);
        }
        String badChunk = head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked") + "zz\r\nhello\r\n0\r\n\r\n";
        Expect.Run run = runBothWays(new Conversation().client(GET).server(badChunk), Role.SERVER);
        assertThat(run.stats().parseErrors()).isEqualTo(1);
        assertThat(run.stats().unansweredRequests()).isEqualTo(1);
        String badStatus = "HTTP/1.1 2x0 OK\r\n\r\n";
        run = runBothWays(new Conversation().client(GET).server(badStatus), Role.SERVER);
        assertThat(run.stats().parseErrors()).isEqualTo(1);
    }

    @Test
    void headerSectionBeyondTheBoundIsGarbage() {
        Conversation c = new Conversation().client("GET /a HTTP/1.1\r\n");
        for (int i = 0; i < 40; i++) {
            c.client("X-Filler-" + i + ": " + "v".repeat(500) + "\r\n"); // 40 small reads, 20 KiB in all
        }
        c.client("\r\n").server(OK);
        Expect.Run run = runBothWays(c, Role.SERVER);
        assertThat(run.exchanges()).isEmpty();
        assertThat(run.stats().parseErrors()).isEqualTo(1);
        // And a bound of its own choosing:
        Expect.Run small = Expect.run(HttpTrackerConfig.defaults().withMaxHeaderBytes(64),
                new Conversation().client(GET.replace("Host: x", "Host: " + "h".repeat(60))).server(OK).replay(Role.SERVER).events);
        assertThat(small.stats().parseErrors()).isEqualTo(1);
    }

    @Test
    void responseWithoutRequestIsUnmatched() {
        Conversation c = new Conversation().client(GET).server(OK).server(OK);
        Expect.Run run = runBothWays(c, Role.SERVER);
        assertThat(run.exchanges()).hasSize(1);
        assertThat(run.stats().unmatchedResponses()).isEqualTo(1);
    }

    @Test
    void requestWithoutResponseIsUnansweredAtClose() {
        Conversation c = new Conversation().client(GET).server(OK).client(GET).close();
        Expect.Run run = runBothWays(c, Role.SERVER);
        assertThat(run.exchanges()).hasSize(1);
        assertThat(run.stats().unansweredRequests()).isEqualTo(1);
        assertThat(run.stats().connectionsClosed()).isEqualTo(1);
        assertThat(run.stats().openConnections()).isZero();
    }
}
