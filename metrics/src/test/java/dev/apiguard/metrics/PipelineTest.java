package dev.apiguard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;

import dev.apiguard.metrics.InternalErrors.Stage;
import dev.apiguard.model.ConnectionId;
import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;
import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.routes.RoutesConfig;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.ErrorType;
import dev.apiguard.semantics.Verdict;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

/** The one pipeline both sources feed, with a stage that fails: counted, logged, the rest still recorded. */
class PipelineTest {
    private record Conn(int n) implements ConnectionId {
        @Override
        public String describe() {
            return "conn " + n;
        }
    }

    /** Keeps every line logged at WARNING or above, with its exception. */
    static final class CapturingLogger implements System.Logger {
        final List<String> lines = new ArrayList<>();
        final List<Throwable> thrown = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public synchronized void log(Level level, ResourceBundle bundle, String msg, Throwable t) {
            lines.add(level + " " + msg);
            thrown.add(t);
        }

        @Override
        public synchronized void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
            thrown.add(null);
        }
    }

    private static final byte[] DECLINED = "{\"ok\":false,\"error\":\"card_declined\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FINE = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final CapturingLogger log = new CapturingLogger();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final InternalErrors errors = InternalErrors.of(registry, log, now::get);
    private final ApiMetrics metrics = new ApiMetrics(registry);
    private final List<Observation> seen = new ArrayList<>();

    /** The built-in rules, except on /boom, where the classifier has a bug. */
    private final Classifier buggyOnBoom = sample -> {
        if ("/boom".equals(sample.route())) {
            throw new IllegalStateException("classifier bug on " + sample.route());
        }
        return Classifiers.builtIn().classify(sample);
    };

    private Pipeline pipeline(Classifier classifier) {
        return new Pipeline(RouteNormalizer.create(RoutesConfig.defaults()), classifier, metrics, errors, seen::add);
    }

    private static Exchange exchange(Side side, String path, byte[] body) {
        return new Exchange("shop", side, "POST", path, 200, 0, 1_000_000, 10, body.length, "application/json", null,
                body, false, new Conn(1));
    }

    private Map<String, Long> requestsByPath() {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (EndpointTotals t : metrics.endpointTotals()) {
            out.merge(t.side() + " " + t.path(), t.requests(), Long::sum);
        }
        return out;
    }

    private double metric(String name, String labels) {
        String text = new String(MetricsText.render(registry), StandardCharsets.UTF_8);
        String prefix = name + "{" + labels + "} ";
        return text.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElse(Double.NaN);
    }

    @Test
    void aFailingClassifierIsCountedAndLoggedWhileOtherExchangesAreStillRecorded() {
        Pipeline pipeline = pipeline(buggyOnBoom);
        for (int i = 0; i < 3; i++) {
            pipeline.accept(exchange(Side.SERVER, "/boom", DECLINED)); // the agent's way in
        }
        pipeline.accept(exchange(Side.SERVER, "/checkout", DECLINED));
        String route = pipeline.route("shop", "/checkout?id=7"); // the gateway's way in
        Verdict verdict = pipeline.complete(exchange(Side.GATEWAY, "/checkout?id=7", DECLINED), route);

        assertThat(verdict).isInstanceOfSatisfying(Verdict.BusinessError.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.PAYMENT_FAILURE));
        assertThat(errors.count(Stage.CLASSIFY)).isEqualTo(3);
        assertThat(metric("apiguard_internal_errors_total", "stage=\"classify\"")).isEqualTo(3.0);
        assertThat(metric("apiguard_internal_errors_total", "stage=\"route\"")).isEqualTo(0.0);
        // One stack trace for the three errors (rate limited); the next one, 10 s later, says how many were held back.
        assertThat(log.lines).containsExactly(
                "ERROR internal error in stage classify, still serving: java.lang.IllegalStateException: classifier bug on /boom");
        assertThat(log.thrown.getFirst()).isInstanceOf(IllegalStateException.class);
        now.addAndGet(InternalErrors.LOG_INTERVAL.toNanos());
        pipeline.accept(exchange(Side.SERVER, "/boom", FINE));
        assertThat(log.lines).hasSize(2).last().asString()
                .isEqualTo("ERROR internal error in stage classify, still serving (2 more since the last report, counted but"
                        + " not logged): java.lang.IllegalStateException: classifier bug on /boom");
        assertThat(errors.count(Stage.CLASSIFY)).isEqualTo(4);

        // Every exchange was recorded, the failed ones as Ok; both sources' verdicts reached the listener.
        assertThat(requestsByPath()).containsExactly(Map.entry("gateway /checkout", 1L), Map.entry("server /boom", 4L),
                Map.entry("server /checkout", 1L));
        assertThat(seen).hasSize(6);
        assertThat(seen).filteredOn(o -> o.verdict() instanceof Verdict.BusinessError)
                .extracting(o -> o.exchange().side(), Observation::route)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Side.SERVER, "/checkout"),
                        org.assertj.core.groups.Tuple.tuple(Side.GATEWAY, "/checkout"));
        assertThat(seen).filteredOn(o -> o.route().equals("/boom")).extracting(Observation::verdict)
                .containsOnly(new Verdict.Ok(true));
    }

    @Test
    void failingRoutesRecordsAndListenersAreCountedPerStage() {
        RouteNormalizer brokenRoutes = new RouteNormalizer() {
            @Override
            public String route(String service, String rawPath) {
                throw new ArrayIndexOutOfBoundsException("routes bug");
            }

            @Override
            public Map<String, Long> overflowCounts() {
                return Map.of();
            }
        };
        List<Observation> listened = new ArrayList<>();
        Pipeline pipeline = new Pipeline(brokenRoutes, Classifiers.builtIn(), metrics, errors, o -> {
            listened.add(o);
            throw new IllegalArgumentException("listener bug");
        });
        assertThat(pipeline.route("shop", "/a")).isEqualTo(Pipeline.UNROUTED);
        pipeline.accept(exchange(Side.SERVER, "/a", FINE));
        pipeline.recordUnjudged(exchange(Side.GATEWAY, "/a", FINE), "/a");
        assertThat(errors.count(Stage.ROUTE)).isEqualTo(2);
        assertThat(errors.count(Stage.LISTENER)).isEqualTo(2);
        assertThat(listened).extracting(Observation::route).containsExactly(Pipeline.UNROUTED, "/a");
        assertThat(requestsByPath()).containsExactly(Map.entry("gateway /a", 1L), Map.entry("server " + Pipeline.UNROUTED, 1L));
        assertThat(seen).isEmpty();

        // The metrics stage throws (a null route is a caller's bug): the exchange is dropped, counted, and the
        // pipeline goes on.
        Pipeline plain = pipeline(Classifiers.builtIn());
        plain.complete(exchange(Side.GATEWAY, "/b", FINE), null);
        plain.accept(exchange(Side.SERVER, "/b", FINE));
        assertThat(errors.count(Stage.RECORD)).isEqualTo(1);
        assertThat(seen).extracting(Observation::route).containsExactly("/b");
        assertThat(requestsByPath()).containsEntry("server /b", 1L).doesNotContainKey("gateway /b");
        assertThat(log.lines).extracting(l -> l.substring(0, l.indexOf(','))).containsExactly(
                "ERROR internal error in stage route", "ERROR internal error in stage listener",
                "ERROR internal error in stage record");
    }

    @Test
    void badInputIsNotAnInternalError() {
        Classifier classifier = Classifiers.create(dev.apiguard.semantics.SemanticsConfig.empty(),
                errors.reporter(Stage.CLASSIFY));
        assertThat(classifier.classify(new dev.apiguard.semantics.ResponseSample("/a", 200, "application/json", null,
                DECLINED, false))).isInstanceOf(Verdict.BusinessError.class);
        assertThat(errors.count(Stage.CLASSIFY)).isZero(); // bad input is not an internal error
        assertThat(classifier.classify(new dev.apiguard.semantics.ResponseSample("/a", 200, "application/json", null,
                "{\"ok\":fal".getBytes(StandardCharsets.UTF_8), true))).isInstanceOf(Verdict.Ok.class);
        assertThat(errors.count(Stage.CLASSIFY)).isZero();
    }
}
