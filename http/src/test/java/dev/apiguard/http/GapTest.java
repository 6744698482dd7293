package dev.apiguard.http;

import static dev.apiguard.http.Conversation.BASE_NANOS;
import static dev.apiguard.http.Conversation.head;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.apiguard.capture.SocketEvent;
import dev.apiguard.capture.SocketEvent.Role;
import dev.apiguard.model.Side;
import org.junit.jupiter.api.Test;

/** Syscalls larger than the 1 KiB capture: bodies are consumed by length, lost framing is ended by heuristics. */
class GapTest {
    static final String GET_A = head("GET /a HTTP/1.1", "Host: x");
    static final String GET_B = head("GET /b HTTP/1.1", "Host: x");
    static final String OK_B = head("HTTP/1.1 200 OK", "Content-Length: 2") + "ok";

    /** Timestamp of write {@code i} (0-based) of an unsplit replay. */
    static long ts(int write) {
        return BASE_NANOS + (write + 1) * 1000L;
    }

    static Observed ok(String method, String path, int status, int reqWrite, long reqBytes, int respWrite, long respBytes,
            String contentType, String prefix, boolean truncated) {
        return new Observed("nginx", Side.SERVER, method, path, status, ts(reqWrite), ts(respWrite), reqBytes, respBytes,
                contentType, null, prefix, truncated);
    }

    @Test
    void bodyOfKnownLengthIsConsumedAcrossTheGapExactly() {
        String body = "{\"items\":[" + "1,".repeat(2500) + "0]}";
        String respHead = head("HTTP/1.1 200 OK", "Content-Type: application/json", "Content-Length: " + body.length());
        Conversation c = new Conversation().client(GET_A).server(respHead + body).client(GET_B).server(OK_B);
        Expect.Run run = Expect.run(c.replay(Role.SERVER).events);
        String captured = body.substring(0, SocketEvent.MAX_CAPTURE - respHead.length());
        assertThat(run.exchanges()).containsExactly(
                ok("GET", "/a", 200, 0, GET_A.length(), 1, respHead.length() + body.length(), "application/json", captured, true),
                ok("GET", "/b", 200, 2, GET_B.length(), 3, OK_B.length(), null, "ok", false));
        assertThat(run.stats().lostSyncExchanges()).isZero();
    }

    @Test
    void sendfileBodyIsCountedByLength() {
        String respHead = head("HTTP/1.1 200 OK", "Content-Type: text/css", "Content-Length: 7000");
        Conversation c = new Conversation().client(GET_A).server(respHead).serverSendfile(4000).serverSendfile(3000)
                .client(GET_B).server(OK_B);
        Expect.Run run = Expect.run(c.replay(Role.SERVER).events);
        assertThat(run.exchanges()).containsExactly(
                ok("GET", "/a", 200, 0, GET_A.length(), 3, respHead.length() + 7000, "text/css", "", true),
                ok("GET", "/b", 200, 4, GET_B.length(), 5, OK_B.length(), null, "ok", false));
    }

    @Test
    void requestHeadersLongerThanTheCaptureStillYieldTheExchange() {
        String req = head("GET /account HTTP/1.1", "Host: x", "Cookie: session=" + "c".repeat(1500), "Accept: */*");
        Conversation c = new Conversation().client(req).server(OK_B).client(GET_B).server(OK_B);
        Expect.Run run = Expect.run(c.replay(Role.SERVER).events);
        assertThat(run.exchanges()).containsExactly(
                ok("GET", "/account", 200, 0, req.length(), 1, OK_B.length(), null, "ok", false),
                ok("GET", "/b", 200, 2, GET_B.length(), 3, OK_B.length(), null, "ok", false));
        assertThat(run.stats().lostSyncExchanges()).isEqualTo(1);
        assertThat(run.stats().parseErrors()).isZero();
    }

    @Test
    void clientSideRequestHeadersLongerThanTheCapture() {
        String req = head("POST /upload HTTP/1.1", "Host: x", "Authorization: Bearer " + "t".repeat(1500),
                "Content-Length: 4") + "data";
        Conversation c = new Conversation().client(req).server(OK_B).client(GET_B).server(OK_B);
        Expect.Run run = Expect.run(c.replay(Role.CLIENT).events);
        assertThat(run.exchanges()).extracting(Observed::method, Observed::rawPath, Observed::requestBytes, Observed::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", "/upload", (long) req.length(), 200),
                        org.assertj.core.groups.Tuple.tuple("GET", "/b", (long) GET_B.length(), 200));
    }

