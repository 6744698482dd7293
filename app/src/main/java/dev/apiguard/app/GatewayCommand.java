package dev.apiguard.app;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.Command;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.app.config.ConfigException;
import dev.apiguard.gateway.BreakerConfig;
import dev.apiguard.gateway.FairnessConfig;
import dev.apiguard.gateway.Gateway;
import dev.apiguard.gateway.GatewayConfig;
import dev.apiguard.metrics.AdminToken;
import dev.apiguard.score.RemoteScoreSource;
import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.routes.CanonicalPath;
import dev.apiguard.metrics.InternalErrors;
import dev.apiguard.metrics.Pipeline;
import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.routes.RoutesConfig;
import dev.apiguard.score.ScoreSource;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.SemanticsConfigException;
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
                  --backend URL            backend to proxy to, http://host:port[/base] (required)
                  --listen HOST:PORT       proxy address (default 127.0.0.1:8081)
                  --admin-listen HOST:PORT admin API: /metrics, /api/v1/breakers (default 127.0.0.1:9466)
                  --no-admin               no admin API
                  --scores URL             a scorer (./apiguard scorer) whose scores drive the breakers,
                                           e.g. http://127.0.0.1:9465; without it only observations do.
                                           Unreachable or stale scores never trip anything (fail open)
                  --service NAME           service label of the proxied exchanges (default backend host:port)
                  --connect-timeout D      upstream connect timeout, 502 on failure (default PT1S)
                  --response-timeout D     longest wait for backend progress, 504 on expiry (default PT30S)
                  --config FILE            YAML with any of the options above and more; flags win

                durations: ISO-8601 (PT30S) or 30s, 5m, 250ms.

                admin API:
                  GET  /api/v1/breakers                            every breaker: state, reason, window
                  POST /api/v1/breakers/{route}/force-open         route URL-encoded (%2Fusers%2F%7Bid%7D),
                  POST /api/v1/breakers/{route}/disable            or POST /api/v1/breakers/reset?route=/users/{id}
                  POST /api/v1/breakers/{route}/reset
                  A POST needs the admin token and a JSON body:
                    curl -X POST -H "Authorization: Bearer $(cat TOKEN_FILE)" -H 'Content-Type: application/json' \
                         -d '{}' http://127.0.0.1:9466/api/v1/breakers/%2Fcheckout/force-open
                  The token is generated at first start into $XDG_STATE_HOME/apiguard/admin-token, else
                  /var/lib/apiguard/admin-token (root) or ~/.local/state/apiguard/admin-token (mode 0600),
                  or set it with APIGUARD_ADMIN_TOKEN. Requests with another Host or Origin get 403.

                config file (all keys optional; defaults shown):
                  backend: http://127.0.0.1:8080
                  listen: 127.0.0.1:8081
                  admin-listen: 127.0.0.1:9466      # "off" for none
                  admin:
                    token-file: ~/.local/state/apiguard/admin-token   # see admin API above
                    allowed-hosts: []               # further Host names of the admin port, e.g. [gw1.internal]
                  scores: http://127.0.0.1:9465
                  service: shop
                  score-service: shop               # only this service's scores count (default: any)
                  connect-timeout: PT1S
                  response-timeout: PT30S
                  client-idle-timeout: PT60S
                  drain-timeout: PT10S              # graceful shutdown waits this long for in-flight requests
                  score-refresh: PT1S
                  max-request-line: 8192            # longer: 414
                  max-header-size: 16384            # larger: 431
                  max-body-bytes: 104857600         # larger: 413
                  max-connections: 512              # upstream pool
                  max-pool-waiters: 4096            # more waiting requests are shed with 503
                  max-connections-per-route: 0      # one route's share of the pool; 0: half of max-connections
                  request-buffer-bytes: 65536       # body bytes buffered before an upstream connection is taken
                  client-header-timeout: PT10S      # first byte to complete head, else 408 and close
                  client-body-timeout: PT10S        # longest pause in a body, and the min-rate window; 408
                  client-body-min-rate: 500         # bytes/s a body must average per window; 0: none
                  retry-idempotent: true            # resend GET/HEAD/OPTIONS/PUT/DELETE once on a dead pooled connection
                  io-threads: 0                     # 0: one per core
                  native-transport: true            # epoll when available, else NIO
                  path-policy: normalize            # forward the canonical path; refuse: 400 to other spellings
                  routes:
                    templates: []                   # e.g. /api/v1/orders/{order}/items
                    max-per-service: 1000
                    case-sensitive: false           # false: /API/Checkout and /api/checkout share one route
                    ignored-suffixes: [.json, .xml] # /checkout.json shares the route of /checkout
                  breaker:
                    trip-score: 70                  # a score below this for score-dwell trips
                    close-score: 85                 # half-open closes only at or above this (hysteresis)
                    score-dwell: PT5S
                    score-max-age: PT60S            # older scores are stale and ignored
                    window: PT30S                   # sliding window of observations
                    min-calls: 20
                    failure-ratio: 0.5
                    open-base: PT5S                 # open time: base x multiplier^(trips-1), capped, jittered
                    open-multiplier: 2
                    open-max: PT60S
                    jitter: 0.1
                    half-open-probes: 3
                    max-breakers: 2000
                    max-open-share: 1.0             # < 1 caps the share of routes open at once
                  trusted-proxies: []               # addresses/CIDRs whose X-Forwarded-For names the client
                  fairness:                         # a few clients' failures shed them (429), not the route
                    enabled: true
                    max-culprit-share: 0.2          # of the window's distinct clients (at least one)
                    min-clients: 3                  # fewer distinct clients: the route trips as before
                    max-clients-per-route: 64       # tracked clients; overflow counted
                or the shared file (the one `run` and `agent` read): these keys under `gateway:`,
                beside `routes:` and `semantics:` (user classification rules, docs/configuration.md),
                so the gateway judges bodies with the same rules as the agent.

                examples:
                  ./apiguard gateway --backend http://127.0.0.1:8080
                  ./apiguard gateway --backend http://127.0.0.1:8080 --scores http://127.0.0.1:9465 --listen 0.0.0.0:8081
                """;
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
        private static final Set<String> TOP = Set.of("backend", "listen", "admin-listen", "scores", "service",
                "score-service", "connect-timeout", "response-timeout", "client-idle-timeout", "drain-timeout",
                "score-refresh", "max-request-line", "max-header-size", "max-body-bytes", "max-connections",
                "max-pool-waiters", "io-threads", "native-transport", "routes", "breaker",
                "request-buffer-bytes", "client-header-timeout", "client-body-timeout", "client-body-min-rate",
                "max-connections-per-route", "retry-idempotent", "trusted-proxies", "fairness", "admin", "path-policy");

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
            Map<String, String> file = new LinkedHashMap<>();
            List<String> templates = new ArrayList<>();
            SemanticsConfig semantics = SemanticsConfig.empty();
            if (args.has("config")) {
                Path path = Path.of(args.get("config"));
                semantics = semantics(path, readConfig(path, file, templates));
            }
            // The command line's durations are checked here (positive, bounded); ports by HostPort below.
            args.getDuration("connect-timeout", null);
            args.getDuration("response-timeout", null);
            for (String flag : VALUED) {
                if (args.has(flag) && !flag.equals("config")) {
                    file.put(flag, args.get(flag));
                }
            }
            if (args.has("no-admin")) {
                file.put("admin-listen", "off");
            }
            Opts o = new Opts(file);
            String backendText = o.text("backend");
            if (backendText == null) {
                throw new UsageException("--backend URL is required, e.g. --backend http://127.0.0.1:8080");
            }
            URI backend = url(backendText, "backend");
            try {
                GatewayConfig.Builder b = GatewayConfig.builder(backend);
                HostPort listen = HostPort.parse(o.text("listen", "127.0.0.1:" + GatewayConfig.DEFAULT_PORT), "listen");
                b.listen(listen.host, listen.port);
                String admin = o.text("admin-listen", "127.0.0.1:" + GatewayConfig.DEFAULT_ADMIN_PORT);
                if (admin.equals("off")) {
                    b.noAdmin();
                } else {
                    HostPort a = HostPort.parse(admin, "admin-listen");
                    b.admin(a.host, a.port);
                }
                b.service(o.text("service")).scoreService(o.text("score-service"));
                b.connectTimeout(o.duration("connect-timeout", Duration.ofSeconds(1)));
                b.responseTimeout(o.duration("response-timeout", Duration.ofSeconds(30)));
                b.clientIdleTimeout(o.duration("client-idle-timeout", Duration.ofSeconds(60)));
                b.drainTimeout(o.duration("drain-timeout", Duration.ofSeconds(10)));
                b.scoreRefresh(o.duration("score-refresh", Duration.ofSeconds(1)));
                b.maxRequestLine((int) o.number("max-request-line", 8192));
                b.maxHeaderSize((int) o.number("max-header-size", 16384));
                b.maxBodyBytes((long) o.number("max-body-bytes", 100L << 20));
                b.maxConnections((int) o.number("max-connections", 512));
                b.maxPoolWaiters((int) o.number("max-pool-waiters", 4096));
                b.ioThreads((int) o.number("io-threads", 0));
                b.nativeTransport(!"false".equalsIgnoreCase(o.text("native-transport", "true")));
                b.requestBufferBytes((long) o.number("request-buffer-bytes", GatewayConfig.DEFAULT_REQUEST_BUFFER_BYTES));
                b.clientHeaderTimeout(o.duration("client-header-timeout", GatewayConfig.DEFAULT_CLIENT_HEADER_TIMEOUT));
                b.clientBodyTimeout(o.duration("client-body-timeout", GatewayConfig.DEFAULT_CLIENT_BODY_TIMEOUT));
                b.clientBodyMinRate((long) o.number("client-body-min-rate", GatewayConfig.DEFAULT_CLIENT_BODY_MIN_RATE));
                b.maxConnectionsPerRoute((int) o.number("max-connections-per-route", 0));
                String retry = o.text("retry-idempotent", "true");
                if (!retry.equalsIgnoreCase("true") && !retry.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("retry-idempotent must be true or false, got '" + retry + "'");
                }
                b.retryIdempotent(retry.equalsIgnoreCase("true"));
                if (o.text("path-policy") != null) {
                    b.pathPolicy(GatewayConfig.PathPolicy.parse(o.text("path-policy")));
                }
                BreakerConfig d = BreakerConfig.defaults();
                b.breaker(BreakerConfig.builder()
                        .tripScore(o.number("breaker.trip-score", d.tripScore()))
                        .closeScore(o.number("breaker.close-score", d.closeScore()))
                        .scoreDwell(o.duration("breaker.score-dwell", d.scoreDwell()))
                        .scoreMaxAge(o.duration("breaker.score-max-age", d.scoreMaxAge()))
                        .window(o.duration("breaker.window", d.window()))
                        .minCalls((int) o.number("breaker.min-calls", d.minCalls()))
                        .failureRatio(o.number("breaker.failure-ratio", d.failureRatio()))
                        .openBase(o.duration("breaker.open-base", d.openBase()))
                        .openMultiplier(o.number("breaker.open-multiplier", d.openMultiplier()))
                        .openMax(o.duration("breaker.open-max", d.openMax()))
                        .jitter(o.number("breaker.jitter", d.jitter()))
                        .halfOpenProbes((int) o.number("breaker.half-open-probes", d.halfOpenProbes()))
                        .maxBreakers((int) o.number("breaker.max-breakers", d.maxBreakers()))
                        .maxOpenShare(o.number("breaker.max-open-share", d.maxOpenShare()))
                        .build());
                String trusted = o.text("trusted-proxies");
                b.trustedProxies(trusted == null ? List.of() : List.of(trusted.split(",")));
                FairnessConfig f = FairnessConfig.defaults();
                b.fairness(new FairnessConfig(o.bool("fairness.enabled", f.enabled()),
                        o.number("fairness.max-culprit-share", f.maxCulpritShare()),
                        (int) o.number("fairness.min-clients", f.minClients()),
                        (int) o.number("fairness.max-clients-per-route", f.maxClientsPerRoute())));
                RoutesConfig routes = new RoutesConfig(templates,
                        (int) o.number("routes.max-per-service", RoutesConfig.DEFAULT_MAX_ROUTES_PER_SERVICE),
                        canonicalOptions(o));
                String scoresText = o.text("scores");
                URI scores = scoresText == null ? null : scoresUrl(url(scoresText, "scores"));
                String hosts = o.text("admin.allowed-hosts", "");
                AdminConfig adminConfig = AdminConfig.of(o.text("admin.token-file"),
                        hosts.isEmpty() ? List.of() : List.of(hosts.split("\\s*,\\s*")));
                return new Settings(b.build(), routes, scores, semantics, adminConfig);
            } catch (IllegalArgumentException | ConfigException e) {
                throw new UsageException(e.getMessage());
            }
        }

        /** {@code routes.case-sensitive} and {@code routes.ignored-suffixes} (kept comma-joined by readConfig). */
        private static CanonicalPath.Options canonicalOptions(Opts o) {
            String sensitive = o.text("routes.case-sensitive",
                    Boolean.toString(CanonicalPath.Options.defaults().caseSensitive()));
            if (!sensitive.equals("true") && !sensitive.equals("false")) {
                throw new IllegalArgumentException("routes.case-sensitive must be true or false, got '" + sensitive + "'");
            }
            List<String> suffixes = CanonicalPath.Options.DEFAULT_IGNORED_SUFFIXES;
            String listed = o.values().get("routes.ignored-suffixes");
            if (listed != null) {
                suffixes = listed.isEmpty() ? List.of() : List.of(listed.split(","));
            }
            return new CanonicalPath.Options(sensitive.equals("true"), suffixes);
        }

        private static URI url(String text, String option) throws UsageException {
            try {
                URI u = new URI(text.trim());
                if (!"http".equals(u.getScheme()) || u.getHost() == null) {
                    throw new UsageException("--" + option + " must be an http://host:port URL, got '" + text + "'");
                }
                return u;
            } catch (URISyntaxException e) {
                throw new UsageException("--" + option + " is not a URL: '" + text + "' (" + e.getReason() + ")");
            }
        }

        /** A scorer's base URL gets the contract path. */
        private static URI scoresUrl(URI u) {
            String path = u.getPath() == null ? "" : u.getPath();
            return path.isEmpty() || path.equals("/") ? u.resolve("/api/v1/scores") : u;
        }

        /** The shared file's {@code semantics:} section, as for the agent: the same verdicts on both paths. */
        private static SemanticsConfig semantics(Path file, JsonNode semantics) throws UsageException {
            if (semantics == null) {
                return SemanticsConfig.empty();
            }
            try {
                return SemanticsConfig.fromTree(semantics);
            } catch (SemanticsConfigException e) {
                throw new UsageException("config file " + file + ": semantics: " + e.getMessage());
            }
        }

        /** Reads the options into {@code out}; returns the shared file's semantics section, or null. */
        private static JsonNode readConfig(Path file, Map<String, String> out, List<String> templates) throws UsageException {
            if (!Files.isReadable(file)) {
                throw new UsageException("cannot read config file " + file);
            }
            JsonNode root;
            try {
                root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new UsageException("config file " + file + " is not valid YAML: "
                        + e.getOriginalMessage().replaceAll("\\s*\\n\\s*", "; "));
            } catch (IOException e) {
                throw new UsageException("cannot read config file " + file + ": " + e.getMessage());
            }
            if (root == null || root.isNull() || root.isMissingNode()) {
                return null;
            }
            if (!root.isObject()) {
                throw new UsageException("config file " + file + " must be a YAML mapping of options");
            }
            JsonNode semantics = null;
            if (root.has("gateway")) {
                // The shared config file: a gateway section beside the other stages' sections.
                for (var section : root.properties()) {
                    if (!Set.of("gateway", "routes", "agent", "semantics", "score", "demo", "admin").contains(section.getKey())) {
                        throw new UsageException("config file " + file + ": unknown section '" + section.getKey() + "'");
                    }
                }
                semantics = root.get("semantics");
                JsonNode gateway = root.get("gateway");
                if (!gateway.isObject()) {
                    throw new UsageException("config file " + file + ": 'gateway' must be a mapping");
                }
                com.fasterxml.jackson.databind.node.ObjectNode merged = gateway.deepCopy();
                if (root.has("routes") && !merged.has("routes")) {
                    merged.set("routes", root.get("routes"));
                }
                if (root.has("admin") && !merged.has("admin")) {
                    merged.set("admin", root.get("admin"));
                }
                root = merged;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if (!TOP.contains(key)) {
                    throw new UsageException("config file " + file + ": unknown key '" + key + "' (see --help)");
                }
                if (key.equals("admin") && e.getValue().isObject()) {
                    for (var sub : e.getValue().properties()) {
                        if (!AdminConfig.KEYS.contains(sub.getKey())) {
                            throw new UsageException("config file " + file + ": unknown key 'admin." + sub.getKey()
                                    + "' (known: admin.token-file, admin.allowed-hosts)");
                        }
                        if (sub.getValue().isArray()) {
                            List<String> names = new ArrayList<>();
                            sub.getValue().forEach(n -> names.add(n.asText()));
                            out.put("admin." + sub.getKey(), String.join(",", names));
                        }
                    }
                }
                if (key.equals("trusted-proxies") && e.getValue().isArray()) {
                    List<String> entries = new ArrayList<>();
                    e.getValue().forEach(t -> entries.add(t.asText()));
                    out.put(key, String.join(",", entries));
                } else if (key.equals("breaker") || key.equals("routes") || key.equals("fairness") || key.equals("admin")) {
                    if (!e.getValue().isObject()) {
                        throw new UsageException("config file " + file + ": '" + key + "' must be a mapping");
                    }
                    for (var sub : e.getValue().properties()) {
                        if (key.equals("routes") && sub.getKey().equals("templates")) {
                            sub.getValue().forEach(t -> templates.add(t.asText()));
                        } else if (key.equals("routes") && sub.getKey().equals("ignored-suffixes")) {
                            List<String> suffixes = new ArrayList<>();
                            sub.getValue().forEach(t -> suffixes.add(t.asText().trim()));
                            out.put("routes.ignored-suffixes", String.join(",", suffixes));
                        } else if (!sub.getValue().isArray()) {
                            out.put(key + "." + sub.getKey(), sub.getValue().asText());
                        }
                    }
                } else {
                    out.put(key, e.getValue().asText());
                }
            }
            return semantics;
        }
    }

    /** Typed reads of the merged options with one-line errors. */
    private record Opts(Map<String, String> values) {
        String text(String key) {
            String v = values.get(key);
            return v == null || v.isBlank() ? null : v.trim();
        }

        String text(String key, String defaultValue) {
            String v = text(key);
            return v == null ? defaultValue : v;
        }

        Duration duration(String key, Duration defaultValue) {
            String v = text(key);
            if (v == null) {
                return defaultValue;
            }
            try {
                return Args.Durations.parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage());
            }
        }

        boolean bool(String key, boolean defaultValue) {
            String v = text(key);
            if (v == null) {
                return defaultValue;
            }
            return switch (v.toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
            };
        }

        double number(String key, double defaultValue) {
            String v = text(key);
            if (v == null) {
                return defaultValue;
            }
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
            }
        }
    }

    /** {@code host:port}, {@code :port}, {@code port} or {@code [v6]:port}. */
    record HostPort(String host, int port) {
        static HostPort parse(String text, String option) {
            String t = text.trim();
            String host = "127.0.0.1";
            String port = t;
            int colon = t.lastIndexOf(':');
            if (colon >= 0) {
                host = t.substring(0, colon);
                port = t.substring(colon + 1);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                if (host.isEmpty()) {
                    host = "127.0.0.1";
                }
            }
            try {
                int p = Integer.parseInt(port);
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(host, p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + option + " must be HOST:PORT with a port within 0..65535, got '"
                        + text + "'");
            }
        }
    }
}
