package dev.apiguard.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import dev.apiguard.metrics.AdminHttpServer;
import dev.apiguard.metrics.AdminHttpServer.Request;
import dev.apiguard.metrics.AdminHttpServer.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a stand-in for the Prometheus query API; the real one runs in the app's ScorerPrometheusIT. */
class PrometheusWindowSourceTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private AdminHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private WindowSource source(Function<String, Response> answer) throws Exception {
        return source(answer, ScoreConfig.defaults());
    }

    private WindowSource source(Function<String, Response> answer, ScoreConfig config) throws Exception {
        server = AdminHttpServer.start("127.0.0.1", 0, Map.of("/api/v1/query", (Request r) -> {
            String q = java.net.URLDecoder.decode(new String(r.body()).replaceFirst("^query=", "").replaceFirst("&time=.*$", ""),
                    java.nio.charset.StandardCharsets.UTF_8);
            queries.add(q);
            return answer.apply(q);
        }));
        return WindowSources.prometheus(URI.create(server.baseUrl()), config, http);
    }

    private static Response vector(String... samples) {
        return Response.json("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + String.join(",", samples) + "]}}");
    }

    private static String sample(String labels, String value) {
        return "{\"metric\":{" + labels + "},\"value\":[1767225600,\"" + value + "\"]}";
    }

    @Test
    void combinesTheFourQueriesPerEndpoint() throws Exception {
        String a = "\"service\":\"shop\",\"path\":\"/a\"";
        WindowSource source = source(q -> {
            if (q.startsWith("histogram_quantile")) {
                return vector(sample(a, "0.625"));
            }
            if (q.contains("api_business_errors_total")) {
                return vector(sample(a + ",\"severity\":\"critical\"", "4"), sample(a + ",\"severity\":\"low\"", "1.5"));
            }
            if (q.contains("5xx")) {
                return vector(sample(a, "3"));
            }
            return vector(sample(a, "120.5"));
        });
        WindowSource.Reading r = source.read(AT);
        assertThat(r.window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(r.endpoints()).containsExactly(new WindowStats("shop", "/a", 120.5, 3, 4, 0, 0, 1.5, 0.625));
        assertThat(queries).containsExactlyInAnyOrder(
                "sum by (service, path) (increase(api_http_requests_total{side=~\"server|gateway\"}[300s]))",
                "sum by (service, path) (increase(api_http_requests_total{side=~\"server|gateway\",status_class=\"5xx\"}[300s]))",
                "sum by (service, path, severity) (increase(api_business_errors_total{side=~\"server|gateway\"}[300s]))",
                "histogram_quantile(0.99, sum by (le, service, path) (rate(api_http_duration_seconds_bucket{side=~\"server|gateway\"}[300s])))");
    }

    @Test
    void aNaNQuantileMeansUnknownLatency() throws Exception {
        String a = "\"service\":\"shop\",\"path\":\"/a\"";
        WindowSource source = source(q -> q.startsWith("histogram_quantile") ? vector(sample(a, "NaN")) : vector(sample(a, "50")));
        assertThat(source.read(AT).endpoints().getFirst().p99Seconds()).isNaN();
    }

    @Test
    void anErrorAnswerFailsTheWholeReading() throws Exception {
        WindowSource source = source(q -> q.contains("severity")
                ? new Response(422, "application/json", "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"boom\"}".getBytes())
                : vector());
        assertThatThrownBy(() -> source.read(AT))
                .isInstanceOf(WindowSource.SourceException.class)
                .hasMessage("Prometheus answered HTTP 422: execution: boom");
    }

    @Test
    void somethingThatIsNotPrometheusIsAClearError() throws Exception {
        WindowSource source = source(q -> Response.text(200, "hello"));
        assertThatThrownBy(() -> source.read(AT)).hasMessageContaining("not JSON");
    }

    @Test
    void anUnreachablePrometheusIsASourceException() {
        int closed = dev.apiguard.testkit.Ports.free();
        WindowSource source = WindowSources.prometheus(URI.create("http://127.0.0.1:" + closed), ScoreConfig.defaults(), http);
        assertThatThrownBy(() -> source.read(AT))
                .isInstanceOf(WindowSource.SourceException.class)
                .hasMessageContaining("unreachable");
    }

    @Test
    void rejectsAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> WindowSources.prometheus(URI.create("localhost:9090"), ScoreConfig.defaults(), http))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Prometheus URL must look like http://HOST:PORT, got 'localhost:9090'");
    }

    @Test
    void withRecordingRulesItReadsTheRecordedSeries() throws Exception {
        String a = "\"service\":\"shop\",\"path\":\"/a\"";
        WindowSource source = source(q -> switch (q) {
            case "apiguard:scorer_requests:increase5m" -> vector(sample(a, "120.5"));
            case "apiguard:scorer_server_errors:increase5m" -> vector(sample(a, "3"));
            case "apiguard:scorer_business_errors:increase5m" -> vector(sample(a + ",\"severity\":\"critical\"", "4"));
            case "apiguard:http_duration_seconds:p99_5m" -> vector(sample(a, "0.625"));
            default -> new Response(400, "application/json", "{\"status\":\"error\",\"error\":\"unexpected\"}".getBytes());
        }, ScoreConfig.defaults().withUseRecordingRules(true));
        assertThat(source.read(AT).endpoints()).containsExactly(new WindowStats("shop", "/a", 120.5, 3, 4, 0, 0, 0, 0.625));
        assertThat(queries).containsExactly("apiguard:scorer_requests:increase5m", "apiguard:scorer_server_errors:increase5m",
                "apiguard:scorer_business_errors:increase5m", "apiguard:http_duration_seconds:p99_5m");
    }

    /** Rules that were never loaded must not read as "no traffic": that would make every endpoint unknown in silence. */
    @Test
    void recordingRulesThatAreNotLoadedFailTheReading() throws Exception {
        WindowSource source = source(q -> q.startsWith("count(") ? vector(sample("", "42")) : vector(),
                ScoreConfig.defaults().withUseRecordingRules(true));
        assertThatThrownBy(() -> source.read(AT))
                .isInstanceOf(WindowSource.SourceException.class)
                .hasMessage("Prometheus has no apiguard:scorer_requests:increase5m series but 42 api_http_requests_total series:"
                        + " load deploy/prometheus/apiguard-rules.yml into it, or set score.use-recording-rules: false");
        assertThat(queries).containsExactly("apiguard:scorer_requests:increase5m",
                "count(api_http_requests_total{side=~\"server|gateway\"})");
    }

    @Test
    void recordingRulesAndNoTrafficAtAllIsAnEmptyReading() throws Exception {
        WindowSource source = source(q -> vector(), ScoreConfig.defaults().withUseRecordingRules(true));
        assertThat(source.read(AT).endpoints()).isEmpty();
    }

    @Test
    void recordingRulesNeedTheWindowAndSidesTheyAreRecordedFor() {
        ScoreConfig oneMinute = ScoreConfig.defaults().withUseRecordingRules(true).withWindow(Duration.ofMinutes(1));
        assertThatThrownBy(() -> WindowSources.checkPrometheusConfig(oneMinute))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("use-recording-rules reads the series of deploy/prometheus/apiguard-rules.yml, recorded for"
                        + " window PT5M and sides [server, gateway]; this config has window PT1M and sides [server, gateway]");
        ScoreConfig serverOnly = ScoreConfig.defaults().withUseRecordingRules(true).withSides(List.of("server"));
        assertThatThrownBy(() -> WindowSources.prometheus(URI.create("http://127.0.0.1:9"), serverOnly, http))
                .hasMessageContaining("sides [server]");
        // The sides in another order are the same sides.
        WindowSources.checkPrometheusConfig(ScoreConfig.defaults().withUseRecordingRules(true).withSides(List.of("gateway", "server")));
        // Without the option, any window.
        WindowSources.checkPrometheusConfig(ScoreConfig.defaults().withWindow(Duration.ofMinutes(1)));
    }
}
