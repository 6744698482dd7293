package dev.apiguard.http;

import static dev.apiguard.http.Conversation.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.apiguard.capture.SocketEvent;
import dev.apiguard.capture.SocketEvent.Kind;
import dev.apiguard.capture.SocketEvent.Role;
import dev.apiguard.model.Exchange;
import dev.apiguard.capture.ConnectionKey;
import dev.apiguard.model.Side;
import org.junit.jupiter.api.Test;

/** The connection table: bounds, eviction, roles, service names, the pipelining bound. */
class ConnectionTableTest {
    static final String GET = head("GET /a HTTP/1.1", "Host: x");
    static final String OK = head("HTTP/1.1 200 OK", "Content-Length: 2") + "ok";

    final List<Exchange> out = new ArrayList<>();

    static SocketEvent ev(Kind kind, int fd, long generation, long ts, Role role, String data, String comm, int localPort,
            int remotePort) {
        byte[] bytes = Conversation.ascii(data);
        return new SocketEvent(kind, 10, fd, generation, ts, role, bytes.length, bytes, bytes.length, comm, localPort, remotePort);
    }

    static SocketEvent server(Kind kind, int fd, long ts, String data) {
        return ev(kind, fd, 1, ts, Role.SERVER, data, "shop", 8080, 40000 + fd);
    }

    HttpConnectionTracker tracker(HttpTrackerConfig config) {
        return new HttpConnectionTracker(config, out::add);
    }

    @Test
    void tableIsBoundedAndEvictsTheLeastRecentlyUsedConnection() {
        HttpConnectionTracker t = tracker(HttpTrackerConfig.defaults().withMaxConnections(4));
        for (int fd = 1; fd <= 10; fd++) {
            t.accept(server(Kind.OPEN_SERVER, fd, fd, ""));
            t.accept(server(Kind.INGRESS, fd, fd * 10, GET));
            t.accept(server(Kind.INGRESS, 7, fd * 10 + 1, "")); // empty read: ignored, touches nothing
        }
        HttpTrackerStats s = t.stats();
        assertThat(List.of(s.openConnections(), s.connectionsOpened(), s.connectionsEvicted(), s.unansweredRequests()))
                .containsExactly(4L, 10L, 6L, 6L);
        // fd 7..10 survive; touching 7 makes 8 the eldest, so opening 11 evicts 8.
        t.accept(server(Kind.EGRESS, 7, 200, OK));
        t.accept(server(Kind.OPEN_SERVER, 11, 201, ""));
        // 8 is gone: it comes back as an unsynced connection (evicting 9), its response unmatched.
        t.accept(server(Kind.EGRESS, 8, 202, OK));
        t.accept(server(Kind.EGRESS, 10, 203, OK));
        assertThat(out).extracting(e -> ((ConnectionKey) e.connection()).fd()).containsExactly(7, 10);
        assertThat(List.of(t.stats().unmatchedResponses(), t.stats().connectionsEvicted(), t.stats().openConnections()))
                .containsExactly(1L, 8L, 4L);
    }

