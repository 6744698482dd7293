package dev.apiguard.app;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.Command;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.app.config.AdminConfig;
import dev.apiguard.app.config.ApiguardConfig;
import dev.apiguard.config.ConfigException;
import dev.apiguard.config.ConfigNode;
import dev.apiguard.config.Listen;
import dev.apiguard.gateway.Gateway;
import dev.apiguard.gateway.GatewayConfig;
import dev.apiguard.metrics.AdminToken;
import dev.apiguard.score.RemoteScoreSource;
import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.metrics.InternalErrors;
import dev.apiguard.metrics.Pipeline;
import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.routes.RoutesConfig;
import dev.apiguard.score.ScoreSource;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.VerdictLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** {@code ./apiguard gateway}: the reverse proxy with a circuit breaker per route. */
final class GatewayCommand implements Command {

    /**
     * Binds {@code --scores URL} to a score source. The default is the score stage's remote client.
     */
    /** How long a silent scorer's last scores are kept (stale, so they never trip) before they are dropped. */
    static final Duration STALE_TTL = Duration.ofMinutes(2);

    interface RemoteScores {
        ScoreSource open(URI url, Duration refresh, Clock clock);
    }

    private static final Set<String> VALUED = Set.of("backend", "listen", "admin-listen", "scores", "config", "service",
            "connect-timeout", "response-timeout");
    private static final Set<String> FLAGS = Set.of("no-admin");

    private final RemoteScores remoteScores;
    private final Consumer<Gateway> onStarted;

    GatewayCommand() {
        this((url, refresh, clock) -> RemoteScoreSource.start(url, refresh, Duration.ofSeconds(2), STALE_TTL, clock), g -> {});
    }

