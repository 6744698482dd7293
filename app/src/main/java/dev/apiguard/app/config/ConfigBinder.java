package dev.apiguard.app.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

import dev.apiguard.app.agent.AgentSettings;
import dev.apiguard.app.cli.Args;
import dev.apiguard.capture.CaptureConfig;
import dev.apiguard.capture.NetworkNamespace;
import dev.apiguard.config.ConfigNode;
import dev.apiguard.config.Listen;
import dev.apiguard.gateway.BreakerConfig;
import dev.apiguard.gateway.FairnessConfig;
import dev.apiguard.gateway.GatewayConfig;
import dev.apiguard.gateway.Http2Config;
import dev.apiguard.http.HttpTrackerConfig;
import dev.apiguard.routes.CanonicalPath;
import dev.apiguard.routes.RoutesConfig;
import dev.apiguard.score.Criticality;
import dev.apiguard.score.RouteRule;
import dev.apiguard.score.ScoreConfig;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.learn.LearningSettings;

/**
 * One binder per section, all through {@link ConfigNode}: every option is read once, with its
 * default taken from the stage's record (declared once there), its range, and the one error format.
 */
final class ConfigBinder {
    private static final List<String> AGENT_KEYS = List.of("listen", "capture", "http", "services", "max-services");
    private static final List<String> CAPTURE_KEYS = List.of("ring-buffer-bytes", "only-pid", "only-comm", "only-port", "netns", "tls",
            "reader-nice");
    private static final List<String> HTTP_KEYS = List.of("max-connections", "max-pipelined", "idle-timeout");
    private static final List<String> ROUTES_KEYS = List.of("templates", "max-per-service", "case-sensitive", "ignored-suffixes");
    private static final List<String> SCORE_KEYS = List.of("window", "interval", "sides", "min-requests",
            "latency-threshold", "routes", "hysteresis", "dwell", "stale-ttl", "max-endpoints", "query-timeout",
            "use-recording-rules");
    private static final List<String> SCORE_ROUTE_KEYS = List.of("path", "criticality", "latency-threshold", "slo");
    private static final List<String> GATEWAY_KEYS = List.of("backend", "listen", "admin-listen", "scores", "service",
            "score-service", "connect-timeout", "response-timeout", "client-idle-timeout", "drain-timeout",
            "score-refresh", "max-request-line", "max-header-size", "max-body-bytes", "max-connections",
            "max-pool-waiters", "io-threads", "native-transport", "request-buffer-bytes", "client-header-timeout",
            "client-body-timeout", "client-body-min-rate", "max-connections-per-route", "retry-idempotent", "path-policy",
            "trusted-proxies", "breaker", "fairness", "backend-protocol", "http2", "grpc");
    private static final List<String> HTTP2_KEYS = List.of("max-concurrent-streams", "max-resets-per-second");
    private static final List<String> GRPC_KEYS = List.of("business-codes-trip");
    private static final List<String> FAIRNESS_KEYS = List.of("enabled", "max-culprit-share", "min-clients",
            "max-clients-per-route");
    private static final List<String> ADMIN_KEYS = List.of("token-file", "allowed-hosts");
    private static final List<String> BREAKER_KEYS = List.of("trip-score", "close-score", "score-dwell", "score-max-age",
            "window", "min-calls", "failure-ratio", "open-base", "open-multiplier", "open-max", "jitter",
            "half-open-probes", "max-breakers", "max-open-share");

    private ConfigBinder() {}

    static ApiguardConfig bind(ConfigNode root) {
        rejectFlatKeys(root);
        root.allowOnly(ApiguardConfig.SECTIONS);
        RoutesConfig routes = routes(root.section("routes"));
        AgentSettings agent = agent(root.section("agent"), routes);
        SemanticsConfig semantics = SemanticsConfig.bind(root.section("semantics"));
        LearningSettings learning = LearningSettings.bind(root.section("semantics").section("learning"));
        ScoreConfig score = score(root.section("score"));
        GatewaySettings gateway = gateway(root.section("gateway"));
        AdminConfig admin = admin(root.section("admin"));
        return new ApiguardConfig(agent, routes, semantics, learning, score, gateway, admin);
    }

