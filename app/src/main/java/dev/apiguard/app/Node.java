package dev.apiguard.app;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.apiguard.app.agent.Agent;
import dev.apiguard.app.agent.AgentSettings;
import dev.apiguard.config.ConfigException;
import dev.apiguard.capture.CaptureException;
import dev.apiguard.metrics.AdminHttpServer;
import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.metrics.EndpointsView;
import dev.apiguard.metrics.InternalErrors;
import dev.apiguard.metrics.MetricsText;
import dev.apiguard.metrics.Pipeline;
import dev.apiguard.metrics.RecentBusinessErrors;
import dev.apiguard.model.Side;
import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.VerdictLog;
import dev.apiguard.semantics.learn.BaselineLearner;
import dev.apiguard.semantics.learn.LearnedClassifier;
import dev.apiguard.semantics.learn.LearningSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The composition root of one node: registry, routes, classifier, the pipeline, the eBPF agent, and
 * the loopback HTTP endpoints. {@code agent} uses it as is; {@code run} and {@code demo} add the
 * scorer, the gateway and the dashboard. The agent and the gateway feed the same {@link Pipeline},
 * so the dashboard's recent business errors and the verdict log see both.
 */
final class Node implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("apiguard.node");

    final PrometheusRegistry registry = new PrometheusRegistry();
    final ApiMetrics metrics;
    final RouteNormalizer routes;
    final Classifier classifier;
    final BaselineLearner learner; // null when semantics.learning.enabled is false
    final RecentBusinessErrors recentErrors = new RecentBusinessErrors(200, Clock.systemUTC());
    final VerdictLog verdictLog = VerdictLog.create(Clock.systemUTC());
    final InternalErrors internalErrors;
    final Pipeline pipeline;
    final Agent agent; // null when eBPF is unavailable and the caller allowed that
    final String captureUnavailable;
    private final AdminHttpServer server;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final Thread hook;

    /** Whether the node loads the eBPF agent. */
    enum Capture {
        /** Capture or fail ({@code agent}). */
        REQUIRED,
        /** Capture when eBPF is available; otherwise say why and run on the gateway's observations ({@code run}). */
        OPTIONAL,
        /** Never load BPF ({@code run --no-capture}): the gateway's observations alone. */
        OFF
    }

    /** The reason reported when capture is off by choice. */
    static final String CAPTURE_OFF = "disabled by --no-capture";

    private Node(AgentSettings settings, SemanticsConfig semantics, LearningSettings learning, Capture capture,
            NodeOptions options,
            Map<String, Function<AdminHttpServer.Request, AdminHttpServer.Response>> extraRoutes, List<String> sameOriginHosts)
            throws CaptureException, IOException {
        this.metrics = new ApiMetrics(registry, settings.maxServices());
        this.internalErrors = InternalErrors.of(registry);
        this.routes = RouteNormalizer.create(settings.routes());
        this.classifier = SemanticsSettings.withLearning(
                Classifiers.create(semantics, internalErrors.reporter(InternalErrors.Stage.CLASSIFY)), semantics, learning,
                internalErrors.reporter(InternalErrors.Stage.CLASSIFY));
        this.learner = classifier instanceof LearnedClassifier learned ? learned.learner() : null;
        this.pipeline = new Pipeline(routes, classifier, metrics, internalErrors, observation -> {
            if (observation.exchange().side() == Side.GATEWAY && capturing()) {
                // The agent also sees each proxied request, on the backend's side: the same event, listed once
                // (as the dashboard's rates count it once).
                return;
            }
            recentErrors.accept(observation);
            verdictLog.record(observation.exchange().service(), observation.route(), observation.verdict());
        });
        NodeSelfMetrics.register(registry, routes);
        if (classifier instanceof LearnedClassifier learned) {
            NodeSelfMetrics.register(registry, learned);
        }
        Map<String, Function<AdminHttpServer.Request, AdminHttpServer.Response>> endpoints = new LinkedHashMap<>();
        endpoints.put("/metrics", request -> MetricsText.response(registry));
        endpoints.put("/api/v1/endpoints", request -> AdminHttpServer.Response.json(
                BaselinesView.endpoints(EndpointsView.json(EndpointsView.from(registry.scrape())), learner)));
        endpoints.put("/api/v1/baselines", request -> AdminHttpServer.Response.json(BaselinesView.json(learner)));
        endpoints.putAll(extraRoutes);
        // Bind before loading BPF: a busy port is a config error, and nothing is left attached.
        this.server = AdminHttpServer.start(settings.listen().host(), settings.listen().port(), endpoints,
                sameOriginHosts);
        Agent started = null;
        String unavailable = null;
        if (capture == Capture.OFF) {
            unavailable = CAPTURE_OFF;
        } else {
            try {
                started = Agent.start(settings, pipeline, registry);
            } catch (CaptureException e) {
                if (capture == Capture.REQUIRED) {
                    server.close();
                    throw e;
                }
                unavailable = e.getMessage();
            }
        }
        this.agent = started;
        this.captureUnavailable = unavailable;
        this.hook = Thread.ofPlatform().unstarted(this::closeQuietly);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static Node start(NodeOptions options, boolean allowNoCapture) throws ConfigException, CaptureException, IOException {
        return start(options, allowNoCapture ? Capture.OPTIONAL : Capture.REQUIRED, Map.of());
    }

    static Node start(NodeOptions options, Capture capture,
            Map<String, Function<AdminHttpServer.Request, AdminHttpServer.Response>> extraRoutes)
            throws ConfigException, CaptureException, IOException {
        return start(options, capture, extraRoutes, null);
    }

    /**
     * @param sameOriginHosts non-null: refuse (403) any request whose Host is not the listen address
     *     (or one of these names) or whose Origin is foreign: {@code run} and {@code demo}, whose port
     *     carries the admin API; null: no such check ({@code agent})
     */
    static Node start(NodeOptions options, Capture capture,
            Map<String, Function<AdminHttpServer.Request, AdminHttpServer.Response>> extraRoutes, List<String> sameOriginHosts)
            throws ConfigException, CaptureException, IOException {
        AgentSettings settings = options.config().agent();
        SemanticsConfig semantics = options.config().semantics();
        LearningSettings learning = options.config().learning();
        try {
            return new Node(settings, semantics, learning, capture, options, extraRoutes, sameOriginHosts);
        } catch (IOException e) {
            throw new ConfigException("agent.listen", e.getMessage());
        }
    }


    /** True once the eBPF agent runs (read by the listener, which exists before the agent starts). */
    private boolean capturing() {
        return agent != null;
    }

    /** Serves another endpoint on this node's port. */
    void route(String path, Function<AdminHttpServer.Request, AdminHttpServer.Response> handler) {
        server.route(path, handler);
    }

    String baseUrl() {
        return server.baseUrl();
    }

    int port() {
        return server.port();
    }

    /** Blocks until SIGTERM/Ctrl-C, or {@code limit} when given. */
    void awaitShutdown(Duration limit) throws InterruptedException {
        if (limit == null) {
            shutdown.await();
        } else {
            shutdown.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    boolean isShutDown() {
        return shutdown.getCount() == 0;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "shutdown: " + e);
        }
    }

    @Override
    public synchronized void close() {
        if (shutdown.getCount() == 0) {
            return;
        }
        shutdown.countDown();
        if (agent != null) {
            agent.close();
        }
        server.close();
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or ran
            }
        }
    }
}
