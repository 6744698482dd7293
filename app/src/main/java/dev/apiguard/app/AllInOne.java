package dev.apiguard.app;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.apiguard.config.ConfigException;
import dev.apiguard.capture.CaptureException;
import dev.apiguard.gateway.Gateway;
import dev.apiguard.gateway.GatewayAdmin;
import dev.apiguard.gateway.GatewayConfig;
import dev.apiguard.metrics.AdminHttpServer;
import dev.apiguard.app.config.AdminConfig;
import dev.apiguard.metrics.AdminToken;
import dev.apiguard.score.EmbeddedScorer;
import dev.apiguard.score.ScoreConfig;
import dev.apiguard.score.ScoreSource;
import dev.apiguard.score.Scorer;
import dev.apiguard.score.ScoresJson;
import dev.apiguard.score.WindowSources;

/**
 * {@code ./apiguard run}: the agent, the embedded scorer, the dashboard and (with a backend) the
 * gateway in one JVM, everything served on one loopback port.
 */
final class AllInOne implements AutoCloseable {
    final Node node;
    final Scorer scorer;
    final Gateway gateway; // null without a backend
    final AdminToken adminToken; // null without a gateway: nothing to change then
    private final ScheduledExecutorService scheduler;

    private AllInOne(Node node, Scorer scorer, Gateway gateway, AdminToken adminToken, ScheduledExecutorService scheduler) {
        this.node = node;
        this.scorer = scorer;
        this.gateway = gateway;
        this.adminToken = adminToken;
        this.scheduler = scheduler;
    }

    /**
     * @param gatewayConfig null for no gateway
     */
    static AllInOne start(NodeOptions options, ScoreConfig scoreConfig, GatewayConfig gatewayConfig, Clock clock)
            throws ConfigException, CaptureException, IOException {
        return start(options, scoreConfig, gatewayConfig, clock, Node.Capture.OPTIONAL);
    }

    /**
     * @param capture {@code OPTIONAL} for {@code run} (degrades to the gateway's observations without
     *     eBPF), {@code OFF} for {@code run --no-capture}
     */
    static AllInOne start(NodeOptions options, ScoreConfig scoreConfig, GatewayConfig gatewayConfig, Clock clock,
            Node.Capture capture) throws ConfigException, CaptureException, IOException {
        // Resolved first: a token file that cannot be read or created is a config error, nothing started.
        AdminConfig admin = options.config().admin();
        AdminToken adminToken = gatewayConfig == null ? null : admin.token();
        Node node = Node.start(options, capture, java.util.Map.of(), admin.allowedHosts());
        if (node.captureUnavailable != null) {
            System.err.println("apiguard: eBPF capture unavailable (" + node.captureUnavailable
                    + "); running on the gateway's observations alone");
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("apiguard-scorer").daemon(true).factory());
        Scorer scorer = EmbeddedScorer.start(node.metrics, node.registry, scoreConfig, clock, scheduler);
        Gateway gateway = null;
        try {
            if (gatewayConfig != null) {
                gateway = Gateway.start(gatewayConfig, node.pipeline, scorer, clock, adminToken, admin.allowedHosts()); // the node's pipeline: one spine
                GatewayAdmin.routes(gateway.breakers(), node.registry, gateway.adminAuth()).forEach((path, handler) -> {
                    if (!path.equals("/metrics")) {
                        node.route(path, handler);
                    }
                });
            }
        } catch (IOException e) {
            scorer.close();
            scheduler.shutdownNow();
            node.close();
            throw new ConfigException("gateway.listen", e.getMessage());
        }
        node.route("/api/v1/scores", request -> new AdminHttpServer.Response(200, ScoresJson.CONTENT_TYPE,
                ScoresJson.render(scorer.scores(), scorer.sourceName(), clock.instant())));
        // The dashboard's rates count each request once: the agent's server side, or the gateway's without eBPF.
        ScoreConfig dashboardWindow = scoreConfig.withWindow(DashboardData.WINDOW)
                .withSides(node.agent != null ? java.util.List.of("server") : java.util.List.of("gateway"));
        DashboardData dashboard = new DashboardData(node.registry, WindowSources.embedded(node.metrics, dashboardWindow),
                scorer, gateway, node.agent, node.captureUnavailable, node.recentErrors, clock, node.learner);
        node.route("/api/v1/dashboard", request -> AdminHttpServer.Response.json(dashboard.json()));
        DashboardRoutes.install(node);
        return new AllInOne(node, scorer, gateway, adminToken, scheduler);
    }

    ScoreSource scores() {
        return scorer;
    }

    String dashboardUrl() {
        return node.baseUrl() + "/";
    }

    /** For the start-up line: where the admin token is, or empty without an admin API. */
    String adminTokenNote() {
        return adminToken == null ? "" : "; admin token (Authorization: Bearer) in " + adminToken.where();
    }

    URI gatewayUrl() {
        return gateway == null ? null : URI.create("http://127.0.0.1:" + gateway.port());
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
        scorer.close();
        scheduler.shutdownNow();
        node.close();
    }
}