    /** A gateway or scorer file of the earlier flat format gets the key's new place, not just "unknown". */
    private static void rejectFlatKeys(ConfigNode root) {
        for (String key : root.entries().keySet()) {
            if (ApiguardConfig.SECTIONS.contains(key)) {
                continue;
            }
            String section = GATEWAY_KEYS.contains(key) ? "gateway" : SCORE_KEYS.contains(key) ? "score" : null;
            if (section != null) {
                throw root.error(key, "not a section; this option goes under " + section + ": (" + section + "." + key + ")");
            }
        }
    }

    static RoutesConfig routes(ConfigNode r) {
        r.allowOnly(ROUTES_KEYS);
        RoutesConfig d = RoutesConfig.defaults();
        List<String> templates = r.strings("templates", d.templates());
        int max = r.integer("max-per-service", d.maxRoutesPerService(), 1, 1_000_000);
        boolean caseSensitive = r.bool("case-sensitive", d.canonical().caseSensitive());
        List<String> suffixes = r.strings("ignored-suffixes", d.canonical().ignoredSuffixes());
        CanonicalPath.Options canonical = r.check("ignored-suffixes", () -> new CanonicalPath.Options(caseSensitive, suffixes));
        return r.check(() -> new RoutesConfig(templates, max, canonical));
    }

    static AgentSettings agent(ConfigNode a, RoutesConfig routes) {
        a.allowOnly(AGENT_KEYS);
        AgentSettings d = AgentSettings.defaults();
        Listen listen = a.listen("listen", d.listen());
        ConfigNode c = a.section("capture").allowOnly(CAPTURE_KEYS);
        CaptureConfig cd = d.capture();
        int ring = c.integer("ring-buffer-bytes", cd.ringBufferBytes(), 4096, 1 << 30);
        if (Integer.bitCount(ring) != 1) {
            throw c.error("ring-buffer-bytes", "must be a power of two between 4096 and " + (1 << 30) + ", got '" + ring + "'");
        }
        int onlyPid = c.integer("only-pid", cd.onlyPid(), 0, Args.MAX_PID);
        String onlyComm = c.string("only-comm", cd.onlyComm());
        if (onlyComm.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Args.MAX_COMM_BYTES) {
            throw c.error("only-comm", "must be a process name of at most " + Args.MAX_COMM_BYTES
                    + " bytes (all the kernel keeps of a name), got '" + onlyComm + "'");
        }
        int onlyPort = c.integer("only-port", cd.onlyPort(), 0, 65535);
        String netns = c.string("netns", null);
        long onlyNetns = netns == null || netns.isBlank() ? cd.onlyNetns() : c.check("netns", () -> NetworkNamespace.inode(netns.strip()));
        boolean tls = c.bool("tls", cd.tls());
        int readerNice = c.integer("reader-nice", d.readerNice(), -20, 19);
        CaptureConfig capture = c.check(() -> new CaptureConfig(ring, onlyPid, onlyComm, onlyPort, onlyNetns, tls));
        ConfigNode h = a.section("http").allowOnly(HTTP_KEYS);
        HttpTrackerConfig hd = d.http();
        int maxConnections = h.integer("max-connections", hd.maxConnections(), 1, 1 << 22);
        int maxPipelined = h.integer("max-pipelined", hd.maxPipelinedRequests(), 1, 4096);
        Duration idle = h.duration("idle-timeout", hd.lostSyncTimeout());
        Map<String, String> services = a.stringMap("services");
        HttpTrackerConfig http = h.check(() -> hd.withMaxConnections(maxConnections).withMaxPipelinedRequests(maxPipelined)
                .withLostSyncTimeout(idle).withServiceNames(services));
        int maxServices = a.integer("max-services", d.maxServices(), 1, 100_000);
        return new AgentSettings(listen, capture, http, routes, maxServices, readerNice);
    }

