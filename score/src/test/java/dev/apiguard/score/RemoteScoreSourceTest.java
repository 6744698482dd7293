package dev.apiguard.score;

import dev.apiguard.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import dev.apiguard.metrics.AdminHttpServer;
import dev.apiguard.metrics.AdminHttpServer.Response;
import org.junit.jupiter.api.Test;

class RemoteScoreSourceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void readsAnotherScorerThenFailsOpen() throws Exception {
        EndpointScore pay = new EndpointScore("shop", "/checkout/pay", OptionalDouble.of(40), HealthState.CRITICAL, false,
                clock.instant(), Map.of("business_critical", 60.0), Duration.ofMinutes(5), 400);
        EndpointScore quiet = new EndpointScore("shop", "/quiet", OptionalDouble.empty(), HealthState.UNKNOWN, false,
                clock.instant(), Map.of(), Duration.ofMinutes(5), 3);
        byte[] body = ScoresJson.render(List.of(pay, quiet), "embedded", clock.instant());
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, Map.of("/api/v1/scores",
                r -> down.get() ? Response.text(503, "down\n") : Response.json(new String(body))));
        RemoteScoreSource remote = new RemoteScoreSource(URI.create(server.baseUrl()), HttpClient.newHttpClient(),
                Duration.ofSeconds(10), Duration.ofMinutes(2), clock);
        assertThat(remote.url().getPath()).isEqualTo("/api/v1/scores");
        assertThat(remote.scores()).isEmpty();

        assertThat(remote.poll()).isTrue();
        assertThat(remote.scores()).containsExactly(pay, quiet);

        down.set(true);
        clock.advance(Duration.ofMinutes(1));
        assertThat(remote.poll()).isFalse();
        assertThat(remote.scores()).containsExactly(pay.asStale(), quiet.asStale());

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(remote.poll()).isFalse();
        assertThat(remote.scores()).as("fail open after the TTL").isEmpty();
        server.close();
    }

    @Test
    void anUnreachableScorerGivesNoScores() {
        RemoteScoreSource remote = new RemoteScoreSource(URI.create("http://127.0.0.1:" + dev.apiguard.testkit.Ports.free()),
                HttpClient.newHttpClient(), Duration.ofSeconds(10), Duration.ofMinutes(2), clock);
        assertThat(remote.poll()).isFalse();
        assertThat(remote.scores()).isEmpty();
    }
}
