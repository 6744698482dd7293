package dev.apiguard.app;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.Command;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.app.config.ConfigException;
import dev.apiguard.app.config.Listen;
import dev.apiguard.capture.CaptureException;
import dev.apiguard.gateway.GatewayConfig;
import dev.apiguard.score.ScoreConfig;
import dev.apiguard.score.ScoreConfigFile;

/** {@code ./apiguard run}: the all-in-one on one node. */
final class RunCommand implements Command {
    static final String DEFAULT_LISTEN = "127.0.0.1:9400";

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "all-in-one on one node: agent + scorer + dashboard (+ gateway with --backend)";
    }

    @Override
    public String help() {
        return """
                usage: ./apiguard run [options]

                The agent (eBPF capture), the embedded scorer and the dashboard in one process, plus
                the gateway when --backend is given. Everything is served on one port: / (dashboard),
                /metrics, /api/v1/endpoints, /api/v1/scores, /api/v1/breakers, /api/v1/dashboard.
                With a gateway, POST /api/v1/breakers/{route}/force-open|disable|reset needs the admin
                token (Authorization: Bearer, Content-Type: application/json); the start line says where
                it is kept (admin.token-file, or APIGUARD_ADMIN_TOKEN). A foreign Host or Origin gets 403.
                Without eBPF (not root, no BTF) it says so in one line and runs on the gateway's
                observations alone; --no-capture does that on purpose. Either way the gateway's verdicts
                go through the same pipeline as the agent's: metrics, the dashboard's recent business
                errors, the verdict log.

                options:
                  --listen HOST:PORT          dashboard and APIs (default 127.0.0.1:9400)
                  --config FILE               YAML config: sections agent, routes, semantics, score, gateway (docs/configuration.md)
                  --backend URL               also run the gateway in front of this backend
                  --no-capture                do not load eBPF: observe through the gateway only (needs --backend)
                  --gateway-listen HOST:PORT  the gateway's proxy port (default 127.0.0.1:8081)
                  --pid N | --comm NAME | --port N   capture filters (default: every process but this one)
                  --duration D                stop after D (PT10M, 10m); default: until SIGTERM/Ctrl-C

                exit codes: 0 ok, 1 runtime failure, 2 usage, config or preflight error
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of("listen", "config", "backend", "gateway-listen", "pid", "comm", "port", "duration"),
                Set.of("no-capture"));
        if (args.has("no-capture") && !args.has("backend")) {
            throw new UsageException("--no-capture needs --backend URL: without capture only the gateway observes anything");
        }
        NodeOptions options = withListen(NodeOptions.from(args), args.getListen("listen", DEFAULT_LISTEN));
        Duration duration = args.getDuration("duration", null);
        String gatewayListen = args.getListen("gateway-listen", "127.0.0.1:8081");
        ScoreConfig score = scoreConfig(args, ScoreConfig.defaults());
        GatewayConfig gateway = args.has("backend")
                ? gatewayConfig(args.get("backend"), Listen.parse(gatewayListen, "--gateway-listen"), null)
                : null;
        Node.Capture capture = args.has("no-capture") ? Node.Capture.OFF : Node.Capture.OPTIONAL;
        try (AllInOne all = AllInOne.start(options, score, gateway, Clock.systemUTC(), capture)) {
            System.err.println("apiguard run: dashboard at " + all.dashboardUrl()
                    + (gateway != null ? ", gateway at " + all.gatewayUrl() : "") + all.adminTokenNote());
            all.node.awaitShutdown(duration);
        } catch (ConfigException | CaptureException e) {
            throw new UsageException(e.getMessage());
        }
        return 0;
    }

    static NodeOptions withListen(NodeOptions o, String listen) {
        return new NodeOptions(o.config(), listen, o.onlyPid(), o.onlyComm(), o.onlyPort());
    }

    /** The {@code score:} section of --config over {@code base}. */
    static ScoreConfig scoreConfig(Args args, ScoreConfig base) throws UsageException {
        if (!args.has("config")) {
            return base;
        }
        try {
            return ScoreConfigFile.load(Path.of(args.get("config")), base);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static GatewayConfig gatewayConfig(String backend, Listen listen, dev.apiguard.gateway.BreakerConfig breaker)
            throws UsageException {
        URI uri;
        try {
            uri = URI.create(backend);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--backend: '" + backend + "' is not a URL (e.g. http://127.0.0.1:8080)");
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new UsageException("--backend: '" + backend + "' must be an http:// URL with a host");
        }
        try {
            GatewayConfig.Builder b = GatewayConfig.builder(uri).listen(listen.host(), listen.port()).noAdmin();
            if (breaker != null) {
                b.breaker(breaker);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