    @Test
    void lostResponseEndedByANewRequestDropsOlderPipelinedOnes() {
        // /a and /b are pipelined; the answer to /a loses sync and the answer to /b hides in its lost bytes.
        // When /c starts, /a's exchange ends and /b is given up rather than paired with /c's response.
        String getC = GET_B.replace("/b", "/c");
        Conversation c = new Conversation().client(GET_A + GET_B).server(BIG_RESPONSE + OK_B).client(getC).server(OK_B);
        Expect.Run run = Expect.run(c.replay(Role.SERVER).events);
        assertThat(run.exchanges()).extracting(Observed::rawPath, Observed::responseBytes).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/a", (long) (BIG_RESPONSE + OK_B).length()),
                org.assertj.core.groups.Tuple.tuple("/c", (long) OK_B.length()));
        assertThat(List.of(run.stats().lostSyncExchanges(), run.stats().unansweredRequests(), run.stats().unmatchedResponses()))
                .containsExactly(1L, 1L, 0L);
    }

    @Test
    void requestLineLongerThanTheCaptureKeepsTheCapturedTarget() {
        String target = "/search?q=" + "a".repeat(2000);
        String req = head("GET " + target + " HTTP/1.1", "Host: x");
        Conversation c = new Conversation().client(req).server(OK_B);
        Expect.Run run = Expect.run(c.replay(Role.SERVER).events);
        assertThat(run.exchanges()).containsExactly(
                ok("GET", target.substring(0, SocketEvent.MAX_CAPTURE - 4), 200, 0, req.length(), 1, OK_B.length(), null, "ok", false));
    }

    static final String BIG_HEAD = head("HTTP/1.1 200 OK", "Content-Type: application/json",
            "Set-Cookie: a=" + "x".repeat(1200), "Content-Length: 17");
    static final String BIG_RESPONSE = BIG_HEAD + "{\"error\":\"quota\"}";

    @Test
    void responseHeadersInTheGapAreEndedByTheNextRequest() {
        Conversation c = new Conversation().client(GET_A).server(BIG_RESPONSE).client(GET_B).server(OK_B);
        Expect.Run run = Expect.run(c.replay(Role.SERVER).events);
        assertThat(run.exchanges()).containsExactly(
                ok("GET", "/a", 200, 0, GET_A.length(), 1, BIG_RESPONSE.length(), "application/json", "", true),
                ok("GET", "/b", 200, 2, GET_B.length(), 3, OK_B.length(), null, "ok", false));
        assertThat(run.stats().lostSyncExchanges()).isEqualTo(1);
        assertThat(run.stats().unansweredRequests()).isZero();
    }

    @Test
    void clientSideLostResponseIsEndedByTheNextRequestToo() {
        Conversation c = new Conversation().client(GET_A).server(BIG_RESPONSE).client(GET_B).server(OK_B);
        Expect.Run run = Expect.run(c.replay(Role.CLIENT).events);
        assertThat(run.exchanges()).extracting(Observed::side, Observed::service, Observed::rawPath, Observed::endNanos,
                Observed::responseBytes).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Side.CLIENT, "port-8080", "/a", ts(1), (long) BIG_RESPONSE.length()),
                org.assertj.core.groups.Tuple.tuple(Side.CLIENT, "port-8080", "/b", ts(3), (long) OK_B.length()));
        assertThat(run.stats().lostSyncExchanges()).isEqualTo(1);
    }

    @Test
    void lostResponseIsEndedByCloseAtItsLastBytes() {
        Conversation c = new Conversation().client(GET_A).server(BIG_RESPONSE).server("trailing bytes").close();
        Expect.Run run = Expect.run(c.replay(Role.SERVER).events);
        assertThat(run.exchanges()).containsExactly(
                ok("GET", "/a", 200, 0, GET_A.length(), 2, BIG_RESPONSE.length() + 14, "application/json", "", true));
    }

    @Test
    void lostResponseIsEndedByIdleExpiryAfterTheTimeout() {
        Conversation c = new Conversation().client(GET_A).server(BIG_RESPONSE);
        List<Observed> out = new ArrayList<>();
        HttpConnectionTracker tracker = new HttpConnectionTracker(HttpTrackerConfig.defaults(), e -> out.add(Observed.of(e)));
        c.replay(Role.SERVER).events.forEach(tracker);
        long lastBytes = ts(1);
        tracker.expireIdle(lastBytes + 1_999_999_999L);
        assertThat(out).isEmpty();
        tracker.expireIdle(lastBytes + 2_000_000_000L);
        assertThat(out).containsExactly(
                ok("GET", "/a", 200, 0, GET_A.length(), 1, BIG_RESPONSE.length(), "application/json", "", true));
        tracker.expireIdle(lastBytes + 9_000_000_000L);
        assertThat(out).hasSize(1);
        assertThat(tracker.stats().lostSyncExchanges()).isEqualTo(1);
    }

    @Test
    void lostResponseResynchronisesOnTheNextStatusLine() {
        // Pipelined: the second response arrives in its own write before any new request.
        Conversation c = new Conversation().client(GET_A + GET_B).server(BIG_RESPONSE).server(OK_B);
        Expect.Run run = Expect.run(c.replay(Role.SERVER).events);
        assertThat(run.exchanges()).containsExactly(
                ok("GET", "/a", 200, 0, GET_A.length(), 1, BIG_RESPONSE.length(), "application/json", "", true),
                ok("GET", "/b", 200, 0, GET_B.length(), 2, OK_B.length(), null, "ok", false));
    }

    @Test
    void lastChunkInTheGapEndsTheBodyAtOnce() {
        String data = "d".repeat(3000);
        String respHead = head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked");
        String body = Integer.toHexString(data.length()) + "\r\n" + data + "\r\n0\r\n\r\n";
        Conversation c = new Conversation().client(GET_A).server(respHead + body).client(GET_B).server(OK_B);
        Expect.Run run = Expect.run(c.replay(Role.SERVER).events);
        String captured = data.substring(0, SocketEvent.MAX_CAPTURE - respHead.length() - 5); // "bb8\r\n"
        assertThat(run.exchanges()).containsExactly(
                ok("GET", "/a", 200, 0, GET_A.length(), 1, respHead.length() + body.length(), null, captured, true),
                ok("GET", "/b", 200, 2, GET_B.length(), 3, OK_B.length(), null, "ok", false));
        assertThat(run.stats().lostSyncExchanges()).isZero();
    }

    @Test
    void chunkSizeLineInTheGapLosesSync() {
        String respHead = head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked");
        String body = Integer.toHexString(2000) + "\r\n" + "e".repeat(2000) + "\r\n3\r\nabc\r\n";
        Conversation c = new Conversation().client(GET_A).server(respHead + body).server("0\r\n\r\n").close();
        Expect.Run run = Expect.run(c.replay(Role.SERVER).events);
        assertThat(run.exchanges()).hasSize(1);
        Observed lost = run.exchanges().getFirst();
        assertThat(lost.endNanos()).isEqualTo(ts(2));
        assertThat(lost.responseBytes()).isEqualTo(respHead.length() + body.length() + 5);
        assertThat(lost.truncated()).isTrue();
        assertThat(run.stats().lostSyncExchanges()).isEqualTo(1);
    }

    @Test
    void responseWhoseStatusLineIsInTheGapIsCountedNotReported() {
        String first = head("HTTP/1.1 200 OK", "Content-Length: 1000") + "f".repeat(1000);
        // One write holds the end of the first response and the whole second one, past the capture.
        Conversation c = new Conversation().client(GET_A + GET_B).server(first + OK_B).client(GET_A).server(OK_B);
        Expect.Run run = Expect.run(c.replay(Role.SERVER).events);
        assertThat(run.exchanges()).extracting(Observed::rawPath, Observed::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/a", 200), org.assertj.core.groups.Tuple.tuple("/a", 200));
        assertThat(run.exchanges().get(1).startNanos()).isEqualTo(ts(2));
        assertThat(run.stats().lostSyncExchanges()).isEqualTo(1);
        assertThat(run.stats().unmatchedResponses()).isZero();
    }
}
