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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real page in a real headless Chromium, fed by a scripted {@code /api/v1/dashboard}:
 * healthy → checkout critical with its breaker OPEN and events → recovered → 503 → garbage → refused.
 */
class DashboardBrowserTest {

    private static final Duration STEP = Duration.ofSeconds(10);
    private static final Path SCREENSHOT = Path.of("target", "dashboard-test.png");

    @Test
    @Timeout(60)
    void thePageFollowsTheDataThroughAnIncidentAndSaysWhenTheNodeIsGone() throws Exception {
        ScriptedDashboard api = new ScriptedDashboard(Instant.parse("2026-11-24T23:00:00Z"));
        Map<String, Function<Request, Response>> routes = new LinkedHashMap<>(DashboardAssets.routes());
        routes.put("/api/v1/dashboard", api);
        AdminHttpServer server = AdminHttpServer.start("127.0.0.1", 0, routes);
        boolean serverStopped = false;
        try (DashboardPage page = DashboardPage.launch()) {
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
}