    static ScoreConfig score(ConfigNode s) {
        s.allowOnly(SCORE_KEYS);
        ScoreConfig d = ScoreConfig.defaults();
        Duration window = s.duration("window", d.window());
        Duration interval = s.duration("interval", d.interval());
        if (interval.compareTo(window) > 0) {
            throw s.error("interval", "must not be longer than window (" + window + "), got '" + interval + "'");
        }
        List<String> sides = s.strings("sides", d.sides());
        if (sides.isEmpty() || !sides.stream().allMatch(side -> side.matches("[a-z_]{1,32}"))) {
            throw s.error("sides", "must be a non-empty list of side labels (server, client, gateway), got '" + sides + "'");
        }
        long minRequests = s.longInteger("min-requests", d.minRequests(), 1, 1_000_000_000);
        Duration latency = s.duration("latency-threshold", d.latencyThreshold());
        List<RouteRule> routes = s.has("routes") ? scoreRoutes(s) : d.routes();
        s.list("routes"); // declares the option (absent: the default's none)
        double hysteresis = s.number("hysteresis", d.hysteresis(), 0, 15);
        Duration dwell = s.duration("dwell", d.dwell(), Duration.ZERO);
        Duration staleTtl = s.duration("stale-ttl", d.staleTtl());
        int maxEndpoints = s.integer("max-endpoints", d.maxEndpoints(), 1, 10_000_000);
        Duration queryTimeout = s.duration("query-timeout", d.queryTimeout());
        boolean useRecordingRules = s.bool("use-recording-rules", d.useRecordingRules());
        return s.check(() -> new ScoreConfig(window, interval, sides, minRequests, latency, routes, hysteresis, dwell,
                staleTtl, maxEndpoints, queryTimeout, useRecordingRules));
    }

    private static List<RouteRule> scoreRoutes(ConfigNode s) {
        Set<String> criticalities = Arrays.stream(Criticality.values()).map(Criticality::label).collect(Collectors.toSet());
        return s.list("routes").stream().map(r -> {
            r.allowOnly(SCORE_ROUTE_KEYS);
            String path = r.required("path");
            Criticality criticality = Criticality.fromLabel(r.choice("criticality", Criticality.NORMAL.label(), criticalities));
            Optional<Duration> latency = Optional.ofNullable(r.duration("latency-threshold", null));
            OptionalDouble slo = r.has("slo") ? OptionalDouble.of(sloTarget(r)) : OptionalDouble.empty();
            return r.check(() -> new RouteRule(path, criticality, latency, slo));
        }).toList();
    }

    private static double sloTarget(ConfigNode r) {
        double slo = r.number("slo", 0, 0, 1);
        if (slo <= 0 || slo >= 1) {
            throw r.error("slo", "must be a number between 0 and 1, both excluded (e.g. 0.999), got '" + r.value().get("slo").asText() + "'");
        }
        return slo;
    }

