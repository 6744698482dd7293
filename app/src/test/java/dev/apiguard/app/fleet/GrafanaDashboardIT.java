package dev.apiguard.app.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apiguard.score.ScoreConfig;
import dev.apiguard.score.WindowSource;
import dev.apiguard.score.WindowSources;
import dev.apiguard.score.WindowStats;
import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/apiguard.json and deploy/prometheus's rules against live data: {@code ./apiguard demo}
 * (the real agent watching a real shop, the embedded scorer, the gateway with its breakers, load and
 * a silent-200 incident on checkout) in its own process, scraped every second by a real Prometheus
 * that evaluates the rules and alerts. Every panel query of the dashboard, with {@code $service} and
 * {@code $path} set as Grafana sets them, must be valid PromQL there and return data (a panel whose
 * counter appears only at an event, route overflow or breaker trips, shows 0 until then). The alerts
 * for a silent-200 burn and a low score must go pending on checkout, and no rule may report an
 * evaluation error. The scorer's Prometheus source reads the same
 * window from the recording rules ({@code score.use-recording-rules}) as from its own queries.
 */
class GrafanaDashboardIT {
    private static final String SERVICE = "shop";
    private static final String CHECKOUT = "/api/v1/checkout";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static Process demo;
    private static Path demoLog;
    private static RulesPrometheus prometheus;

