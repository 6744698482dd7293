package dev.apiguard.app;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
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
import dev.apiguard.metrics.ExchangeRecorder;
import dev.apiguard.metrics.MetricsText;
import dev.apiguard.metrics.RecentBusinessErrors;
import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.VerdictLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The composition root of one node: registry, routes, classifier, recorder, the eBPF agent, and
 * the loopback HTTP endpoints. {@code agent} uses it as is; {@code run} and {@code demo} add the
 * scorer, the gateway and the dashboard.
 */
final class Node implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("apiguard.node");

    final PrometheusRegistry registry = new PrometheusRegistry();
    final ApiMetrics metrics;
    final RouteNormalizer routes;
    final Classifier classifier;
    final RecentBusinessErrors recentErrors = new RecentBusinessErrors(200, Clock.systemUTC());
    final VerdictLog verdictLog = VerdictLog.create(Clock.systemUTC());
    final ExchangeRecorder recorder;
    final Agent agent; // null when eBPF is unavailable and the caller allowed that
    final String captureUnavailable;
    private final AdminHttpServer server;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final Thread hook;

    private Node(AgentSettings settings, Classifier classifier, boolean allowNoCapture, NodeOptions options,
            Map<String, Function<AdminHttpServer.Request, AdminHttpServer.Response>> extraRoutes)
            throws CaptureException, IOException {
        this.metrics = new ApiMetrics(registry, settings.maxServices());
        this.routes = RouteNormalizer.create(settings.routes());
        this.classifier = classifier;
        this.recorder = new ExchangeRecorder(routes, classifier, metrics, observation -> {
            recentErrors.accept(observation);
            verdictLog.record(observation.exchange().service(), observation.route(), observation.verdict());
        });
        NodeSelfMetrics.register(registry, routes);
        Map<String, Function<AdminHttpServer.Request, AdminHttpServer.Response>> endpoints = new LinkedHashMap<>();
        endpoints.put("/metrics", request -> new AdminHttpServer.Response(200, MetricsText.CONTENT_TYPE, MetricsText.render(registry)));
        endpoints.put("/api/v1/endpoints", request -> AdminHttpServer.Response.json(EndpointsView.json(EndpointsView.from(registry.scrape()))));
        endpoints.putAll(extraRoutes);
        // Bind before loading BPF: a busy port is a config error, and nothing is left attached.
        this.server = AdminHttpServer.start(settings.listen().host(), settings.listen().port(), endpoints);
        Agent started = null;
        String unavailable = null;
        try {
            started = Agent.start(settings, recorder, registry);
        } catch (CaptureException e) {
            if (!allowNoCapture) {
                server.close();
                throw e;
            }
            unavailable = e.getMessage();
        }
        this.agent = started;
        this.captureUnavailable = unavailable;
        this.hook = Thread.ofPlatform().unstarted(this::closeQuietly);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static Node start(NodeOptions options, boolean allowNoCapture) throws ConfigException, CaptureException, IOException {
        return start(options, allowNoCapture, Map.of());
    }

    static Node start(NodeOptions options, boolean allowNoCapture,
            Map<String, Function<AdminHttpServer.Request, AdminHttpServer.Response>> extraRoutes)
            throws ConfigException, CaptureException, IOException {
        AgentSettings settings = options.config().agent();
        Classifier classifier = Classifiers.create(options.config().semantics());
        try {
            return new Node(settings, classifier, allowNoCapture, options, extraRoutes);
        } catch (IOException e) {
            throw new ConfigException("agent.listen", e.getMessage());
        }
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
