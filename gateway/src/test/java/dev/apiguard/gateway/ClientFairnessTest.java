package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.apiguard.gateway.Admission.Admitted;
import dev.apiguard.gateway.BreakerSnapshot.Status;
import dev.apiguard.testkit.MutableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The fairness policy inside a route breaker, on a clock moved by hand (defaults: min-calls 20, ratio 0.5). */
class ClientFairnessTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final BreakerConfig noJitter = BreakerConfig.builder().jitter(0).build();
    private final GatewayMetrics metrics = new GatewayMetrics(new PrometheusRegistry());

    private RouteBreaker breaker(FairnessConfig fairness) {
        return new BreakerRegistry(noJitter, fairness, clock, new Random(7), metrics, route -> false).breaker("/orders");
    }

    private static void call(RouteBreaker b, String client, Outcome outcome) {
        assertThat(b.clientShed(client)).as("%s is shed", client).isNull();
        Admission a = b.tryAcquire();
        assertThat(a).isInstanceOf(Admitted.class);
        b.onResult((Admitted) a, outcome, client);
    }

    /** Four healthy clients with one success each, then {@code culprit} fails until something gives. */
    private static int failUntilShedOrOpen(RouteBreaker b, String culprit, int limit) {
        for (int i = 1; i <= limit; i++) {
            call(b, culprit, Outcome.BUSINESS_ERROR);
            if (b.clientShed(culprit) != null || b.state().status() != Status.CLOSED) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void oneFailingClientAmongFiveIsShedAndTheRouteStaysClosed() {
        RouteBreaker b = breaker(FairnessConfig.defaults());
        for (String c : new String[] {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"}) {
            call(b, c, Outcome.SUCCESS);
        }
        // 4 successes + 16 failures = 20 calls, 16 >= 10: the trip condition; the culprit explains it all
        assertThat(failUntilShedOrOpen(b, "10.0.0.66", 40)).isEqualTo(16);
        assertThat(b.state().status()).isEqualTo(Status.CLOSED);
        assertThat(b.clientShed("10.0.0.66")).isEqualTo(Duration.ofSeconds(5)); // open-base, first shed
        assertThat(b.clientShed("10.0.0.1")).isNull();
        // the culprit's 16 calls left the window; the others' 4 stay
        assertThat(b.snapshot().windowCalls()).isEqualTo(4);
        assertThat(b.snapshot().windowFailures()).isEqualTo(0);
        assertThat(metrics.culpritsShed.get()).isEqualTo(1.0);
        assertThat(metrics.breakerTripped.labelValues("/orders").get()).isEqualTo(0.0);

        clock.advance(Duration.ofMillis(4999));
        assertThat(b.clientShed("10.0.0.66")).isEqualTo(Duration.ofMillis(1));
        clock.advance(Duration.ofMillis(1));
        assertThat(b.clientShed("10.0.0.66")).isNull();
        // back and still failing: shed again, for twice as long; the route still never opened
        assertThat(failUntilShedOrOpen(b, "10.0.0.66", 40)).isEqualTo(16);
        assertThat(b.state().status()).isEqualTo(Status.CLOSED);
        assertThat(b.clientShed("10.0.0.66")).isEqualTo(Duration.ofSeconds(10));
        assertThat(metrics.culpritsShed.get()).isEqualTo(2.0);
    }

    @Test
    void aCallOfAShedClientThatWasAlreadyInFlightFeedsNothing() {
        RouteBreaker b = breaker(FairnessConfig.defaults());
        Admitted inFlight = (Admitted) b.tryAcquire();
        for (String c : new String[] {"a", "b", "c", "d"}) {
            call(b, c, Outcome.SUCCESS);
        }
        failUntilShedOrOpen(b, "x", 40);
        assertThat(b.clientShed("x")).isNotNull();
        b.onResult(inFlight, Outcome.TIMEOUT, "x");
        assertThat(b.snapshot().windowCalls()).isEqualTo(4);
        assertThat(b.snapshot().windowFailures()).isEqualTo(0);
    }

    @Test
    void failuresSpreadOverMostClientsTripTheRoute() {
        RouteBreaker b = breaker(FairnessConfig.defaults());
        String[] clients = {"a", "b", "c", "d", "e"};
        int calls = 0;
        while (b.state().status() == Status.CLOSED && calls < 100) {
            call(b, clients[calls % clients.length], Outcome.SERVER_ERROR);
            calls++;
        }
        assertThat(calls).isEqualTo(20); // exactly when it would trip without fairness
        assertThat(b.state().status()).isEqualTo(Status.OPEN);
        assertThat(b.state().reason()).startsWith("20/20 calls failed (5xx 20)");
        assertThat(metrics.culpritsShed.get()).isEqualTo(0.0);
    }

    @Test
    void aHeavyClientInARealIncidentDoesNotHideIt() {
        // One client sends most calls, but the others fail too: shedding it leaves a failing route.
        RouteBreaker b = breaker(FairnessConfig.defaults());
        for (String c : new String[] {"a", "b", "c", "d"}) {
            call(b, c, Outcome.SERVER_ERROR);
        }
        assertThat(failUntilShedOrOpen(b, "heavy", 40)).isEqualTo(16);
        assertThat(b.state().status()).isEqualTo(Status.OPEN);
        assertThat(b.clientShed("heavy")).isNull();
    }

    @Test
    void aRouteWithOneOrTwoClientsTripsAsBefore() {
        RouteBreaker single = breaker(FairnessConfig.defaults());
        assertThat(failUntilShedOrOpen(single, "only", 40)).isEqualTo(20);
        assertThat(single.state().status()).isEqualTo(Status.OPEN);

        RouteBreaker two = new BreakerRegistry(noJitter, FairnessConfig.defaults(), clock, new Random(7), metrics, route -> false)
                .breaker("/pay");
        call(two, "good", Outcome.SUCCESS);
        assertThat(failUntilShedOrOpen(two, "bad", 40)).isEqualTo(19); // 2 clients < min-clients 3
        assertThat(two.state().status()).isEqualTo(Status.OPEN);
        assertThat(metrics.culpritsShed.get()).isEqualTo(0.0);
    }

    @Test
    void eachFailingClientOfAFewIsShedAndTheRouteStaysClosed() {
        // 10 clients: 8 healthy, 2 failing. The first judgement sheds one (that alone brings the others
        // below the ratio); the other is shed when its own failures trip the condition again.
        RouteBreaker b = breaker(FairnessConfig.defaults());
        for (int i = 0; i < 8; i++) {
            call(b, "ok" + i, Outcome.SUCCESS);
        }
        int failures = 0;
        for (int round = 0; round < 20; round++) {
            for (String bad : new String[] {"bad0", "bad1"}) {
                if (b.clientShed(bad) == null) {
                    call(b, bad, Outcome.BUSINESS_ERROR);
                    failures++;
                }
            }
        }
        assertThat(b.clientShed("bad0")).isNotNull();
        assertThat(b.clientShed("bad1")).isNotNull();
        assertThat(b.state().status()).isEqualTo(Status.CLOSED);
        assertThat(metrics.culpritsShed.get()).isEqualTo(2.0);
        // 12 failures (6 + 6) reach 20 calls; the remaining one's 6 stay, and 6 more reach 20 again
        assertThat(failures).isEqualTo(18);
        assertThat(b.snapshot().windowCalls()).isEqualTo(8);
    }

    @Test
    void failuresFromMoreClientsThanTheShareTripTheRoute() {
        // 10 clients: 4 healthy, 6 failing. Shedding 2 (0.2 x 10) leaves a failing route: it trips.
        RouteBreaker b = breaker(FairnessConfig.defaults());
        for (int i = 0; i < 4; i++) {
            call(b, "ok" + i, Outcome.SUCCESS);
        }
        int calls = 4;
        for (int i = 0; i < 100 && b.state().status() == Status.CLOSED; i++) {
            call(b, "bad" + (i % 6), Outcome.BUSINESS_ERROR);
            calls++;
        }
        assertThat(calls).isEqualTo(20);
        assertThat(b.state().status()).isEqualTo(Status.OPEN);
        assertThat(metrics.culpritsShed.get()).isEqualTo(0.0);
    }

    @Test
    void disabledFairnessTripsLikeBefore() {
        RouteBreaker b = breaker(FairnessConfig.disabled());
        for (String c : new String[] {"a", "b", "c", "d"}) {
            call(b, c, Outcome.SUCCESS);
        }
        assertThat(failUntilShedOrOpen(b, "x", 40)).isEqualTo(16);
        assertThat(b.state().status()).isEqualTo(Status.OPEN);
    }

    @Test
    void anOperatorResetEndsEveryShed() {
        RouteBreaker b = breaker(FairnessConfig.defaults());
        for (String c : new String[] {"a", "b", "c", "d"}) {
            call(b, c, Outcome.SUCCESS);
        }
        failUntilShedOrOpen(b, "x", 40);
        assertThat(b.clientShed("x")).isNotNull();
        b.reset();
        assertThat(b.clientShed("x")).isNull();
        failUntilShedOrOpen(b, "x", 40); // the others' calls went with the reset: x alone trips
        assertThat(b.state().status()).isEqualTo(Status.OPEN);

        RouteBreaker d = new BreakerRegistry(noJitter, FairnessConfig.defaults(), clock, new Random(7), metrics, route -> false)
                .breaker("/disabled");
        for (String c : new String[] {"a", "b", "c", "d"}) {
            call(d, c, Outcome.SUCCESS);
        }
        failUntilShedOrOpen(d, "x", 40);
        assertThat(d.clientShed("x")).isNotNull();
        d.disable("test");
        assertThat(d.clientShed("x")).isNull();
    }

    @Test
    void theScoreStillTripsTheRouteWhateverTheClients() {
        RouteBreaker b = breaker(FairnessConfig.defaults());
        for (String c : new String[] {"a", "b", "c", "d"}) {
            call(b, c, Outcome.SUCCESS);
        }
        b.onScore(new ScoreReading.Fresh(40));
        clock.advance(Duration.ofSeconds(5));
        b.onScore(new ScoreReading.Fresh(40));
        assertThat(b.state().status()).isEqualTo(Status.OPEN);
    }

    @Test
    void aFullTableCountsItsOverflowAndKeepsShedClients() {
        FairnessConfig small = new FairnessConfig(true, 0.2, 3, 4);
        RouteBreaker b = breaker(small);
        for (String c : new String[] {"a", "b", "c", "d"}) {
            call(b, c, Outcome.SUCCESS);
        }
        assertThat(metrics.clientTableOverflow.get()).isEqualTo(0.0);
        call(b, "e", Outcome.SUCCESS); // pushes out an active client
        assertThat(metrics.clientTableOverflow.get()).isEqualTo(1.0);
        // 5 successes; the culprit needs 15 failures for 20 calls; 4 tracked + 1 pushed out = 5 distinct... and
        // the culprit's arrival pushes out one more: 6 distinct, share 0.2 -> 1 culprit.
        assertThat(failUntilShedOrOpen(b, "x", 40)).isEqualTo(15);
        assertThat(b.clientShed("x")).isNotNull();
        assertThat(b.state().status()).isEqualTo(Status.CLOSED);
        for (String c : new String[] {"f", "g", "h", "i", "j"}) {
            call(b, c, Outcome.SUCCESS); // the shed client is never the one pushed out
        }
        assertThat(b.clientShed("x")).isNotNull();
        assertThat(metrics.clientTableOverflow.get()).isEqualTo(7.0);
    }
}