    @Test
    void connectionOlderThanTheAgentLearnsItsRoleFromTheFirstRequest() {
        HttpConnectionTracker t = tracker(HttpTrackerConfig.defaults());
        // Server side: mid-response bytes first (skipped), then a request arrives.
        t.accept(ev(Kind.EGRESS, 3, 0, 1, Role.UNKNOWN, "tail of an old body", "api", 9000, 50000));
        t.accept(ev(Kind.INGRESS, 3, 0, 2, Role.UNKNOWN, GET, "api", 9000, 50000));
        t.accept(ev(Kind.EGRESS, 3, 0, 3, Role.UNKNOWN, OK, "api", 9000, 50000));
        // Client side: a request leaves.
        t.accept(ev(Kind.EGRESS, 4, 0, 4, Role.UNKNOWN, GET, "worker", 50001, 9000));
        t.accept(ev(Kind.INGRESS, 4, 0, 5, Role.UNKNOWN, OK, "worker", 50001, 9000));
        assertThat(out).extracting(Exchange::side, Exchange::service, Exchange::startNanos, Exchange::endNanos).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Side.SERVER, "api", 2L, 3L),
                // the client called port 9000, where "api" was seen answering
                org.assertj.core.groups.Tuple.tuple(Side.CLIENT, "api", 4L, 5L));
    }

    @Test
    void unknownRoleConnectionThatNeverShowsARequestIsGivenUp() {
        HttpConnectionTracker t = tracker(HttpTrackerConfig.defaults());
        for (int i = 0; i < 40; i++) {
            t.accept(ev(Kind.INGRESS, 3, 0, i, Role.UNKNOWN, "binary-ish payload " + i, "db", 5432, 50000));
        }
        assertThat(t.stats().nonHttpStreams()).isEqualTo(1);
        t.accept(ev(Kind.INGRESS, 3, 0, 99, Role.UNKNOWN, GET, "db", 5432, 50000));
        t.accept(ev(Kind.EGRESS, 3, 0, 100, Role.UNKNOWN, OK, "db", 5432, 50000));
        assertThat(out).isEmpty();
    }

    @Test
    void serviceNamesComeFromCommMappedByConfigAndFromLearnedPorts() {
        HttpConnectionTracker t = tracker(HttpTrackerConfig.defaults().withServiceNames(Map.of("python3", "checkout")));
        t.accept(ev(Kind.OPEN_SERVER, 1, 1, 1, Role.SERVER, "", "python3", 8000, 40000));
        t.accept(ev(Kind.INGRESS, 1, 1, 2, Role.SERVER, GET, "python3", 8000, 40000));
        t.accept(ev(Kind.EGRESS, 1, 1, 3, Role.SERVER, OK, "python3", 8000, 40000));
        t.accept(ev(Kind.OPEN_CLIENT, 2, 1, 4, Role.CLIENT, "", "curl", 40001, 8000));
        t.accept(ev(Kind.EGRESS, 2, 1, 5, Role.CLIENT, GET, "curl", 40001, 8000));
        t.accept(ev(Kind.INGRESS, 2, 1, 6, Role.CLIENT, OK, "curl", 40001, 8000));
        t.accept(ev(Kind.OPEN_CLIENT, 3, 1, 7, Role.CLIENT, "", "curl", 40002, 9999));
        t.accept(ev(Kind.EGRESS, 3, 1, 8, Role.CLIENT, GET, "curl", 40002, 9999));
        t.accept(ev(Kind.INGRESS, 3, 1, 9, Role.CLIENT, OK, "curl", 40002, 9999));
        assertThat(out).extracting(Exchange::service).containsExactly("checkout", "checkout", "port-9999");
    }

    @Test
    void namerOnItsOwn() {
        ServiceNamer namer = ServiceNamer.byComm(Map.of("node", "web"));
        assertThat(namer.serverService(1, "node")).isEqualTo("web");
        assertThat(namer.serverService(1, "java")).isEqualTo("java");
        assertThat(namer.serverService(1, null)).isEqualTo("unknown");
        assertThat(namer.clientService(3000)).isEqualTo("port-3000");
        namer.serverSeen(3000, "web");
        namer.serverSeen(70000, "ignored");
        assertThat(namer.clientService(3000)).isEqualTo("web");
        assertThat(namer.clientService(0)).isEqualTo("port-0");
        assertThat(namer.clientService(70000)).isEqualTo("port-70000");
    }

    @Test
    void pipelineBoundDropsTheOldestRequestAndSkipsItsResponse() {
        HttpConnectionTracker t = tracker(HttpTrackerConfig.defaults().withMaxPipelinedRequests(2));
        t.accept(server(Kind.OPEN_SERVER, 1, 1, ""));
        t.accept(server(Kind.INGRESS, 1, 2, GET.replace("/a", "/1") + GET.replace("/a", "/2") + GET.replace("/a", "/3")));
        String r1 = head("HTTP/1.1 201 Created", "Content-Length: 0");
        String r2 = head("HTTP/1.1 202 Accepted", "Content-Length: 0");
        String r3 = head("HTTP/1.1 203 Non-Authoritative", "Content-Length: 0");
        t.accept(server(Kind.EGRESS, 1, 3, r1 + r2 + r3));
        assertThat(out).extracting(Exchange::rawPath, Exchange::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/2", 202), org.assertj.core.groups.Tuple.tuple("/3", 203));
        assertThat(t.stats().pipelineOverflows()).isEqualTo(1);
        assertThat(t.stats().unmatchedResponses()).isZero();
    }

    @Test
    void acceptOnAKnownIdentityStartsAFreshConnection() {
        HttpConnectionTracker t = tracker(HttpTrackerConfig.defaults());
        t.accept(server(Kind.OPEN_SERVER, 1, 1, ""));
        t.accept(server(Kind.INGRESS, 1, 2, "GET /half"));
        t.accept(server(Kind.OPEN_SERVER, 1, 3, ""));
        t.accept(server(Kind.INGRESS, 1, 4, GET));
        t.accept(server(Kind.EGRESS, 1, 5, OK));
        assertThat(out).extracting(Exchange::rawPath, Exchange::startNanos).containsExactly(org.assertj.core.groups.Tuple.tuple("/a", 4L));
        assertThat(t.stats().connectionsOpened()).isEqualTo(2);
        assertThat(t.stats().openConnections()).isEqualTo(1);
    }

    @Test
    void unusableEventsAreCountedNotThrown() {
        HttpConnectionTracker t = tracker(HttpTrackerConfig.defaults());
        t.accept(null);
        t.accept(new SocketEvent(null, 1, 1, 1, 1, Role.SERVER, 1, new byte[1], 1, "x", 1, 2));
        t.accept(new SocketEvent(Kind.INGRESS, 1, 1, 1, 1, null, 10, null, 10, null, 1, 2));
        t.accept(new SocketEvent(Kind.INGRESS, 1, 2, 1, 1, Role.SERVER, -5, new byte[2], 99, null, 1, 2));
        t.accept(new SocketEvent(Kind.CLOSE, 1, 3, 1, 1, Role.SERVER, 0, null, 0, null, 1, 2));
        assertThat(t.stats().invalidEvents()).isEqualTo(2);
        assertThat(out).isEmpty();
    }

    @Test
    void configRejectsNonsenseWithClearMessages() {
        HttpTrackerConfig d = HttpTrackerConfig.defaults();
        assertThat(d.maxConnections()).isEqualTo(65_536);
        assertThat(d.lostSyncTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.maxHeaderBytes()).isEqualTo(16_384);
        assertThatThrownBy(() -> d.withMaxConnections(0)).hasMessage("http.max-connections must be at least 1, got 0");
        assertThatThrownBy(() -> d.withLostSyncTimeout(Duration.ZERO))
                .hasMessageContaining("http.lost-sync-timeout must be a positive duration");
    }
}
