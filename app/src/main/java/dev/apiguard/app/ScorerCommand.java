package dev.apiguard.app;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.Command;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.app.config.ApiguardConfig;
import dev.apiguard.config.ConfigException;
import dev.apiguard.config.ConfigNode;
import dev.apiguard.config.Listen;
import dev.apiguard.metrics.AdminHttpServer;
import dev.apiguard.metrics.AdminHttpServer.Response;
import dev.apiguard.metrics.MetricsText;
import dev.apiguard.score.PushgatewayPublisher;
import dev.apiguard.score.ScoreConfig;
import dev.apiguard.score.Scorer;
import dev.apiguard.score.ScoresJson;
import dev.apiguard.score.WindowSources;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** {@code ./apiguard scorer}: health scores from Prometheus, served on /metrics and /api/v1/scores. */
final class ScorerCommand implements Command {
    static final Listen DEFAULT_LISTEN = new Listen(Listen.LOOPBACK, 9465);
    private static final Set<String> VALUED = Set.of("prometheus", "listen", "window", "interval", "config", "pushgateway");

    /** What the command line asks for. */
    record Options(URI prometheus, String host, int port, ScoreConfig config, Optional<URI> pushgateway) {}

    @Override
    public String name() {
        return "scorer";
    }

    @Override
    public String summary() {
        return "0-100 health score per endpoint from Prometheus or the agent's in-process metrics";
    }

    @Override
    public String help() {
        ScoreConfig d = ScoreConfig.defaults();
        return """
                usage: ./apiguard scorer --prometheus URL [--listen HOST:PORT] [--window DURATION]
                                         [--interval DURATION] [--config FILE] [--pushgateway URL]

                %s.
                Queries Prometheus (PromQL over its HTTP API) every interval and serves
                  /metrics          api_endpoint_health_score{service,path}, api_endpoint_health_penalty{service,path,component},
                                    apiguard_scorer_*
                  /api/v1/scores    JSON: score, state, components, window, staleness per endpoint
                Embedded scoring (no Prometheus) runs inside ./apiguard run.

                options:
                  --prometheus URL     Prometheus base URL, e.g. http://127.0.0.1:9090 (required)
                  --listen HOST:PORT   where to serve (default %s)
                  --window DURATION    traffic span of each score (default %s); overrides score.window
                  --interval DURATION  time between evaluations (default %s); overrides score.interval
                  --config FILE        the YAML config (docs/configuration.md); this command uses its score:
                                       section (the keys below) and checks the others; command-line options win
                  --pushgateway URL    also PUT the metrics to URL/metrics/job/apiguard after each evaluation (default: off)

                score: keys (defaults): window (%s), interval (%s), sides ([server, gateway]),
                  min-requests (%d: fewer requests in the window is 'unknown'), latency-threshold (%s),
                  hysteresis (%s points), dwell (%s), stale-ttl (%s: how long scores outlive a failing Prometheus),
                  max-endpoints (%d), query-timeout (%s),
                  routes: list of {path: /checkout*, criticality: critical|high|normal|low, latency-threshold, slo: 0.999}
                Durations are ISO-8601 (PT30S) or 30s, 5m, 250ms.

                example:
                  ./apiguard scorer --prometheus http://127.0.0.1:9090 --window 5m --config apiguard.yaml
                """.formatted(summary(), DEFAULT_LISTEN, d.window(), d.interval(), d.window(), d.interval(),
                d.minRequests(), d.latencyThreshold(), fmt(d.hysteresis()), d.dwell(), d.staleTtl(), d.maxEndpoints(),
                d.queryTimeout());
    }