    static GatewaySettings gateway(ConfigNode g) {
        g.allowOnly(GATEWAY_KEYS);
        GatewayConfig d = GatewayConfig.DEFAULTS;
        URI backend = g.httpUrl("backend", null);
        Listen listen = g.listen("listen", new Listen(d.listenHost(), d.listenPort()));
        boolean adminOff = g.has("admin-listen") && g.value().get("admin-listen").asText().trim().equals("off");
        Listen admin = adminOff ? null : g.listen("admin-listen", new Listen(d.adminHost(), d.adminPort()));
        URI scores = g.httpUrl("scores", null);
        GatewayConfig.Builder b = GatewayConfig.builder(backend)
                .listen(listen.host(), listen.port())
                .service(g.string("service", null))
                .scoreService(g.string("score-service", d.scoreService()))
                .connectTimeout(g.duration("connect-timeout", d.connectTimeout()))
                .responseTimeout(g.duration("response-timeout", d.responseTimeout()))
                .clientIdleTimeout(g.duration("client-idle-timeout", d.clientIdleTimeout()))
                .drainTimeout(g.duration("drain-timeout", d.drainTimeout()))
                .scoreRefresh(g.duration("score-refresh", d.scoreRefresh()))
                .maxRequestLine(g.integer("max-request-line", d.maxRequestLine(), 64, 1 << 20))
                .maxHeaderSize(g.integer("max-header-size", d.maxHeaderSize(), 256, 1 << 24))
                .maxBodyBytes(g.longInteger("max-body-bytes", d.maxBodyBytes(), 0, Long.MAX_VALUE))
                .maxConnections(g.integer("max-connections", d.maxConnections(), 1, 1_000_000))
                .maxPoolWaiters(g.integer("max-pool-waiters", d.maxPoolWaiters(), 0, 10_000_000))
                .ioThreads(g.integer("io-threads", d.ioThreads(), 0, 1024))
                .nativeTransport(g.bool("native-transport", d.nativeTransport()))
                .requestBufferBytes(g.longInteger("request-buffer-bytes", d.requestBufferBytes(), 0, Integer.MAX_VALUE))
                .clientHeaderTimeout(g.duration("client-header-timeout", d.clientHeaderTimeout()))
                .clientBodyTimeout(g.duration("client-body-timeout", d.clientBodyTimeout()))
                .clientBodyMinRate(g.longInteger("client-body-min-rate", d.clientBodyMinRate(), 0, 1L << 40))
                .maxConnectionsPerRoute(g.integer("max-connections-per-route", GatewayConfig.DEFAULT_MAX_CONNECTIONS_PER_ROUTE,
                        0, 1_000_000))
                .retryIdempotent(g.bool("retry-idempotent", d.retryIdempotent()))
                .pathPolicy(GatewayConfig.PathPolicy.parse(g.choice("path-policy", d.pathPolicy().name().toLowerCase(Locale.ROOT),
                        Arrays.stream(GatewayConfig.PathPolicy.values()).map(p -> p.name().toLowerCase(Locale.ROOT))
                                .collect(Collectors.toSet()))))
                .trustedProxies(trustedProxies(g, d))
                .breaker(breaker(g.section("breaker")))
                .fairness(fairness(g.section("fairness")))
                .http2(http2(g, d.http2()));
        if (admin == null) {
            b.noAdmin();
        } else {
            b.admin(admin.host(), admin.port());
        }
        Optional<GatewayConfig> proxy = backend == null ? Optional.empty() : Optional.of(g.check(b::build));
        return new GatewaySettings(proxy, Optional.ofNullable(scores));
    }

    /** Checked by the gateway's own parser (addresses and CIDR blocks), with this key's path in the error. */
    private static List<String> trustedProxies(ConfigNode g, GatewayConfig d) {
        List<String> entries = g.strings("trusted-proxies", d.trustedProxies());
        g.check("trusted-proxies", () -> GatewayConfig.builder(d.backend()).trustedProxies(entries).build());
        return entries;
    }

