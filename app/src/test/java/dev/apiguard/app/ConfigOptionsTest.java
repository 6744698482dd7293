package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.apiguard.app.CommandLineValidationTest.Result;
import dev.apiguard.app.config.ApiguardConfig;
import dev.apiguard.config.ConfigException;
import dev.apiguard.config.ConfigNode;
import dev.apiguard.config.Listen;
import dev.apiguard.gateway.GatewayConfig;
import dev.apiguard.gateway.Http2Config;
import dev.apiguard.score.Criticality;
import dev.apiguard.score.RouteRule;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.ResponseSample;
import dev.apiguard.semantics.Severity;
import dev.apiguard.semantics.Verdict;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every option of the config file, one row each: the empty file binds its declared default; a valid
 * value is bound into the record; an invalid one makes the real CLI exit 2 with one line naming the
 * key path. The rows must cover exactly the loader's declared options, so a new option without a row
 * fails here.
 */
class ConfigOptionsTest {
    private static final String BACKEND = "http://127.0.0.1:8080";
    private static final String NOT_FOUND_BODY = "{\"error\":\"no such item\"}";

    /**
     * @param key the dotted key path
     * @param defaultValue what the empty file binds
     * @param valid a valid YAML value and {@code bound}, what it binds
     * @param invalid a YAML value the loader refuses
     * @param declaredAsDefault whether {@code defaultValue} reads as the declared default (false where
     *     the record derives it: a gateway's service, the built-in severities)
     */
    record Row(String key, Function<ApiguardConfig, Object> read, Object defaultValue, String valid, Object bound,
            String invalid, boolean declaredAsDefault) {}

    private static Row row(String key, Function<ApiguardConfig, Object> read, Object defaultValue, String valid, Object bound,
            String invalid) {
        return new Row(key, read, defaultValue, valid, bound, invalid, true);
    }

    private static GatewayConfig proxy(ApiguardConfig c) {
        return c.gateway().proxy().orElseThrow();
    }

    private static Object breaker(ApiguardConfig c, Function<dev.apiguard.gateway.BreakerConfig, Object> f) {
        return f.apply(proxy(c).breaker());
    }

