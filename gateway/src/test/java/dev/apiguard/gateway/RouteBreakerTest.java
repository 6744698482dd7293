package dev.apiguard.gateway;

import dev.apiguard.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.apiguard.gateway.Admission.Admitted;
import dev.apiguard.gateway.Admission.Rejected;
import dev.apiguard.gateway.BreakerSnapshot.Status;
import dev.apiguard.score.EndpointScore;
import dev.apiguard.score.HealthState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

class RouteBreakerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final BreakerConfig noJitter = BreakerConfig.builder().jitter(0).build();

    private BreakerRegistry registry(BreakerConfig config) {
        return new BreakerRegistry(config, clock, new Random(7), new GatewayMetrics(new PrometheusRegistry()));
    }

    private static void call(RouteBreaker b, Outcome outcome) {
        Admission a = b.tryAcquire();
        assertThat(a).isInstanceOf(Admitted.class);
        b.onResult((Admitted) a, outcome);
    }

    private static Status status(RouteBreaker b) {
        return b.state().status();
    }

    @Test
    void tripsOnlyOnceMinCallsAreReachedAndTheRatioIsMet() {
        RouteBreaker b = registry(noJitter).breaker("/orders");
        for (int i = 0; i < 19; i++) {
            call(b, Outcome.BUSINESS_ERROR);
        }
        assertThat(status(b)).isEqualTo(Status.CLOSED); // 19 calls < min-calls 20
        call(b, Outcome.SUCCESS);
        assertThat(status(b)).isEqualTo(Status.OPEN); // 19/20 >= 0.5
        assertThat(b.state().reason()).startsWith("19/20 calls failed (business error 19)");
    }

    @Test
    void ratioBelowThresholdDoesNotTrip() {
        RouteBreaker b = registry(noJitter).breaker("/orders");
        for (int i = 0; i < 100; i++) {
            call(b, i % 5 < 2 ? Outcome.SERVER_ERROR : Outcome.SUCCESS); // 40 % failures
        }
        assertThat(status(b)).isEqualTo(Status.CLOSED);
        assertThat(b.snapshot().windowCalls()).isEqualTo(100);
        assertThat(b.snapshot().windowFailures()).isEqualTo(40);
    }

    @Test
    void oldFailuresSlideOutOfTheWindow() {
        RouteBreaker b = registry(noJitter).breaker("/orders");
        for (int i = 0; i < 15; i++) {
            call(b, Outcome.TIMEOUT);
        }
        clock.advance(Duration.ofSeconds(31)); // window PT30S
        for (int i = 0; i < 15; i++) {
            call(b, i < 5 ? Outcome.TIMEOUT : Outcome.SUCCESS);
        }
        assertThat(status(b)).isEqualTo(Status.CLOSED); // only 15 calls in the window
        assertThat(b.snapshot().windowCalls()).isEqualTo(15);
    }

    @Test
    void openRefusesWithRetryAfterThenHalfOpensAndClosesAfterAllProbesSucceed() {
        RouteBreaker b = registry(noJitter).breaker("/pay");
        for (int i = 0; i < 20; i++) {
            call(b, Outcome.CONNECT_FAILURE);
        }
        Admission refused = b.tryAcquire();
        assertThat(refused).isInstanceOf(Rejected.class);
        assertThat(((Rejected) refused).retryAfter()).isEqualTo(Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(2));
        assertThat(((Rejected) b.tryAcquire()).retryAfter()).isEqualTo(Duration.ofSeconds(3));

        clock.advance(Duration.ofSeconds(3));
        List<Admitted> probes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            probes.add((Admitted) b.tryAcquire());
        }
        assertThat(status(b)).isEqualTo(Status.HALF_OPEN);
        assertThat(probes).allMatch(Admitted::probe);
        assertThat(b.tryAcquire()).isInstanceOf(Rejected.class); // the 4th is refused
        b.onResult(probes.get(0), Outcome.SUCCESS);
        b.onResult(probes.get(1), Outcome.SUCCESS);
        assertThat(status(b)).isEqualTo(Status.HALF_OPEN);
        b.onResult(probes.get(2), Outcome.SUCCESS);
        assertThat(status(b)).isEqualTo(Status.CLOSED);
        assertThat(b.snapshot().windowCalls()).isZero();
    }

    @Test
    void aFailedProbeReopensForTwiceAsLongUpToTheCap() {
        RouteBreaker b = registry(noJitter).breaker("/pay");
        for (int i = 0; i < 20; i++) {
            call(b, Outcome.SERVER_ERROR);
        }
        long[] expectedSeconds = {10, 20, 40, 60, 60};
        for (long expected : expectedSeconds) {
            clock.advance(Duration.ofSeconds(61));
            Admitted probe = (Admitted) b.tryAcquire();
            b.onResult(probe, Outcome.TIMEOUT);
            assertThat(status(b)).isEqualTo(Status.OPEN);
            assertThat(((Rejected) b.tryAcquire()).retryAfter()).isEqualTo(Duration.ofSeconds(expected));
            assertThat(b.state().reason()).isEqualTo("half-open probe failed (timeout)");
        }
        assertThat(b.snapshot().consecutiveTrips()).isEqualTo(6);
    }

    @Test
    void jitterStaysWithinTenPercentAndUnderTheCap() {
        RouteBreaker b = registry(BreakerConfig.defaults()).breaker("/x");
        for (int i = 0; i < 200; i++) {
            assertThat(b.openDuration(1).toMillis()).isBetween(4500L, 5500L);
            assertThat(b.openDuration(10).toMillis()).isBetween(54000L, 60000L);
        }
    }

    @Test
    void aCancelledProbeGivesItsPermitBackAndLateProbesOfAnEarlierEpisodeAreIgnored() {
        RouteBreaker b = registry(noJitter).breaker("/pay");
        for (int i = 0; i < 20; i++) {
            call(b, Outcome.SERVER_ERROR);
        }
        clock.advance(Duration.ofSeconds(5));
        Admitted p1 = (Admitted) b.tryAcquire();
        Admitted p2 = (Admitted) b.tryAcquire();
        Admitted p3 = (Admitted) b.tryAcquire();
        assertThat(b.tryAcquire()).isInstanceOf(Rejected.class);
        b.onResult(p3, Outcome.CANCELLED);
        Admitted p4 = (Admitted) b.tryAcquire();
        assertThat(p4.probe()).isTrue();
        b.onResult(p1, Outcome.SERVER_ERROR); // reopens
        assertThat(status(b)).isEqualTo(Status.OPEN);
        clock.advance(Duration.ofSeconds(10));
        Admitted q1 = (Admitted) b.tryAcquire(); // a new episode
        b.onResult(p2, Outcome.SUCCESS); // late, from the old episode: ignored
        b.onResult(p4, Outcome.SUCCESS);
        assertThat(status(b)).isEqualTo(Status.HALF_OPEN);
        b.onResult(q1, Outcome.SUCCESS);
        b.onResult((Admitted) b.tryAcquire(), Outcome.SUCCESS);
        b.onResult((Admitted) b.tryAcquire(), Outcome.SUCCESS);
        assertThat(status(b)).isEqualTo(Status.CLOSED);
    }

    @Test
    void manyThreadsInHalfOpenNeverGetMoreThanTheProbePermits() throws Exception {
        RouteBreaker b = registry(noJitter).breaker("/hot");
        for (int i = 0; i < 20; i++) {
            call(b, Outcome.SERVER_ERROR);
        }
        clock.advance(Duration.ofSeconds(5));
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 20; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<Admitted>>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        List<Admitted> mine = new ArrayList<>();
                        for (int i = 0; i < 500; i++) {
                            if (b.tryAcquire() instanceof Admitted a) {
                                mine.add(a);
                            }
                        }
                        return mine;
                    }));
                }
                start.countDown();
                List<Admitted> admitted = new ArrayList<>();
                for (Future<List<Admitted>> f : results) {
                    admitted.addAll(f.get(10, TimeUnit.SECONDS));
                }
                assertThat(admitted).hasSize(3).allMatch(Admitted::probe);
                // one probe fails: back to open, and the next round starts a fresh episode
                admitted.forEach(a -> b.onResult(a, Outcome.SERVER_ERROR));
                assertThat(status(b)).isEqualTo(Status.OPEN);
                clock.advance(Duration.ofSeconds(61));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static EndpointScore score(String path, double value, boolean stale, Instant at) {
        return new EndpointScore("shop", path, OptionalDouble.of(value), HealthState.DEGRADED, stale, at, java.util.Map.of());
    }

    @Test
    void aLowScoreTripsAfterTheDwellAndHysteresisKeepsItOpenUntilTheCloseThreshold() {
        BreakerRegistry registry = registry(noJitter);
        RouteBreaker b = registry.breaker("/cart");
        registry.applyScores(List.of(score("/cart", 60, false, clock.instant())), null);
        clock.advance(Duration.ofSeconds(4));
        registry.applyScores(List.of(score("/cart", 60, false, clock.instant())), null);
        assertThat(status(b)).isEqualTo(Status.CLOSED); // 4 s < dwell 5 s
        clock.advance(Duration.ofSeconds(1));
        registry.applyScores(List.of(score("/cart", 65, false, clock.instant())), null);
        assertThat(status(b)).isEqualTo(Status.OPEN);
        assertThat(b.state().reason()).isEqualTo("health score 65 below 70 for PT5S");

        // 75: above trip, below close. The probes succeed, yet the breaker reopens.
        registry.applyScores(List.of(score("/cart", 75, false, clock.instant())), null);
        clock.advance(Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            call(b, Outcome.SUCCESS);
        }
        assertThat(status(b)).isEqualTo(Status.OPEN);
        assertThat(b.state().reason()).isEqualTo("probes succeeded but score 75 is below the close threshold 85");

        registry.applyScores(List.of(score("/cart", 90, false, clock.instant())), null);
        clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            call(b, Outcome.SUCCESS);
        }
        assertThat(status(b)).isEqualTo(Status.CLOSED);
        // 75 while closed does not trip: it is above the trip threshold
        registry.applyScores(List.of(score("/cart", 75, false, clock.instant())), null);
        clock.advance(Duration.ofSeconds(30));
        registry.applyScores(List.of(score("/cart", 75, false, clock.instant())), null);
        assertThat(status(b)).isEqualTo(Status.CLOSED);
    }

    @Test
    void aScoreThatRecoversWithinTheDwellDoesNotTrip() {
        BreakerRegistry registry = registry(noJitter);
        RouteBreaker b = registry.breaker("/cart");
        registry.applyScores(List.of(score("/cart", 10, false, clock.instant())), null);
        clock.advance(Duration.ofSeconds(4));
        registry.applyScores(List.of(score("/cart", 80, false, clock.instant())), null);
        clock.advance(Duration.ofSeconds(4));
        registry.applyScores(List.of(score("/cart", 10, false, clock.instant())), null);
        assertThat(status(b)).isEqualTo(Status.CLOSED);
    }

    @Test
    void staleOrMissingScoresNeverTripAndDoNotHoldAHalfOpenBreakerOpen() {
        BreakerRegistry registry = registry(noJitter);
        RouteBreaker b = registry.breaker("/cart");
        for (int i = 0; i < 10; i++) {
            registry.applyScores(List.of(score("/cart", 5, true, clock.instant())), null); // marked stale
            clock.advance(Duration.ofSeconds(2));
        }
        for (int i = 0; i < 10; i++) {
            registry.applyScores(List.of(score("/cart", 5, false, clock.instant().minusSeconds(120))), null); // too old
            clock.advance(Duration.ofSeconds(2));
        }
        for (int i = 0; i < 10; i++) {
            registry.applyScores(List.of(), null); // scorer unreachable
            clock.advance(Duration.ofSeconds(2));
        }
        assertThat(status(b)).isEqualTo(Status.CLOSED);
        // a score of another service is not this route's
        for (int i = 0; i < 10; i++) {
            registry.applyScores(List.of(score("/cart", 5, false, clock.instant())), "billing");
            clock.advance(Duration.ofSeconds(2));
        }
        assertThat(status(b)).isEqualTo(Status.CLOSED);

        for (int i = 0; i < 20; i++) {
            call(b, Outcome.SERVER_ERROR);
        }
        registry.applyScores(List.of(score("/cart", 5, true, clock.instant())), null);
        clock.advance(Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            call(b, Outcome.SUCCESS);
        }
        assertThat(status(b)).isEqualTo(Status.CLOSED); // no fresh score: probes decide alone
    }

    @Test
    void forcedOpenAndDisabledHoldUntilReset() {
        BreakerRegistry registry = registry(noJitter);
        registry.forceOpen("/admin");
        RouteBreaker b = registry.breaker("/admin");
        assertThat(b.tryAcquire()).isInstanceOf(Rejected.class);
        clock.advance(Duration.ofHours(1));
        assertThat(((Rejected) b.tryAcquire()).status()).isEqualTo(Status.FORCED_OPEN);

        registry.disable("/admin");
        for (int i = 0; i < 100; i++) {
            call(b, Outcome.SERVER_ERROR);
        }
        assertThat(status(b)).isEqualTo(Status.DISABLED);
        assertThat(registry.reset("/admin")).get().extracting(BreakerSnapshot::status).isEqualTo(Status.CLOSED);
        assertThat(registry.reset("/never-seen")).isEmpty();
    }

    @Test
    void theBlastRadiusCapRefusesTripsPastItsShare() {
        BreakerRegistry registry = registry(noJitter.toBuilder().maxOpenShare(0.5).minCalls(1).build());
        List<RouteBreaker> routes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            routes.add(registry.breaker("/r" + i));
        }
        for (RouteBreaker b : routes) {
            call(b, Outcome.SERVER_ERROR);
        }
        assertThat(routes.stream().filter(b -> status(b) == Status.OPEN).count()).isEqualTo(2);
        assertThat(status(routes.get(2))).isEqualTo(Status.CLOSED);
        assertThat(status(routes.get(3))).isEqualTo(Status.CLOSED);
    }

    @Test
    void breakersAreBoundedAndTheOverflowSharesOne() {
        BreakerRegistry registry = registry(noJitter.toBuilder().maxBreakers(3).build());
        registry.breaker("/a");
        registry.breaker("/b");
        registry.breaker("/c");
        RouteBreaker d = registry.breaker("/d");
        assertThat(d.route()).isEqualTo("/{overflow}");
        assertThat(registry.breaker("/e")).isSameAs(d);
        assertThat(registry.snapshot()).extracting(BreakerSnapshot::route)
                .containsExactly("/a", "/b", "/c", "/{overflow}");
    }
}
