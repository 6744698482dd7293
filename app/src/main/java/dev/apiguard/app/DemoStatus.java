package dev.apiguard.app;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.apiguard.app.demo.DemoLoad;
import dev.apiguard.app.demo.IncidentTimeline;
import dev.apiguard.score.EndpointScore;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;

/** The demo's live one-line status and its final summary. */
final class DemoStatus {
    private final AllInOne all;
    private final DemoLoad load;
    private final IncidentTimeline timeline;
    private final Instant t0;
    private final boolean console = System.console() != null;
    private long lastSent;

    DemoStatus(AllInOne all, DemoLoad load, IncidentTimeline timeline, Instant t0) {
        this.all = all;
        this.load = load;
        this.timeline = timeline;
        this.t0 = t0;
    }

    /** Updates every second until {@code end} or shutdown. */
    void runUntil(Instant end, Node node) throws InterruptedException {
        int tick = 0;
        while (Instant.now().isBefore(end)) {
            node.awaitShutdown(Duration.ofSeconds(1));
            if (node.isShutDown()) {
                break;
            }
            String line = tick();
            if (console) {
                System.err.print("\r" + line + "   ");
            } else if (++tick % 5 == 0) {
                System.err.println(line);
            }
        }
        if (console) {
            System.err.println();
        }
    }

    private String tick() {
        Instant now = Instant.now();
        long sent = load.sent();
        long rps = sent - lastSent;
        lastSent = sent;
        EndpointScore worst = null;
        Optional<Double> checkoutScore = Optional.empty();
        for (EndpointScore s : all.scorer.scores()) {
            if (s.score().isPresent() && (worst == null || s.score().getAsDouble() < worst.score().getAsDouble())) {
                worst = s;
            }
            if (s.path().equals(timeline.route()) && s.score().isPresent()) {
                double v = s.score().getAsDouble();
                checkoutScore = Optional.of(checkoutScore.map(c -> Math.min(c, v)).orElse(v));
            }
        }
        String breaker = all.gateway.breakers().get(timeline.route()).map(b -> b.status().label()).orElse("closed");
        timeline.observe(now, checkoutScore, breaker);
        String worstText = worst == null ? "no scores yet"
                : String.format("worst %s %.1f (%s)", worst.path(), worst.score().getAsDouble(), worst.state().name().toLowerCase());
        return String.format("T+%3ds  %3d rps  %s  checkout breaker %s  shed %d  dashboard %s",
                Duration.between(t0, now).toSeconds(), rps, worstText, breaker.toUpperCase(), load.shed(), all.dashboardUrl());
    }

    String summary() {
        Map<String, Long> trips = breakerTrips();
        long falseTrips = trips.entrySet().stream().filter(e -> !e.getKey().equals(timeline.route())).mapToLong(Map.Entry::getValue).sum();
        StringBuilder s = new StringBuilder("\napiguard demo summary\n");
        s.append(String.format("  incident:          checkout failing silently from T+%ds to T+%ds%n",
                Duration.between(t0, timeline.start()).toSeconds(), Duration.between(t0, timeline.end()).toSeconds()));
        s.append("  detected:          ").append(timeline.detectedAfter().map(d -> String.format("T+%.1fs after the incident began (score < 70)", d.toMillis() / 1000.0)).orElse("not detected")).append('\n');
        s.append("  breaker opened:    ").append(timeline.breakerOpenedAfter().map(d -> String.format("T+%.1fs after the incident began", d.toMillis() / 1000.0)).orElse("never")).append('\n');
        s.append("  score recovered:   ").append(timeline.scoreRecoveredAfterEnd().map(d -> String.format("%.1fs after the incident ended", d.toMillis() / 1000.0)).orElse("not (yet)")).append('\n');
        s.append("  breaker closed:    ").append(timeline.breakerClosedAfterEnd().map(d -> String.format("%.1fs after the incident ended", d.toMillis() / 1000.0)).orElse("not (yet)")).append('\n');
        s.append(String.format("  requests:          %d sent, %d shed (503), %d failed%n", load.sent(), load.shed(), load.failed()));
        s.append(String.format("  breaker trips:     %d on %s, %d false trips elsewhere%n", trips.getOrDefault(timeline.route(), 0L), timeline.route(), falseTrips));
        s.append("  capture:           ").append(all.node.agent != null ? "eBPF" : "gateway only (" + all.node.captureUnavailable + ")").append('\n');
        return s.toString();
    }

    private Map<String, Long> breakerTrips() {
        Map<String, Long> trips = new HashMap<>();
        for (var snapshot : all.node.registry.scrape()) {
            if (snapshot instanceof CounterSnapshot c && c.getMetadata().getName().equals("api_breaker_tripped")) {
                c.getDataPoints().forEach(p -> trips.merge(p.getLabels().get("path"), (long) p.getValue(), Long::sum));
            }
        }
        return trips;
    }
}