    /** {@code backend-protocol}, {@code http2.*} and {@code grpc.*}: one record, three places in the tree. */
    static Http2Config http2(ConfigNode g, Http2Config d) {
        Http2Config.BackendProtocol protocol = Http2Config.BackendProtocol.parse(g.choice("backend-protocol",
                d.backendProtocol().name().toLowerCase(Locale.ROOT), Arrays.stream(Http2Config.BackendProtocol.values())
                        .map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet())));
        ConfigNode h = g.section("http2").allowOnly(HTTP2_KEYS);
        int streams = h.integer("max-concurrent-streams", d.maxConcurrentStreams(), 1, 1_000_000);
        int resets = h.integer("max-resets-per-second", d.maxResetsPerSecond(), 1, 1_000_000);
        ConfigNode grpc = g.section("grpc").allowOnly(GRPC_KEYS);
        boolean trip = grpc.bool("business-codes-trip", d.grpcBusinessCodesTrip());
        return g.check(() -> new Http2Config(protocol, streams, resets, trip));
    }

    static FairnessConfig fairness(ConfigNode f) {
        f.allowOnly(FAIRNESS_KEYS);
        FairnessConfig d = FairnessConfig.defaults();
        boolean enabled = f.bool("enabled", d.enabled());
        double share = f.number("max-culprit-share", d.maxCulpritShare(), 0, 0.5);
        if (share <= 0) {
            throw f.error("max-culprit-share", "must be a number above 0 and at most 0.5, got '" + f.value().get("max-culprit-share").asText() + "'");
        }
        int minClients = f.integer("min-clients", d.minClients(), 2, 100_000);
        int maxClients = f.integer("max-clients-per-route", d.maxClientsPerRoute(), minClients, 100_000);
        return f.check(() -> new FairnessConfig(enabled, share, minClients, maxClients));
    }

    static AdminConfig admin(ConfigNode a) {
        a.allowOnly(ADMIN_KEYS);
        AdminConfig d = AdminConfig.defaults();
        String tokenFile = a.string("token-file", d.tokenFile() == null ? null : d.tokenFile().toString());
        List<String> hosts = a.strings("allowed-hosts", d.allowedHosts());
        for (String h : hosts) {
            if (!h.strip().matches(AdminConfig.HOST)) {
                throw a.error("allowed-hosts", "every entry must be a host name or HOST:PORT ([IPv6]:PORT), got '" + h + "'");
            }
        }
        return new AdminConfig(tokenFile == null || tokenFile.isBlank() ? null : Path.of(tokenFile.strip()), hosts);
    }

    static BreakerConfig breaker(ConfigNode b) {
        b.allowOnly(BREAKER_KEYS);
        BreakerConfig d = BreakerConfig.defaults();
        double trip = b.number("trip-score", d.tripScore(), 0, 100);
        double close = b.number("close-score", d.closeScore(), 0, 100);
        if (close < trip) {
            throw b.error("close-score", "must be between trip-score (" + trip + ") and 100, got '" + close + "'");
        }
        Duration openBase = b.duration("open-base", d.openBase());
        Duration openMax = b.duration("open-max", d.openMax());
        if (openMax.compareTo(openBase) < 0) {
            throw b.error("open-max", "must be at least open-base (" + openBase + "), got '" + openMax + "'");
        }
        BreakerConfig.Builder builder = BreakerConfig.builder()
                .tripScore(trip)
                .closeScore(close)
                .scoreDwell(b.duration("score-dwell", d.scoreDwell(), Duration.ZERO))
                .scoreMaxAge(b.duration("score-max-age", d.scoreMaxAge()))
                .window(b.duration("window", d.window(), Duration.ofMillis(10)))
                .minCalls(b.integer("min-calls", d.minCalls(), 1, 1_000_000))
                .failureRatio(share(b, "failure-ratio", d.failureRatio(), false))
                .openBase(openBase)
                .openMultiplier(b.number("open-multiplier", d.openMultiplier(), 1, 1000))
                .openMax(openMax)
                .jitter(share(b, "jitter", d.jitter(), true))
                .halfOpenProbes(b.integer("half-open-probes", d.halfOpenProbes(), 1, 10_000))
                .maxBreakers(b.integer("max-breakers", d.maxBreakers(), 1, 1_000_000))
                .maxOpenShare(share(b, "max-open-share", d.maxOpenShare(), false));
        return b.check(builder::build);
    }

    /** A share: {@code (0, 1]}, or {@code [0, 1)} for a jitter. */
    private static double share(ConfigNode b, String name, double defaultValue, boolean fromZero) {
        double v = b.number(name, defaultValue, 0, 1);
        if (fromZero ? v >= 1 : v <= 0) {
            throw b.error(name, "must be a number " + (fromZero ? "from 0 to 1, 1 excluded" : "above 0 and at most 1")
                    + ", got '" + b.value().get(name).asText() + "'");
        }
        return v;
    }
}
