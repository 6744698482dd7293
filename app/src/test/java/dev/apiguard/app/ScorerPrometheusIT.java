package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.apiguard.app.it.MetricsReader;
import dev.apiguard.app.score.ShopTraffic;
import dev.apiguard.app.score.PrometheusStack;
import dev.apiguard.score.EmbeddedScorer;
import dev.apiguard.score.EndpointScore;
import dev.apiguard.score.HealthState;
import dev.apiguard.score.ScoreConfig;
import dev.apiguard.score.Scorer;
import dev.apiguard.score.ScoresJson;
import dev.apiguard.testkit.RealParts;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code ./apiguard scorer} against a real Prometheus 2.42 and Pushgateway: Prometheus scrapes the
 * real agent (BPF programs in this kernel, capturing only the shop's port) while curl drives a real
 * shop (see {@link ShopTraffic}), and the Pushgateway the scorer pushes to. The embedded scorer reads
 * the same agent's registry, and the two must agree within {@link #TOLERANCE} points (Prometheus's
 * {@code increase} and {@code rate} extrapolate each series a little differently at the window's
 * edges). Then Prometheus is killed: the scores go stale, then unknown.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScorerPrometheusIT {
    static final double TOLERANCE = 2.0;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration STALE_TTL = Duration.ofSeconds(6);
    private static final long COUNT_TIMEOUT_MILLIS = 20_000;

    private static ShopTraffic traffic;
    /** By then Prometheus had every request: a score evaluated later covers all the traffic. */
    private static Instant allScraped;
    private static Node node;
    private static MetricsReader agentMetrics;
    private static PrometheusStack stack;
    private static ScorerCommand.Running scorer;
    private static Scorer embedded;
    private static Path configFile;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws Exception {
        RealParts.requireRoot();
        Path prometheus = RealParts.requireBinary("prometheus");
        Path pushgateway = RealParts.requireBinary("prometheus-pushgateway");
        traffic = new ShopTraffic();
        // Only the shop's port: Prometheus's own scrapes and the rest of this machine stay out.
        node = Node.start(NodeOptions.of("127.0.0.1:0", 0, "", traffic.port()), false);
        agentMetrics = new MetricsReader(node.registry);
        stack = new PrometheusStack(prometheus, pushgateway, "127.0.0.1:" + node.port());

        // Every series gets a first sample in Prometheus before the traffic that is scored.
        ShopTraffic.Counts counted = traffic.warmUp();
        awaitCounted(counted);
        await("Prometheus scraped the warm-up series",
                () -> stack.query("api_business_errors_total{side=\"server\"}").size() == 2
                        && stack.query("api_http_requests_total{side=\"server\"}").size() == 5);
        // A few seconds of flat history, so increase() extrapolates little at the window's start.
        Thread.sleep(3000);

        configFile = Files.createTempFile("apiguard-score-", ".yaml");
        Files.writeString(configFile, """
                score:
                  stale-ttl: %s
                  routes:
                    - path: /checkout*
                      criticality: critical
                    - path: /health
                      criticality: low
                """.formatted(STALE_TTL));
        embedded = EmbeddedScorer.create(node.metrics, new PrometheusRegistry(),
                dev.apiguard.app.config.ApiguardConfig.load(configFile).score()
                        .withWindow(Duration.ofMinutes(1)).withInterval(Duration.ofSeconds(1)),
                Clock.systemUTC());
        embedded.evaluate(); // baseline: the warm-up does not count
        scorer = ScorerCommand.start(ScorerCommand.parse(List.of(
                "--prometheus", stack.prometheusUrl(),
                "--listen", "127.0.0.1:0",
                "--window", "PT1M",
                "--interval", "1s",
                "--config", configFile.toString(),
                "--pushgateway", stack.pushgatewayUrl())), Clock.systemUTC());

        counted = plus(counted, traffic.mainTraffic());
        awaitCounted(counted);
        embedded.evaluate();
        long total = counted.requests().values().stream().mapToLong(Long::longValue).sum();
        await("Prometheus scraped all " + total + " requests", () -> stack.query("sum(api_http_requests_total{side=\"server\"})")
                .stream().anyMatch(sample -> sample.value() == total));
        allScraped = Instant.now();
    }

    /** Waits until the agent has counted exactly this traffic, then a little more: a late event would be a double count. */
    private static void awaitCounted(ShopTraffic.Counts expected) throws InterruptedException {
        MetricsReader.await(() -> counted(expected).equals(expected), COUNT_TIMEOUT_MILLIS);
        Thread.sleep(300);
        assertThat(counted(expected)).as("counted by the agent").isEqualTo(expected);
    }

    private static ShopTraffic.Counts counted(ShopTraffic.Counts expected) {
        Map<String, Long> requests = new LinkedHashMap<>();
        for (String key : expected.requests().keySet()) {
            String[] k = key.split(" ");
            requests.put(key, agentMetrics.requests(ShopTraffic.SERVICE, "server", "GET", k[0], k[1]));
        }
        Map<String, Long> business = new HashMap<>();
        for (String path : expected.businessErrors().keySet()) {
            business.put(path, agentMetrics.counter("api_business_errors_total",
                    Map.of("service", ShopTraffic.SERVICE, "side", "server", "path", path)));
        }
        return new ShopTraffic.Counts(requests, Map.copyOf(business));
    }

    private static ShopTraffic.Counts plus(ShopTraffic.Counts a, ShopTraffic.Counts b) {
        Map<String, Long> requests = new LinkedHashMap<>(a.requests());
        b.requests().forEach((k, v) -> requests.merge(k, v, Long::sum));
        Map<String, Long> business = new HashMap<>(a.businessErrors());
        b.businessErrors().forEach((k, v) -> business.merge(k, v, Long::sum));
        return new ShopTraffic.Counts(requests, Map.copyOf(business));
    }

    @AfterAll
    static void stop() throws Exception {
        if (scorer != null) {
            scorer.close();
        }
        if (embedded != null) {
            embedded.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (node != null) {
            node.close();
        }
        if (traffic != null) {
            traffic.close();
        }
        if (configFile != null) {
            Files.deleteIfExists(configFile);
        }
    }

    @Test
    @Order(1)
    void scoresFromPrometheusMatchTheTrafficAndTheEmbeddedScorer() throws Exception {
        Map<String, EndpointScore> fromPrometheus = awaitScores(s -> s.containsKey(ShopTraffic.SEARCH)
                && s.get(ShopTraffic.SEARCH).evaluatedAt().isAfter(allScraped) && s.get(ShopTraffic.SEARCH).score().isPresent());
        Map<String, EndpointScore> fromEmbedded = byPath(embedded.scores());

        EndpointScore products = fromPrometheus.get(ShopTraffic.PRODUCTS);
        assertThat(products.score().getAsDouble()).isGreaterThanOrEqualTo(95);
        assertThat(products.state()).isEqualTo(HealthState.HEALTHY);

        EndpointScore pay = fromPrometheus.get(ShopTraffic.PAY);
        assertThat(pay.score().getAsDouble()).isLessThan(70);
        assertThat(pay.state()).isEqualTo(HealthState.CRITICAL);
        assertThat(pay.penalties()).containsOnlyKeys("business_critical");

        EndpointScore health = fromPrometheus.get(ShopTraffic.HEALTH);
        assertThat(health.state()).isEqualTo(HealthState.UNKNOWN);
        assertThat(health.score()).isEmpty();

        // The embedded scorer saw exactly the main traffic. Ratios are exact; latency is measured, so
        // search's latency penalty is a range (6.25 when the slow ones land in the 0.5–0.75 s bucket).
        EndpointScore search = fromEmbedded.get(ShopTraffic.SEARCH);
        assertThat(search.penalties()).containsOnlyKeys("server_error", "business_medium", "latency");
        assertThat(search.penalties().get("server_error")).isCloseTo(4.5, within(1e-9));
        assertThat(search.penalties().get("business_medium")).isCloseTo(12.0, within(1e-9));
        assertThat(search.penalties().get("latency")).isGreaterThan(0).isLessThanOrEqualTo(25);
        assertThat(search.score().getAsDouble()).isCloseTo(100 - 4.5 - 12 - search.penalties().get("latency"), within(1e-9));
        System.out.printf("search: expected %.2f with the slow requests in the 0.5-0.75 s bucket, embedded %.2f%n",
                ShopTraffic.SEARCH_SCORE, search.score().getAsDouble());
        assertThat(fromEmbedded.get(ShopTraffic.PAY).score().getAsDouble()).isEqualTo(40.0);
        assertThat(fromEmbedded.get(ShopTraffic.PRODUCTS).score().getAsDouble()).isEqualTo(100.0);
        assertThat(fromEmbedded.get(ShopTraffic.HEALTH).state()).isEqualTo(HealthState.UNKNOWN);

        // Same traffic, same scores from both sources, within the tolerance; same states.
        assertThat(fromPrometheus.keySet()).isEqualTo(fromEmbedded.keySet());
        for (String path : fromEmbedded.keySet()) {
            EndpointScore p = fromPrometheus.get(path);
            EndpointScore e = fromEmbedded.get(path);
            assertThat(p.state()).as(path).isEqualTo(e.state());
            assertThat(p.score().isPresent()).as(path).isEqualTo(e.score().isPresent());
            System.out.printf("%-14s prometheus %-8s %6.2f (%.1f requests)  embedded %-8s %6.2f (%.0f requests)%n", path,
                    p.state(), p.score().orElse(Double.NaN), p.requests(), e.state(), e.score().orElse(Double.NaN), e.requests());
            if (e.score().isPresent()) {
                assertThat(p.score().getAsDouble()).as(path).isCloseTo(e.score().getAsDouble(), within(TOLERANCE));
            }
        }
        assertThat(fromPrometheus.get(ShopTraffic.SEARCH).penalties())
                .containsOnlyKeys("server_error", "business_medium", "latency");
    }

    @Test
    @Order(2)
    void thePushedGaugeIsVisibleThroughPrometheus() throws Exception {
        String promql = "api_endpoint_health_score{job=\"apiguard\",path=\"" + ShopTraffic.PAY + "\"}";
        await("Prometheus has the pushed score", () -> !stack.query(promql).isEmpty());
        List<PrometheusStack.Sample> samples = stack.query(promql);
        assertThat(samples).hasSize(1);
        assertThat(samples.getFirst().labels()).containsEntry("service", ShopTraffic.SERVICE);
        assertThat(samples.getFirst().value()).isLessThan(70);
        // Unknown endpoints publish no sample at all.
        assertThat(stack.query("api_endpoint_health_score{job=\"apiguard\",path=\"/health\"}")).isEmpty();
    }

    @Test
    @Order(3)
    void whenPrometheusDiesScoresGoStaleThenUnknown() throws Exception {
        double before = awaitScores(s -> s.containsKey(ShopTraffic.PAY)).get(ShopTraffic.PAY).score().getAsDouble();
        stack.killPrometheus();

        Map<String, EndpointScore> stale = awaitScores(s -> s.get(ShopTraffic.PAY).stale());
        EndpointScore pay = stale.get(ShopTraffic.PAY);
        assertThat(pay.score().getAsDouble()).as("kept, not lowered").isEqualTo(before);
        assertThat(pay.state()).isEqualTo(HealthState.CRITICAL);
        assertThat(stale.get(ShopTraffic.PRODUCTS).score().getAsDouble()).isGreaterThanOrEqualTo(95);

        Map<String, EndpointScore> unknown = awaitScores(
                s -> s.values().stream().allMatch(e -> e.state() == HealthState.UNKNOWN));
        assertThat(unknown.values()).allSatisfy(e -> {
            assertThat(e.score()).isEmpty();
            assertThat(e.stale()).isTrue();
        });

        // Still serving, and counting the failures.
        String metrics = get(scorer.baseUrl() + "/metrics");
        assertThat(metrics).doesNotContain("api_endpoint_health_score{");
        assertThat(Double.parseDouble(metrics.lines()
                .filter(l -> l.startsWith("apiguard_scorer_source_errors_total "))
                .findFirst().orElseThrow().split(" ")[1])).isGreaterThanOrEqualTo(2);
    }

    private static Map<String, EndpointScore> byPath(List<EndpointScore> scores) {
        return scores.stream().collect(Collectors.toMap(EndpointScore::path, Function.identity()));
    }

    private static Map<String, EndpointScore> fetchScores() throws Exception {
        return byPath(ScoresJson.parse(get(scorer.baseUrl() + "/api/v1/scores").getBytes()));
    }

    private static Map<String, EndpointScore> awaitScores(Predicate<Map<String, EndpointScore>> condition) throws Exception {
        Map<String, EndpointScore>[] last = new Map[1];
        await("scores: " + Optional.ofNullable(last[0]), () -> {
            last[0] = fetchScores();
            return condition.test(last[0]);
        });
        return last[0];
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
    }
}
