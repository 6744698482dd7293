package dev.apiguard.app.dashboard;

import static dev.apiguard.app.dashboard.ScriptedDashboard.CHECKOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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
            page.screenshot(Path.of("target", "dashboard-test-lost.png"));
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
            assertThat(r).containsEntry("score", List.of("63.5", "unknown", "70.0"));
            assertThat(r).containsEntry("breaker", List.of("HALF_OPEN", "FORCED_OPEN", "–"));
            assertThat(r).containsEntry("band", List.of("healthy", "degraded", "critical", "unknown", "critical"));
            assertThat(r).containsEntry("percent", List.of("8.2 %", "–"));
            // 1000 one-second polls keep the last 600 s (t = 1399..1999: 601 points), the 50 worst of 60 endpoints.
            assertThat(r).containsEntry("byAge", List.of("601", "1399", "50", "10", "50", "true", "false"));
            assertThat(r).containsEntry("again", "false");
            assertThat(r).containsEntry("stepBack", "1");
            // 1000 quarter-second polls span 250 s: the point cap (720) bounds them.
            assertThat(r).containsEntry("byCount", List.of("720", "1070"));
        }
    }

    /** Rows render the JSON as text only (a hostile route cannot inject markup), mark stale rows, are bounded, and say when there are none. */
    @Test
    @Timeout(30)
    void rowsShowDataAsTextAndMarkStaleEndpoints() throws Exception {
        try (AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, DashboardAssets.routes())) {
            page.open(server.baseUrl());
            Map<String, Object> r = page.runModuleScript("""
                    const t = await import(new URL('assets/dashboard/table.js', document.baseURI).href);
                    const body = document.createElement('tbody');
                    t.renderTable(body, [
                      {service: '<b>x</b>', path: '/a/<img src=x onerror="window.owned=1">', score: 50, state: 'critical',
                       breaker: {state: 'open', reason: '<script>window.owned=2</script>'}, penalties: {'<i>p</i>': 5}},
                      {service: 'shop', path: '/old', score: 90.04, state: 'healthy', stale: true, breaker: {state: 'closed'}},
                    ]);
                    const rows = [...body.querySelectorAll('tr[data-path]')];
                    const empty = document.createElement('tbody');
                    t.renderTable(empty, []);
                    const many = document.createElement('tbody');
                    t.renderTable(many, Array.from({length: 250}, (_, i) => ({service: 's', path: '/p' + i, score: i % 100, state: null})));
                    return {
                      elements: String(body.querySelectorAll('b, i, img, script').length),
                      owned: String(window.owned ?? 'no'),
                      path: rows[0].dataset.path,
                      route: rows[0].querySelector('td.route').textContent,
                      why: rows[0].querySelector('td.why').textContent,
                      stale: [rows[1].classList.contains('stale'), rows[1].querySelector('.tag')?.textContent,
                              rows[1].querySelector('[data-field="score"]').textContent].map(String),
                      empty: empty.textContent,
                      many: [many.querySelectorAll('tr[data-path]').length, many.lastElementChild.textContent,
                             many.firstElementChild.dataset.path].map(String),
                    };""");
            assertThat(r).containsEntry("elements", "0").containsEntry("owned", "no");
            assertThat(r).containsEntry("path", "/a/<img src=x onerror=\"window.owned=1\">");
            assertThat(r).containsEntry("route", "/a/<img src=x onerror=\"window.owned=1\">");
            assertThat(r).containsEntry("why", "<i>p</i> −5.0breaker: <script>window.owned=2</script>");
            assertThat(r).containsEntry("stale", List.of("true", "stale", "90.0"));
            assertThat(r).containsEntry("empty", "No endpoints observed yet.");
            // 250 endpoints: the 200 worst are rows (scores 0 first: /p0 sorts before /p100 and /p200), 50 are counted.
            assertThat(r).containsEntry("many", List.of("200", "50 healthier endpoints not shown.", "/p0"));
        }
    }
}