    GatewayCommand(RemoteScores remoteScores, Consumer<Gateway> onStarted) {
        this.remoteScores = remoteScores;
        this.onStarted = onStarted;
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public String summary() {
        return "reverse proxy with a circuit breaker per route";
    }

    @Override
    public String help() {
        return """
                usage: ./apiguard gateway --backend URL [options]

                An HTTP/1.1 reverse proxy to one backend with a circuit breaker per route. A route's
                breaker opens on its own observations (5xx, timeouts, connect failures and business
                errors found in the first KiB of each response) or on a low health score, answers
                503 + Retry-After while open, and closes again through half-open probes.

                options:
                  --backend URL            backend to proxy to, http://host:port[/base] (required here or as gateway.backend)
                  --listen HOST:PORT       proxy address (default %s)
                  --admin-listen HOST:PORT admin API: /metrics, /api/v1/breakers (default %s)
                  --no-admin               no admin API (gateway.admin-listen: off)
                  --scores URL             a scorer (./apiguard scorer) whose scores drive the breakers,
                                           e.g. http://127.0.0.1:9465; without it only observations do.
                                           Unreachable or stale scores never trip anything (fail open)
                  --service NAME           service label of the proxied exchanges (default backend host:port)
                  --connect-timeout D      upstream connect timeout, 502 on failure (default %s)
                  --response-timeout D     longest wait for backend progress, 504 on expiry (default %s)
                  --config FILE            the YAML config (docs/configuration.md): this command uses its
                                           gateway:, routes:, semantics: and admin: sections and checks the others.
                                           Each flag overrides the gateway.* key of its name.

                durations: ISO-8601 (PT30S) or 30s, 5m, 250ms. HOST:PORT: HOST:PORT, [IPv6]:PORT, or :PORT / PORT for 127.0.0.1.

                admin API:
                  GET  /api/v1/breakers                            every breaker: state, reason, window
                  POST /api/v1/breakers/{route}/force-open         route URL-encoded (%%2Fusers%%2F%%7Bid%%7D),
                  POST /api/v1/breakers/{route}/disable            or POST /api/v1/breakers/reset?route=/users/{id}
                  POST /api/v1/breakers/{route}/reset
                  A POST needs the admin token and a JSON body:
                    curl -X POST -H "Authorization: Bearer $(cat TOKEN_FILE)" -H 'Content-Type: application/json' \
                         -d '{}' http://127.0.0.1:9466/api/v1/breakers/%%2Fcheckout/force-open
                  The token is generated at first start into $XDG_STATE_HOME/apiguard/admin-token, else
                  /var/lib/apiguard/admin-token (root) or ~/.local/state/apiguard/admin-token (mode 0600),
                  or set it with APIGUARD_ADMIN_TOKEN (or admin.token-file in --config). Requests with another
                  Host or Origin get 403.

                gateway: keys and their defaults:
                %s

                examples:
                  ./apiguard gateway --backend http://127.0.0.1:8080
                  ./apiguard gateway --backend http://127.0.0.1:8080 --scores http://127.0.0.1:9465 --listen 0.0.0.0:8081
                """.formatted(new Listen(GatewayConfig.DEFAULTS.listenHost(), GatewayConfig.DEFAULTS.listenPort()),
                new Listen(GatewayConfig.DEFAULTS.adminHost(), GatewayConfig.DEFAULTS.adminPort()),
                GatewayConfig.DEFAULTS.connectTimeout(), GatewayConfig.DEFAULTS.responseTimeout(), keys("gateway."));
    }

    /** The declared keys under {@code prefix} with their defaults, one per line, for help texts. */
    static String keys(String prefix) {
        StringBuilder text = new StringBuilder();
        ApiguardConfig.declaredOptions().forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                text.append(text.isEmpty() ? "" : "\n").append(String.format("  %-32s %s", key.substring(prefix.length()), value));
            }
        });
        return text.toString();
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, VALUED, FLAGS);
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positional().getFirst() + "' (see --help)");
        }
        Settings settings = Settings.load(args);
        AdminToken adminToken;
        try {
            adminToken = settings.config.adminPort() < 0 ? AdminToken.ephemeral() : settings.admin.token();
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
        Gateway gateway;
        ScoreSource scores = settings.scores == null ? List::of
                : remoteScores.open(settings.scores, settings.config.scoreRefresh(), Clock.systemUTC());
        try {
            gateway = Gateway.start(settings.config, settings.pipeline(new PrometheusRegistry()), scores, Clock.systemUTC(),
                    adminToken, settings.admin.allowedHosts());
        } catch (IOException e) {
            closeQuietly(scores);
            System.err.println("apiguard gateway: " + e.getMessage()
                    + " (is another process using the port? choose another with --listen / --admin-listen)");
            return 2;
        }
        GatewayConfig c = gateway.config();
        System.err.println("apiguard gateway: proxying http://" + c.listenHost() + ":" + gateway.port() + " -> "
                + c.backend() + (gateway.adminPort() < 0 ? "" : "; admin http://" + c.adminHost() + ":" + gateway.adminPort()
                + "/api/v1/breakers, admin token (Authorization: Bearer) in " + adminToken.where())
                + (settings.scores == null ? "" : "; scores from " + settings.scores));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            gateway.close();
            closeQuietly(scores);
            stopped.countDown();
        }, "apiguard-gateway-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        onStarted.accept(gateway);
        stopped.await();
        return 0;
    }

    private static void closeQuietly(ScoreSource scores) {
        if (scores instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }
    }

    /** The config file merged with the flags (flags win), checked. */
    record Settings(GatewayConfig config, RoutesConfig routes, URI scores, SemanticsConfig semantics, AdminConfig admin) {
        /** Each flag and the key it overrides. */
        private static final Map<String, String> FLAG_KEYS = Map.of("backend", "gateway.backend", "listen", "gateway.listen",
                "admin-listen", "gateway.admin-listen", "scores", "gateway.scores", "service", "gateway.service",
                "connect-timeout", "gateway.connect-timeout", "response-timeout", "gateway.response-timeout");

        /** The classifier of the {@code semantics:} section; its internal errors are logged. */
        Classifier classifier() {
            return Classifiers.create(semantics);
        }

        /**
         * The pipeline the gateway feeds, publishing into {@code registry}: the same stages as the
         * agent's, with the verdict log as its listener and internal errors counted.
         */
        Pipeline pipeline(PrometheusRegistry registry) {
            InternalErrors errors = InternalErrors.of(registry);
            VerdictLog verdictLog = VerdictLog.create(Clock.systemUTC());
            return new Pipeline(RouteNormalizer.create(routes),
                    Classifiers.create(semantics, errors.reporter(InternalErrors.Stage.CLASSIFY)), new ApiMetrics(registry),
                    errors, observation -> verdictLog.record(observation.exchange().service(), observation.route(),
                            observation.verdict()));
        }

        static Settings load(Args args) throws UsageException {
            ConfigNode file = args.has("config") ? ConfigNode.load(Path.of(args.get("config"))) : ConfigNode.empty();
            // Flags are checked here so that their errors name the flag; then they win over the file.
            Map<String, Object> flags = new LinkedHashMap<>();
            for (String flag : List.of("connect-timeout", "response-timeout")) {
                Duration d = args.getDuration(flag, null);
                if (d != null) {
                    flags.put(FLAG_KEYS.get(flag), d.toString());
                }
            }
            for (String flag : List.of("listen", "admin-listen")) {
                Listen l = args.getListenAddress(flag, null);
                if (l != null) {
                    flags.put(FLAG_KEYS.get(flag), l.toString());
                }
            }
            if (args.has("no-admin")) {
                flags.put("gateway.admin-listen", "off");
            }
            if (args.has("backend")) {
                flags.put("gateway.backend", RunCommand.backend(args.get("backend")).toString());
            }
            if (args.has("scores")) {
                flags.put("gateway.scores", RunCommand.httpUrl("scores", args.get("scores")).toString());
            }
            if (args.has("service")) {
                flags.put("gateway.service", args.get("service"));
            }
            ApiguardConfig config = ApiguardConfig.bind(file.withValues(flags));
            GatewayConfig proxy = config.gateway().proxy().orElseThrow(() -> new UsageException(
                    "--backend URL is required (or gateway.backend in --config), e.g. --backend http://127.0.0.1:8080"));
            URI scores = config.gateway().scores().map(Settings::scoresUrl).orElse(null);
            return new Settings(proxy, config.routes(), scores, config.semantics(), config.admin());
        }

        /** A scorer's base URL gets the contract path. */
        private static URI scoresUrl(URI u) {
            String path = u.getPath() == null ? "" : u.getPath();
            return path.isEmpty() || path.equals("/") ? u.resolve("/api/v1/scores") : u;
        }
    }
}