    private static Severity notFoundSeverity(ApiguardConfig c, String route) {
        Verdict v = Classifiers.create(c.semantics()).classify(new ResponseSample(route, 200, "application/json", null,
                NOT_FOUND_BODY.getBytes(StandardCharsets.UTF_8), false));
        return ((Verdict.BusinessError) v).severity();
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        // agent:
        rows.add(row("agent.listen", c -> c.agent().listen(), new Listen("127.0.0.1", 9464), "'[::1]:0'", new Listen("::1", 0), "'::1:0'"));
        rows.add(row("agent.capture.ring-buffer-bytes", c -> c.agent().capture().ringBufferBytes(), 16 << 20, "4096", 4096, "5000"));
        rows.add(row("agent.capture.only-pid", c -> c.agent().capture().onlyPid(), 0, "42", 42, "-1"));
        rows.add(row("agent.capture.only-comm", c -> c.agent().capture().onlyComm(), "", "nginx", "nginx", "averyverylongname"));
        rows.add(row("agent.capture.only-port", c -> c.agent().capture().onlyPort(), 0, "443", 443, "70000"));
        // The namespace's inode: this process's own (a path every node has), 0 for all.
        rows.add(new Row("agent.capture.netns", c -> c.agent().capture().onlyNetns(), 0L, "/proc/self/ns/net", ownNetns(),
                "apiguard-test-no-such-ns", false));
        rows.add(row("agent.capture.tls", c -> c.agent().capture().tls(), false, "true", true, "'on'"));
        rows.add(row("agent.capture.reader-nice", c -> c.agent().readerNice(), -10, "0", 0, "-21"));
        rows.add(row("agent.http.max-connections", c -> c.agent().http().maxConnections(), 65536, "10", 10, "1.9"));
        rows.add(row("agent.http.max-pipelined", c -> c.agent().http().maxPipelinedRequests(), 32, "1", 1, "0"));
        rows.add(row("agent.http.idle-timeout", c -> c.agent().http().lostSyncTimeout(), Duration.ofSeconds(2), "5s",
                Duration.ofSeconds(5), "0s"));
        rows.add(row("agent.services", c -> c.agent().http().serviceNames(), Map.of(), "{python3: shop}", Map.of("python3", "shop"), "[a]"));
        rows.add(row("agent.max-services", c -> c.agent().maxServices(), 200, "5", 5, "0"));
        // routes:
        rows.add(row("routes.templates", c -> c.routes().templates(), List.of(), "['/o/{id}']", List.of("/o/{id}"), "{a: b}"));
        rows.add(row("routes.max-per-service", c -> c.routes().maxRoutesPerService(), 1000, "10", 10, "0"));
        rows.add(row("routes.case-sensitive", c -> c.routes().canonical().caseSensitive(), false, "true", true, "'yes'"));
        rows.add(row("routes.ignored-suffixes", c -> c.routes().canonical().ignoredSuffixes(), List.of(".json", ".xml"), "[.csv]",
                List.of(".csv"), "[json]"));
        // semantics:
        rows.add(row("semantics.rules", c -> c.semantics().ruleNames(), List.of(),
                "[{name: r, when: {pointer: /a, exists: true}, type: validation}]", List.of("r"), "[{name: r}]"));
        rows.add(new Row("semantics.severity.types", c -> notFoundSeverity(c, "/x"), Severity.LOW, "{not_found: high}",
                Severity.HIGH, "{not_found: urgent}", false));
        rows.add(new Row("semantics.severity.routes", c -> notFoundSeverity(c, "/api/x"), Severity.LOW,
                "{'/api/*': {not_found: critical}}", Severity.CRITICAL, "[a]", false));
        rows.add(row("semantics.learning.enabled", c -> c.learning().enabled(), true, "false", false, "'no'"));
        rows.add(row("semantics.learning.min-samples", c -> c.learning().minSamples(), 50, "10", 10, "0"));
        rows.add(row("semantics.learning.dominance", c -> c.learning().dominance(), 0.95, "0.9", 0.9, "0.5"));
        rows.add(row("semantics.learning.max-routes", c -> c.learning().maxRoutes(), 500, "10", 10, "100001"));
        rows.add(row("semantics.learning.max-fields", c -> c.learning().maxFields(), 16, "4", 4, "65"));
        rows.add(row("semantics.learning.max-values", c -> c.learning().maxValues(), 8, "2", 2, "0"));
        // score:
        rows.add(row("score.window", c -> c.score().window(), Duration.ofMinutes(5), "PT10M", Duration.ofMinutes(10), "five"));
        rows.add(row("score.interval", c -> c.score().interval(), Duration.ofSeconds(5), "PT10S", Duration.ofSeconds(10), "PT10M"));
        rows.add(row("score.sides", c -> c.score().sides(), List.of("server", "gateway"), "[server]", List.of("server"), "['server|x']"));
        rows.add(row("score.min-requests", c -> c.score().minRequests(), 20L, "5", 5L, "0"));
        rows.add(row("score.latency-threshold", c -> c.score().latencyThreshold(), Duration.ofMillis(500), "PT1S",
                Duration.ofSeconds(1), "0s"));
        rows.add(row("score.routes", c -> c.score().routes(), List.of(), "[{path: '/a*', criticality: critical, slo: 0.999}]",
                List.of(new RouteRule("/a*", Criticality.CRITICAL, Optional.empty(), OptionalDouble.of(0.999))),
                "[{path: /a, criticality: vital}]"));
        rows.add(row("score.hysteresis", c -> c.score().hysteresis(), 3.0, "5", 5.0, "16"));
        rows.add(row("score.dwell", c -> c.score().dwell(), Duration.ofSeconds(10), "0s", Duration.ZERO, "-1s"));
        rows.add(row("score.stale-ttl", c -> c.score().staleTtl(), Duration.ofMinutes(2), "PT5M", Duration.ofMinutes(5), "x"));
        rows.add(row("score.max-endpoints", c -> c.score().maxEndpoints(), 20000, "100", 100, "0"));
        rows.add(row("score.use-recording-rules", c -> c.score().useRecordingRules(), false, "true", true, "sometimes"));
        rows.add(row("score.query-timeout", c -> c.score().queryTimeout(), Duration.ofSeconds(5), "PT2S", Duration.ofSeconds(2), "1.5s"));
        // gateway: (every row but backend's has a backend, so that the gateway's record is built)
        rows.add(row("gateway.backend", c -> c.gateway().proxy().map(GatewayConfig::backend).orElse(null), null,
                "http://127.0.0.1:9/api", URI.create("http://127.0.0.1:9/api"), "ftp://x"));
        rows.add(row("gateway.listen", c -> new Listen(proxy(c).listenHost(), proxy(c).listenPort()), new Listen("127.0.0.1", 8081),
                "':8082'", new Listen("127.0.0.1", 8082), "'::1:80'"));
        rows.add(row("gateway.admin-listen", c -> proxy(c).adminPort() < 0 ? "off" : new Listen(proxy(c).adminHost(), proxy(c).adminPort()),
                new Listen("127.0.0.1", 9466), "'off'", "off", "'host:x'"));
        rows.add(row("gateway.scores", c -> c.gateway().scores().orElse(null), null, "http://127.0.0.1:9465",
                URI.create("http://127.0.0.1:9465"), "'127.0.0.1:9465'"));
        rows.add(new Row("gateway.service", c -> proxy(c).service(), "127.0.0.1:8080", "shop", "shop", "[a]", false));
        rows.add(row("gateway.score-service", c -> proxy(c).scoreService(), null, "shop", "shop", "{a: b}"));
        rows.add(row("gateway.connect-timeout", c -> proxy(c).connectTimeout(), Duration.ofSeconds(1), "PT2S", Duration.ofSeconds(2), "0s"));
        rows.add(row("gateway.response-timeout", c -> proxy(c).responseTimeout(), Duration.ofSeconds(30), "5s", Duration.ofSeconds(5), "x"));
        rows.add(row("gateway.client-idle-timeout", c -> proxy(c).clientIdleTimeout(), Duration.ofSeconds(60), "PT1S",
                Duration.ofSeconds(1), "-5s"));
        rows.add(row("gateway.drain-timeout", c -> proxy(c).drainTimeout(), Duration.ofSeconds(10), "PT1S", Duration.ofSeconds(1), "P366D"));
        rows.add(row("gateway.score-refresh", c -> proxy(c).scoreRefresh(), Duration.ofSeconds(1), "250ms", Duration.ofMillis(250), "0ms"));
        rows.add(row("gateway.max-request-line", c -> proxy(c).maxRequestLine(), 8192, "1024", 1024, "10"));
        rows.add(row("gateway.max-header-size", c -> proxy(c).maxHeaderSize(), 16384, "1024", 1024, "100"));
        rows.add(row("gateway.max-body-bytes", c -> proxy(c).maxBodyBytes(), 100L << 20, "0", 0L, "-1"));
        rows.add(row("gateway.max-connections", c -> proxy(c).maxConnections(), 512, "8", 8, "1.9"));
        rows.add(row("gateway.max-pool-waiters", c -> proxy(c).maxPoolWaiters(), 4096, "0", 0, "-1"));
        rows.add(row("gateway.io-threads", c -> proxy(c).ioThreads(), 0, "2", 2, "2000"));
        rows.add(row("gateway.native-transport", c -> proxy(c).nativeTransport(), true, "false", false, "maybe"));
        rows.add(row("gateway.request-buffer-bytes", c -> proxy(c).requestBufferBytes(), 65536L, "0", 0L, "-1"));
        rows.add(row("gateway.client-header-timeout", c -> proxy(c).clientHeaderTimeout(), Duration.ofSeconds(10), "PT1S",
                Duration.ofSeconds(1), "0s"));
        rows.add(row("gateway.client-body-timeout", c -> proxy(c).clientBodyTimeout(), Duration.ofSeconds(10), "PT2S",
                Duration.ofSeconds(2), "soon"));
        rows.add(row("gateway.client-body-min-rate", c -> proxy(c).clientBodyMinRate(), 500L, "0", 0L, "-1"));
        // 0 binds as half of max-connections (512 / 2).
        rows.add(new Row("gateway.max-connections-per-route", c -> proxy(c).maxConnectionsPerRoute(), 256, "10", 10, "1.5", false));
        rows.add(row("gateway.retry-idempotent", c -> proxy(c).retryIdempotent(), true, "false", false, "1"));
        rows.add(new Row("gateway.path-policy", c -> proxy(c).pathPolicy(), GatewayConfig.PathPolicy.NORMALIZE, "refuse",
                GatewayConfig.PathPolicy.REFUSE, "rewrite", false));
        rows.add(row("gateway.trusted-proxies", c -> proxy(c).trustedProxies(), List.of(), "['10.0.0.0/8', '::1']",
                List.of("10.0.0.0/8", "::1"), "[lb.example]"));
        rows.add(row("gateway.fairness.enabled", c -> proxy(c).fairness().enabled(), true, "false", false, "maybe"));
        rows.add(row("gateway.fairness.max-culprit-share", c -> proxy(c).fairness().maxCulpritShare(), 0.2, "0.5", 0.5, "0.9"));
        rows.add(row("gateway.fairness.min-clients", c -> proxy(c).fairness().minClients(), 3, "2", 2, "1"));
        rows.add(row("gateway.fairness.max-clients-per-route", c -> proxy(c).fairness().maxClientsPerRoute(), 64, "1000", 1000, "2"));
        rows.add(new Row("gateway.backend-protocol", c -> proxy(c).http2().backendProtocol(), Http2Config.BackendProtocol.HTTP1,
                "h2c", Http2Config.BackendProtocol.H2C, "h3", false));
        rows.add(row("gateway.http2.max-concurrent-streams", c -> proxy(c).http2().maxConcurrentStreams(), 100, "50", 50, "0"));
        rows.add(row("gateway.http2.max-resets-per-second", c -> proxy(c).http2().maxResetsPerSecond(), 200, "20", 20, "2.5"));
        rows.add(row("gateway.grpc.business-codes-trip", c -> proxy(c).http2().grpcBusinessCodesTrip(), true, "false", false, "0"));
        // admin:
        rows.add(row("admin.token-file", c -> c.admin().tokenFile(), null, "/srv/apiguard/token", Path.of("/srv/apiguard/token"), "[a]"));
        rows.add(row("admin.allowed-hosts", c -> c.admin().allowedHosts(), List.of(), "[gw1.internal, 'gw1.internal:443']",
                List.of("gw1.internal", "gw1.internal:443"), "['*.example']"));
        rows.add(row("gateway.breaker.trip-score", c -> breaker(c, b -> b.tripScore()), 70.0, "60", 60.0, "101"));
        rows.add(row("gateway.breaker.close-score", c -> breaker(c, b -> b.closeScore()), 85.0, "90", 90.0, "50"));
        rows.add(row("gateway.breaker.score-dwell", c -> breaker(c, b -> b.scoreDwell()), Duration.ofSeconds(5), "0s", Duration.ZERO, "-1s"));
        rows.add(row("gateway.breaker.score-max-age", c -> breaker(c, b -> b.scoreMaxAge()), Duration.ofSeconds(60), "PT2M",
                Duration.ofMinutes(2), "0s"));
        rows.add(row("gateway.breaker.window", c -> breaker(c, b -> b.window()), Duration.ofSeconds(30), "PT1M", Duration.ofMinutes(1), "5ms"));
        rows.add(row("gateway.breaker.min-calls", c -> breaker(c, b -> b.minCalls()), 20, "5", 5, "0"));
        rows.add(row("gateway.breaker.failure-ratio", c -> breaker(c, b -> b.failureRatio()), 0.5, "0.9", 0.9, "0"));
        rows.add(row("gateway.breaker.open-base", c -> breaker(c, b -> b.openBase()), Duration.ofSeconds(5), "PT1S", Duration.ofSeconds(1), "0s"));
        rows.add(row("gateway.breaker.open-multiplier", c -> breaker(c, b -> b.openMultiplier()), 2.0, "1.5", 1.5, "0.5"));
        rows.add(row("gateway.breaker.open-max", c -> breaker(c, b -> b.openMax()), Duration.ofSeconds(60), "PT2M", Duration.ofMinutes(2), "PT1S"));
        rows.add(row("gateway.breaker.jitter", c -> breaker(c, b -> b.jitter()), 0.1, "0", 0.0, "1"));
        rows.add(row("gateway.breaker.half-open-probes", c -> breaker(c, b -> b.halfOpenProbes()), 3, "1", 1, "0"));
        rows.add(row("gateway.breaker.max-breakers", c -> breaker(c, b -> b.maxBreakers()), 2000, "10", 10, "0"));
        rows.add(row("gateway.breaker.max-open-share", c -> breaker(c, b -> b.maxOpenShare()), 1.0, "0.5", 0.5, "0"));
        return rows;
    }

