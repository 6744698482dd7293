package dev.apiguard.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apiguard.app.agent.Agent;
import dev.apiguard.gateway.BreakerSnapshot;
import dev.apiguard.gateway.Gateway;
import dev.apiguard.metrics.EndpointsView;
import dev.apiguard.metrics.RecentBusinessErrors;
import dev.apiguard.score.EndpointScore;
import dev.apiguard.score.ScoreSource;
import dev.apiguard.score.WindowSource;
import dev.apiguard.score.WindowStats;
import dev.apiguard.semantics.learn.BaselineLearner;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code /api/v1/dashboard}: one JSON document with everything the page shows, computed over a
 * short window (rates and ratios): the window from the same per-endpoint totals the embedded scorer
 * reads ({@code WindowSources.embedded(apiMetrics, ...)}), the per-type and per-status details from
 * the agent's registry.
 */
final class DashboardData {
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrometheusRegistry registry;
    private final WindowSource window;
    private final ScoreSource scores;
    private final Gateway gateway; // may be null
    private final Agent agent; // may be null
    private final String captureUnavailable;
    private final RecentBusinessErrors events;
    private final Clock clock;
    private final String side;
    private final BaselineLearner learner; // may be null
    /** Cumulative business errors by type per endpoint, one entry per call, for windowed deltas by type. */
    private final ArrayDeque<Map.Entry<Instant, Map<String, Map<String, Long>>>> byTypeHistory = new ArrayDeque<>();

    DashboardData(PrometheusRegistry registry, WindowSource window, ScoreSource scores, Gateway gateway, Agent agent,
            String captureUnavailable, RecentBusinessErrors events, Clock clock, BaselineLearner learner) {
        this.learner = learner;
        this.registry = registry;
        this.window = window;
        this.scores = scores;
        this.gateway = gateway;
        this.agent = agent;
        this.captureUnavailable = captureUnavailable;
        this.events = events;
        this.clock = clock;
        this.side = agent != null ? "server" : "gateway";
    }

    synchronized String json() {
        Instant now = clock.instant();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("generated_at", now.toString());
        doc.put("window", WINDOW.toString());
        doc.put("agent", agentHealth());
        doc.put("gateway", gateway == null ? Map.of("enabled", false)
                : Map.of("enabled", true, "shed_total", counterTotal(registry, "apiguard_gateway_shed")));
        doc.put("endpoints", endpoints(now));
        List<Map<String, Object>> recent = new ArrayList<>();
        for (RecentBusinessErrors.Event e : events.latest(50)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", e.at().toString());
            m.put("service", e.service());
            m.put("side", e.side());
            m.put("path", e.path());
            m.put("error_type", e.errorType());
            m.put("severity", e.severity());
            m.put("silent", e.silent());
            m.put("status", e.status());
            recent.add(m);
        }
        doc.put("events", recent);
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> agentHealth() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("capturing", agent != null);
        m.put("reason", captureUnavailable);
        if (agent != null) {
            var k = agent.kernelStats();
            m.put("events_total", k.events());
            m.put("drops_total", k.ringBufferDrops() + k.connectionTableFull() + agent.malformedRecords());
            m.put("exchanges_total", agent.trackerStats().exchangesEmitted());
            m.put("ignored_connections_total", k.notHttpConnections());
        }
        return m;
    }