    @BeforeAll
    static void start() throws Exception {
        RealParts.requireRoot();
        Path binary = RealParts.requireBinary("prometheus");
        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "dev.apiguard.app.Main", "demo",
                "--listen", "127.0.0.1:" + port, "--gateway-listen", "127.0.0.1:" + Ports.free(),
                "--duration", "PT4M", "--incident-start", "PT3S", "--incident-length", "PT4M", "--incident-rate", "0.5"));
        demoLog = Files.createTempFile("apiguard-demo-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(demoLog.toFile());
        builder.environment().put("APIGUARD_ADMIN_TOKEN", "grafana-dashboard-test-token-0123456789");
        demo = builder.start();
        Ports.awaitListening(port, Duration.ofSeconds(60));
        prometheus = new RulesPrometheus(binary, Map.of("apiguard-agent", List.of("127.0.0.1:" + port)));
        await("the silent-200 ratio of checkout is recorded above 0",
                () -> positive("apiguard:silent_errors:ratio_rate5m{service=\"shop\",path=\"/api/v1/checkout\"}"));
        await("a score and a breaker state are scraped",
                () -> has("apiguard:endpoint_health_score:min{service=\"shop\"}") && has("api_breaker_state"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (demo != null && demo.isAlive()) {
            demo.destroy();
            if (!demo.waitFor(20, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
                demo.waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (demoLog != null) {
            Files.deleteIfExists(demoLog);
        }
    }

    @Test
    void everyPanelQueryIsValidAndTheDemoFillsItsPanels() throws Exception {
        List<DashboardQueries.Query> queries = DashboardQueries.load(DashboardQueries.dashboardFile(), SERVICE, CHECKOUT);
        assertThat(queries).hasSize(27);
        assertThat(queries).extracting(DashboardQueries.Query::expr).noneMatch(e -> e.contains("$"));
        List<String> empty = new ArrayList<>();
        for (DashboardQueries.Query q : queries) {
            RulesPrometheus.Answer a = prometheus.query(q.expr());
            assertThat(a.success()).as("%s [%s]: %s -> %s %s", q.panel(), q.refId(), q.expr(), a.errorType(), a.error()).isTrue();
            if (a.result().isEmpty()) {
                empty.add(q.panel() + " [" + q.refId() + "] " + q.expr());
            }
        }
        assertThat(empty).as("panels without data (demo log: %s)", demoLog).isEmpty();
    }

    @Test
    void theRouteSelectionKeepsToTheRoute() throws Exception {
        for (DashboardQueries.Query q : DashboardQueries.load(DashboardQueries.dashboardFile(), SERVICE, CHECKOUT)) {
            if (!q.expr().contains("path=~")) {
                continue;
            }
            for (JsonNode s : prometheus.query(q.expr()).result()) {
                String path = s.path("metric").path("path").asText(null);
                if (path != null) {
                    assertThat(path).as(q.panel()).isEqualTo(CHECKOUT);
                }
            }
        }
        // "All" matches every route: more than checkout alone.
        String all = DashboardQueries.load(DashboardQueries.dashboardFile()).stream()
                .filter(q -> q.panel().equals("Requests/s by route")).findFirst().orElseThrow().expr();
        assertThat(prometheus.query(all).result().size()).isGreaterThan(1);
    }

    @Test
    void theIncidentTripsTheAlertConditionsOnCheckoutAndNoRuleFails() throws Exception {
        await("the burn-rate and score alerts are pending or firing on checkout",
                () -> has("ALERTS{alertname=\"ApiguardSilentErrorBudgetFastBurn\",service=\"shop\",path=\"/api/v1/checkout\"}")
                        && has("ALERTS{alertname=\"ApiguardEndpointScoreLow\",service=\"shop\",path=\"/api/v1/checkout\"}"));
        // The agent is scraped and up: its down/absent alerts stay quiet.
        assertThat(has("ALERTS{alertname=~\"ApiguardAgentDown|ApiguardAgentAbsent\"}")).isFalse();
        int rules = 0;
        for (JsonNode group : prometheus.rules()) {
            for (JsonNode rule : group.path("rules")) {
                rules++;
                assertThat(rule.path("health").asText()).as(rule.path("name").asText() + ": " + rule.path("lastError").asText())
                        .isEqualTo("ok");
            }
        }
        assertThat(rules).isEqualTo(PrometheusRulesTest.RECORDING_RULES + PrometheusRulesTest.ALERTS.size());
    }

    /**
     * Both readings at the timestamp of the last rule evaluation, so that the raw queries see what the
     * rules saw. A scrape that started before that timestamp but was appended after the evaluation
     * ran would still slip into the raw reading only: such a round is read again at the next
     * evaluation (at most three rounds), and within a round the values must agree to 1 %.
     */
    @Test
    void theScorerReadsTheSameWindowFromTheRecordingRulesAsFromItsQueries() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI url = URI.create(prometheus.url());
        WindowSource raw = WindowSources.prometheus(url, ScoreConfig.defaults(), http);
        WindowSource recorded = WindowSources.prometheus(url, ScoreConfig.defaults().withUseRecordingRules(true), http);
        AssertionError last = null;
        for (int round = 0; round < 3; round++) {
            // timestamp() gives the recorded sample's own time (an instant query's value carries the query's time).
            JsonNode evaluated = prometheus.query("max(timestamp(apiguard:scorer_requests:increase5m))").result();
            assertThat(evaluated).isNotEmpty();
            Instant at = Instant.ofEpochMilli(Math.round(Double.parseDouble(evaluated.get(0).path("value").get(1).asText()) * 1000));
            try {
                assertSameWindow(raw.read(at).endpoints(), recorded.read(at).endpoints());
                return;
            } catch (AssertionError e) {
                last = e;
                Thread.sleep(1500);
            }
        }
        throw last;
    }

    private static void assertSameWindow(List<WindowStats> rawStats, List<WindowStats> recordedStats) {
        Map<String, WindowStats> fromRaw = new TreeMap<>();
        rawStats.forEach(s -> fromRaw.put(s.service() + " " + s.path(), s));
        Map<String, WindowStats> fromRules = new TreeMap<>();
        recordedStats.forEach(s -> fromRules.put(s.service() + " " + s.path(), s));
        assertThat(fromRules.keySet()).isEqualTo(fromRaw.keySet()).contains(SERVICE + " " + CHECKOUT);
        for (String endpoint : fromRaw.keySet()) {
            WindowStats a = fromRaw.get(endpoint);
            WindowStats b = fromRules.get(endpoint);
            assertThat(b.requests()).as(endpoint).isCloseTo(a.requests(), withinPercentage(1));
            assertThat(b.serverErrors()).as(endpoint).isCloseTo(a.serverErrors(), offset(a.requests() * 0.01));
            assertThat(b.critical() + b.high() + b.medium() + b.low()).as(endpoint)
                    .isCloseTo(a.critical() + a.high() + a.medium() + a.low(), offset(a.requests() * 0.01));
            if (Double.isNaN(a.p99Seconds())) {
                assertThat(b.p99Seconds()).as(endpoint).isNaN();
            } else {
                assertThat(b.p99Seconds()).as(endpoint).isCloseTo(a.p99Seconds(), withinPercentage(1));
            }
        }
        WindowStats checkout = fromRules.get(SERVICE + " " + CHECKOUT);
        assertThat(checkout.critical() + checkout.high() + checkout.medium() + checkout.low()).as("the incident's business errors").isPositive();
    }

    private static boolean has(String promql) throws IOException, InterruptedException {
        RulesPrometheus.Answer a = prometheus.query(promql);
        assertThat(a.success()).as(promql + ": " + a.error()).isTrue();
        return !a.result().isEmpty();
    }

    private static boolean positive(String promql) throws IOException, InterruptedException {
        for (JsonNode s : prometheus.query(promql).result()) {
            if (Double.parseDouble(s.path("value").get(1).asText()) > 0) {
                return true;
            }
        }
        return false;
    }

    private interface Check {
        boolean ok() throws IOException, InterruptedException;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!demo.isAlive()) {
                throw new AssertionError("demo exited " + demo.exitValue() + ": " + Files.readString(demoLog));
            }
            if (check.ok()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not within " + WAIT + ": " + what + " (demo log " + demoLog + ", Prometheus log "
                + prometheus.log() + ")");
    }
}