    private static long ownNetns() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(); // net:[INODE]
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The file with {@code key: value} (YAML) nested under its sections, plus a backend for gateway keys. */
    static String yaml(String key, String value) {
        String[] parts = key.split("\\.");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            text.append("  ".repeat(i)).append(parts[i]).append(':');
            if (i == 0 && parts[0].equals("gateway") && !key.equals("gateway.backend")) {
                text.append("\n  backend: ").append(BACKEND);
            }
            text.append(i == parts.length - 1 ? " " + value + "\n" : "\n");
        }
        return text.toString();
    }

    /** The file of a row without the option: empty, but for the gateway's backend. */
    static String base(Row row) {
        return row.key().startsWith("gateway.") && !row.key().equals("gateway.backend") ? "gateway:\n  backend: " + BACKEND + "\n" : "";
    }

    private static ApiguardConfig bind(String yaml) {
        return ApiguardConfig.bind(ConfigNode.parse(yaml, "test.yaml"));
    }

    @Test
    void theRowsCoverExactlyTheDeclaredOptions() {
        Set<String> keys = new HashSet<>();
        rows().forEach(r -> assertThat(keys.add(r.key())).as("two rows for " + r.key()).isTrue());
        assertThat(keys).containsExactlyInAnyOrderElementsOf(ApiguardConfig.declaredOptions().keySet());
    }

    @TestFactory
    Stream<DynamicTest> anEmptyFileBindsTheDeclaredDefault() {
        Map<String, String> declared = ApiguardConfig.declaredOptions();
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.key(), () -> {
            assertThat(row.read().apply(bind(base(row)))).isEqualTo(row.defaultValue());
            if (row.declaredAsDefault()) {
                assertThat(ConfigNode.render(row.defaultValue())).isEqualTo(declared.get(row.key()));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> aValidValueIsBound() {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.key() + ": " + row.valid(),
                () -> assertThat(row.read().apply(bind(yaml(row.key(), row.valid())))).isEqualTo(row.bound())));
    }

    @TestFactory
    Stream<DynamicTest> anInvalidValueExitsTwoNamingTheKeyPath(@TempDir Path dir) {
        Set<String> sectionsInOwnJvm = new HashSet<>();
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.key() + ": " + row.invalid(), () -> {
            String text = yaml(row.key(), row.invalid());
            // First the loader alone: were the value accepted, the command below would start.
            assertThatThrownBy(() -> bind(text)).isInstanceOf(ConfigException.class);
            Path file = Files.writeString(dir.resolve(row.key() + ".yaml"), text);
            String section = row.key().substring(0, row.key().indexOf('.'));
            List<String> argv = switch (section) {
                case "score" -> List.of("scorer", "--prometheus", "http://127.0.0.1:1", "--listen", "127.0.0.1:0");
                case "gateway", "admin" -> List.of("gateway");
                default -> List.of("agent", "--duration", "1s");
            };
            List<String> args = new ArrayList<>(argv.subList(1, argv.size()));
            args.addAll(List.of("--config", file.toString()));
            // One option per section through the real CLI in its own JVM, the others through Main in this one.
            Result r = sectionsInOwnJvm.add(section) ? CommandLineValidationTest.cli(argv.getFirst(), args)
                    : CommandLineValidationTest.inProcess(argv.getFirst(), args);
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.err().lines().toList()).as("one line").hasSize(1);
            assertThat(r.err()).startsWith("apiguard " + argv.getFirst() + ": config error: " + row.key())
                    .doesNotContain("Exception", "\tat ");
        }));
    }
}