    private List<Map<String, Object>> endpoints(Instant now) {
        Map<String, WindowStats> stats = new HashMap<>();
        Duration covered = WINDOW;
        try {
            WindowSource.Reading reading = window.read(now);
            covered = reading.window().isZero() ? Duration.ofSeconds(1) : reading.window();
            reading.endpoints().forEach(w -> stats.put(w.service() + '\0' + w.path(), w));
        } catch (WindowSource.SourceException e) {
            // the embedded source does not fail; without it, rates stay empty
        }
        Map<String, Map<String, Long>> byType = byTypeDeltas(now);
        Map<String, BreakerSnapshot> breakers = new HashMap<>();
        if (gateway != null) {
            gateway.breakers().snapshot().forEach(b -> breakers.put(b.route(), b));
        }
        Map<String, Map<String, Object>> baselines = BaselinesView.summaries(learner);
        Map<String, EndpointScore> scored = new LinkedHashMap<>();
        scores.scores().forEach(s -> scored.put(s.service() + '\0' + s.path(), s));
        List<String> keys = new ArrayList<>(scored.keySet());
        stats.keySet().stream().filter(k -> !scored.containsKey(k)).sorted().forEach(keys::add);
        List<Map<String, Object>> rows = new ArrayList<>();
        double seconds = Math.max(1, covered.toMillis() / 1000.0);
        for (String key : keys) {
            String[] parts = key.split("\0", 2);
            WindowStats w = stats.get(key);
            EndpointScore s = scored.get(key);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("service", parts[0]);
            row.put("path", parts[1]);
            double requests = w == null ? 0 : w.requests();
            row.put("rps", w == null ? null : round(requests / seconds));
            row.put("p99_ms", w == null || Double.isNaN(w.p99Seconds()) ? null : round(w.p99Seconds() * 1000));
            row.put("server_error_pct", w == null || requests == 0 ? null : round(100 * w.serverErrors() / requests));
            double business = w == null ? 0 : w.critical() + w.high() + w.medium() + w.low();
            row.put("business_error_pct", w == null || requests == 0 ? null : round(100 * business / requests));
            Map<String, Object> types = new LinkedHashMap<>();
            if (requests > 0) {
                byType.getOrDefault(key, Map.of()).forEach((type, n) -> types.put(type, round(100.0 * n / requests)));
            }
            row.put("business_errors_by_type", types);
            row.put("score", s == null || s.score().isEmpty() ? null : round(s.score().getAsDouble()));
            row.put("state", s == null ? "unknown" : s.state().name().toLowerCase());
            row.put("stale", s != null && s.stale());
            row.put("penalties", s == null ? Map.of() : s.penalties());
            row.put("breaker", Optional.ofNullable(breakers.get(parts[1])).map(b -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("state", b.status().label());
                m.put("reason", b.reason());
                return m;
            }).orElse(null));
            row.put("baseline", baselines.get(parts[1]));
            rows.add(row);
        }
        return rows;
    }

    /** Business errors by type per (service, path) during the window, from cumulative counters. */
    private Map<String, Map<String, Long>> byTypeDeltas(Instant now) {
        Map<String, Map<String, Long>> current = new HashMap<>();
        for (EndpointsView.Endpoint e : EndpointsView.from(registry.scrape())) {
            if (!e.side().equals(side)) {
                continue; // the same side as the window's rates, or each request would count twice
            }
            Map<String, Long> m = current.computeIfAbsent(e.service() + '\0' + e.path(), k -> new HashMap<>());
            e.businessErrorsByType().forEach((t, n) -> m.merge(t, n, Long::sum));
        }
        byTypeHistory.addLast(Map.entry(now, current));
        while (byTypeHistory.size() > 1 && byTypeHistory.peekFirst().getKey().isBefore(now.minus(WINDOW))) {
            byTypeHistory.removeFirst();
        }
        while (byTypeHistory.size() > 600) {
            byTypeHistory.removeFirst();
        }
        Map<String, Map<String, Long>> base = byTypeHistory.peekFirst().getValue();
        Map<String, Map<String, Long>> deltas = new HashMap<>();
        current.forEach((key, types) -> types.forEach((type, n) -> {
            long d = n - base.getOrDefault(key, Map.of()).getOrDefault(type, 0L);
            if (d > 0) {
                deltas.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(type, d);
            }
        }));
        return deltas;
    }

    /** The sum of a counter family's samples (name without _total). */
    static long counterTotal(PrometheusRegistry registry, String name) {
        long sum = 0;
        for (var snapshot : registry.scrape()) {
            if (snapshot instanceof io.prometheus.metrics.model.snapshots.CounterSnapshot c
                    && c.getMetadata().getName().equals(name)) {
                for (var p : c.getDataPoints()) {
                    sum += (long) p.getValue();
                }
            }
        }
        return sum;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
