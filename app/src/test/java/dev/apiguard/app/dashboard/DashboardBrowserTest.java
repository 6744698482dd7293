package dev.apiguard.app.dashboard;

import static dev.apiguard.app.dashboard.ScriptedDashboard.CHECKOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.apiguard.app.dashboard.DashboardPage.Row;
import dev.apiguard.app.dashboard.ScriptedDashboard.Phase;
import dev.apiguard.metrics.AdminHttpServer;
import dev.apiguard.metrics.AdminHttpServer.Request;
import dev.apiguard.metrics.AdminHttpServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real page in a real headless Chromium, fed by a scripted {@code /api/v1/dashboard}:
 * healthy → checkout critical with its breaker OPEN and events → recovered → 503 → garbage → refused.
 */
class DashboardBrowserTest {

    private static final Duration STEP = Duration.ofSeconds(10);
    private static final Path SCREENSHOT = Path.of("target", "dashboard-test.png");

    private static DashboardPage page;

    @BeforeAll
    static void launch() {
        page = DashboardPage.launch();
    }

    @AfterAll
    static void quit() {
        if (page != null) {
            page.close();
        }
    }

    @Test
    @Timeout(60)
    void thePageFollowsTheDataThroughAnIncidentAndSaysWhenTheNodeIsGone() throws Exception {
        ScriptedDashboard api = new ScriptedDashboard(Instant.parse("2026-11-24T23:00:00Z"));
        Map<String, Function<Request, Response>> routes = new LinkedHashMap<>(DashboardAssets.routes());
        routes.put("/api/v1/dashboard", api);
        AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, routes);
        boolean serverStopped = false;
        try {
            page.open(server.baseUrl());

            // Healthy: every row, sorted worst first, with its band and breaker.
            page.awaitUntil(STEP, "showing checkout healthy",
                    () -> page.score(CHECKOUT).equals(Optional.of(ScriptedDashboard.HEALTHY_SCORE)));
            assertThat(page.rows()).extracting(Row::path).containsExactly(
                    "/api/v1/search", "/internal/ledger", "/graphql", "/api/v1/users/{id}", CHECKOUT);
            assertThat(page.row(CHECKOUT)).contains(new Row("shop", CHECKOUT, "96.5", "healthy", "healthy", "CLOSED"));
            assertThat(page.row("/api/v1/search")).contains(new Row("shop", "/api/v1/search", "78.4", "degraded", "degraded", "CLOSED"));
            assertThat(page.row("/internal/ledger")).contains(new Row("billing", "/internal/ledger", "unknown", "unknown", "unknown", "–"));
            assertThat(page.score("/internal/ledger")).isEmpty();
            assertThat(page.eventsShown()).isZero();
            assertThat(page.agentValue("capturing")).isEqualTo("capturing");
            assertThat(page.agentValue("drops_total")).isEqualTo("0");
            assertThat(page.agentTone("drops_total")).isEmpty();
            assertThat(page.agentValue("shed_total")).isEqualTo("0");
            assertThat(page.status()).startsWith("live");
            page.awaitUntil(STEP, "charting two polls", () -> page.chart("score").get("points") >= 2);
            for (String chart : new String[] {"score", "business", "server"}) {
                assertThat(page.chart(chart)).as(chart).containsEntry("series", 5L);
                assertThat(page.chart(chart).get("canvases")).as(chart).isPositive();
            }
            assertThat(page.browserErrors()).isEmpty();
            long pointsBefore = page.chart("score").get("points");

            // Incident: checkout drops below 70, its breaker opens, events and drops appear.
            api.phase(Phase.INCIDENT);
            page.awaitUntil(STEP, "showing checkout critical with its breaker open",
                    () -> page.breaker(CHECKOUT).equals(Optional.of("OPEN"))
                            && page.score(CHECKOUT).equals(Optional.of(ScriptedDashboard.INCIDENT_SCORE)));
            assertThat(page.rows().getFirst()).isEqualTo(new Row("shop", CHECKOUT, "63.5", "critical", "critical", "OPEN"));
            assertThat(page.eventsShown()).isEqualTo(ScriptedDashboard.INCIDENT_EVENTS);
            assertThat(page.agentValue("drops_total")).isEqualTo("12");
            assertThat(page.agentTone("drops_total")).isEqualTo("alert");
            assertThat(page.agentValue("shed_total")).isEqualTo("42");
            assertThat(page.chart("score").get("points")).isGreaterThan(pointsBefore);
            page.awaitUntil(STEP, "a few more seconds of incident history", () -> page.chart("score").get("points") >= pointsBefore + 6);
            page.screenshot(SCREENSHOT);
            assertThat(SCREENSHOT).isNotEmptyFile();
            assertThat(page.browserErrors()).isEmpty();

            // Recovery: half-open, then closed and healthy; the events stay in the window.
            api.phase(Phase.RECOVERED);
            page.awaitUntil(STEP, "showing checkout recovered",
                    () -> page.row(CHECKOUT).equals(Optional.of(new Row("shop", CHECKOUT, "92.0", "healthy", "healthy", "CLOSED"))));
            assertThat(page.rows().getLast().path()).isEqualTo(CHECKOUT);
            assertThat(page.eventsShown()).isEqualTo(ScriptedDashboard.INCIDENT_EVENTS);

            // The node answers 503: the status line says so and the last data stays on screen.
            api.phase(Phase.UNAVAILABLE);
            page.awaitUntil(STEP, "saying the connection is lost", page::connectionLost);
            assertThat(page.status()).startsWith("connection lost, retrying");
            assertThat(page.score(CHECKOUT)).contains(ScriptedDashboard.RECOVERED_SCORE);

            // It comes back: live again.
            api.phase(Phase.RECOVERED);
            page.awaitUntil(STEP, "live again", () -> page.status().startsWith("live"));

            // Not JSON: a clear line, not a broken page.
            api.phase(Phase.GARBLED);
            page.awaitUntil(STEP, "reporting a bad response", () -> page.status().startsWith("bad response from the node"));
            assertThat(page.rows()).hasSize(5);

            // Refused: the server is gone.
            server.close();
            serverStopped = true;
            page.awaitUntil(STEP, "saying the connection is lost after the server stopped", page::connectionLost);
            assertThat(page.rows()).hasSize(5);
        } finally {
            if (!serverStopped) {
                server.close();
            }
        }
    }

    /** The page's own modules, run in the browser: the formats the hooks rely on and the history's bounds. */
    @Test
    @Timeout(30)
    void formatsAreExactAndTheChartHistoryIsBounded() throws Exception {
        try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, DashboardAssets.routes())) {
            page.open(server.baseUrl());
            Map<String, Object> r = page.runModuleScript("""
                    const [h, f] = await Promise.all([import(new URL('assets/dashboard/history.js', document.baseURI).href),
                                                  import(new URL('assets/dashboard/format.js', document.baseURI).href)]);
                    const endpoints = Array.from({length: 60}, (_, i) =>
                        ({service: 's', path: '/p' + i, score: 40 + i, business_error_pct: 1, server_error_pct: 0}));
                    const byAge = new h.History();
                    for (let t = 0; t < 1000; t++) byAge.add(1000 + t, endpoints);
                    const byCount = new h.History();
                    for (let t = 0; t < 1000; t++) byCount.add(1000 + t / 4, endpoints.slice(0, 2));
                    const again = byAge.add(1999, endpoints);
                    const last = byAge.samples[byAge.samples.length - 1];
                    const ageResult = [byAge.times.length, byAge.times[0], last.size, byAge.untracked, byAge.labels.size,
                                       last.has('s /p0'), last.has('s /p59')];
                    byAge.add(10, endpoints.slice(0, 1));
                    return {
                      byAge: ageResult.map(String), again: String(again), stepBack: String(byAge.times.length),
                      byCount: [byCount.times.length, byCount.times[0]].map(String),
                      score: [f.scoreText(63.5), f.scoreText(null), f.scoreText(70)],
                      breaker: [f.breakerText({state: 'half_open'}), f.breakerText({state: 'forced_open'}), f.breakerText(null)],
                      band: [f.band(undefined, 85), f.band(undefined, 84.9), f.band(undefined, 69.9), f.band(null, null), f.band('critical', 99)],
                      percent: [f.percent(8.24), f.percent(null)],
                    };""");
            assertThat(r).containsEntry("score", java.util.List.of("63.5", "unknown", "70.0"));
            assertThat(r).containsEntry("breaker", java.util.List.of("HALF_OPEN", "FORCED_OPEN", "–"));
            assertThat(r).containsEntry("band", java.util.List.of("healthy", "degraded", "critical", "unknown", "critical"));
            assertThat(r).containsEntry("percent", java.util.List.of("8.2 %", "–"));
            // 1000 one-second polls keep the last 600 s (t = 1399..1999: 601 points), the 50 worst of 60 endpoints.
            assertThat(r).containsEntry("byAge", java.util.List.of("601", "1399", "50", "10", "50", "true", "false"));
            assertThat(r).containsEntry("again", "false");
            assertThat(r).containsEntry("stepBack", "1");
            // 1000 quarter-second polls span 250 s: the point cap (720) bounds them.
            assertThat(r).containsEntry("byCount", java.util.List.of("720", "1070"));
        }
    }
}