    @Override
    public int run(List<String> args) throws UsageException, InterruptedException {
        Options options = parse(args);
        Running running = start(options, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "apiguard-scorer-shutdown"));
        PrintStream out = System.out;
        out.println("apiguard scorer: scoring from " + options.prometheus() + " every " + options.config().interval()
                + " over " + options.config().window() + "; serving " + running.baseUrl() + "/metrics and /api/v1/scores"
                + options.pushgateway().map(p -> "; pushing to " + p).orElse(""));
        stopped.await();
        return 0;
    }

    static Options parse(List<String> argv) throws UsageException {
        Args args = Args.parse(argv, VALUED, Set.of());
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positional().getFirst() + "' (see --help)");
        }
        if (!args.has("prometheus")) {
            throw new UsageException("--prometheus URL is required: this command scores from Prometheus "
                    + "(embedded scoring runs in ./apiguard run)");
        }
        URI prometheus = httpUrl(args.get("prometheus"), "--prometheus");
        Optional<URI> pushgateway = args.has("pushgateway")
                ? Optional.of(httpUrl(args.get("pushgateway"), "--pushgateway"))
                : Optional.empty();
        Listen listen = args.getListenAddress("listen", DEFAULT_LISTEN);
        String host = listen.host();
        int port = listen.port();
        // The whole file is bound (every section checked); the scorer uses its score: section. Flags win.
        ConfigNode file = args.has("config") ? ConfigNode.load(Path.of(args.get("config"))) : ConfigNode.empty();
        Map<String, Object> flags = new java.util.LinkedHashMap<>();
        Duration window = args.getDuration("window", null);
        Duration interval = args.getDuration("interval", null);
        if (window != null) {
            flags.put("score.window", window.toString());
        }
        if (interval != null) {
            flags.put("score.interval", interval.toString());
        }
        ScoreConfig config = ApiguardConfig.bind(file.withValues(flags)).score();
        try {
            // Only the Prometheus source reads recorded series, for the window and sides they were recorded for.
            WindowSources.checkPrometheusConfig(config);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("score.use-recording-rules", e.getMessage().replaceFirst("^use-recording-rules ", ""));
        }
        return new Options(prometheus, host, port, config, pushgateway);
    }

    private static URI httpUrl(String text, String option) throws UsageException {
        try {
            URI uri = new URI(text);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UsageException(option + " must be an http URL like http://127.0.0.1:9090, got '" + text + "'");
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** A started scorer: the evaluation loop, the HTTP server and the optional push. */
    static final class Running implements AutoCloseable {
        final Scorer scorer;
        final PrometheusRegistry registry;
        private final AdminHttpServer server;
        private final ScheduledExecutorService scheduler;

        private Running(Scorer scorer, PrometheusRegistry registry, AdminHttpServer server, ScheduledExecutorService scheduler) {
            this.scorer = scorer;
            this.registry = registry;
            this.server = server;
            this.scheduler = scheduler;
        }

        String baseUrl() {
            return server.baseUrl();
        }

        @Override
        public void close() {
            scheduler.shutdownNow();
            server.close();
            scorer.close();
        }
    }

    /**
     * Binds, then evaluates every interval (first evaluation at once).
     *
     * @throws UsageException when the address cannot be bound
     */
    static Running start(Options options, Clock clock) throws UsageException {
        ScoreConfig config = options.config();
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.queryTimeout()).build();
        PrometheusRegistry registry = new PrometheusRegistry();
        Scorer scorer = new Scorer(WindowSources.prometheus(options.prometheus(), config, http), config, clock, registry);
        Optional<PushgatewayPublisher> push = options.pushgateway()
                .map(url -> new PushgatewayPublisher(url, http, config.queryTimeout(), registry));
        AdminHttpServer server;
        try {
            server = AdminHttpServer.start(options.host(), options.port(), Map.of(
                    "/metrics", r -> new Response(200, MetricsText.CONTENT_TYPE, MetricsText.render(registry)),
                    "/api/v1/scores", r -> new Response(200, ScoresJson.CONTENT_TYPE,
                            ScoresJson.render(scorer.scores(), scorer.sourceName(), clock.instant()))));
        } catch (IOException e) {
            scorer.close();
            throw new UsageException(e.getMessage() + "; choose another with --listen HOST:PORT");
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apiguard-scorer");
            t.setDaemon(true);
            return t;
        });
        Runnable evaluation = () -> {
            try {
                scorer.evaluate();
                push.ifPresent(p -> p.push(registry));
            } catch (RuntimeException e) {
                // Never let one bad evaluation end the schedule.
                System.err.println("apiguard scorer: evaluation failed: " + e);
            }
        };
        scheduler.scheduleAtFixedRate(evaluation, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
        return new Running(scorer, registry, server, scheduler);
    }

}
