package dev.apiguard.app;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.Command;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.capture.CaptureException;
import dev.apiguard.config.ConfigException;
import dev.apiguard.config.ConfigNode;
import dev.apiguard.config.Listen;
import dev.apiguard.gateway.GatewayConfig;

/** {@code ./apiguard run}: the all-in-one on one node. */
final class RunCommand implements Command {
    /** The dashboard's address: run's own default of {@code agent.listen} (the agent alone serves on 9464). */
    static final Listen DEFAULT_LISTEN = new Listen(Listen.LOOPBACK, 9400);
    /** run's defaults below the file: the dashboard port. */
    static final String RUN_DEFAULTS = "agent: {listen: '" + DEFAULT_LISTEN + "'}";

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
                the gateway when a backend is given (--backend or gateway.backend). Everything is served
                on one port: / (dashboard), /metrics, /api/v1/endpoints, /api/v1/scores, /api/v1/breakers,
                /api/v1/dashboard. With a gateway, POST /api/v1/breakers/{route}/force-open|disable|reset
                needs the admin token (Authorization: Bearer, Content-Type: application/json); the start line
                says where it is kept (admin.token-file, or APIGUARD_ADMIN_TOKEN). A foreign Host or Origin
                gets 403. Without eBPF (not root, no BTF) it says so in one line and runs on the gateway's
                observations alone; --no-capture does that on purpose. Either way the gateway's verdicts
                go through the same pipeline as the agent's: metrics, the dashboard's recent business
                errors, the verdict log.

                options:
                  --listen HOST:PORT          dashboard and APIs (default %s); overrides agent.listen
                  --config FILE               the YAML config (docs/configuration.md): every section is used,
                                              gateway: included (its admin API is this port, so gateway.admin-listen
                                              and gateway.scores are refused: the embedded scorer drives the breakers)
                  --backend URL               also run the gateway in front of this backend; overrides gateway.backend
                  --no-capture                do not load eBPF: observe through the gateway only (needs a backend)
                  --gateway-listen HOST:PORT  the gateway's proxy address (default %s); overrides gateway.listen
                  --pid N | --comm NAME | --port N   capture filters (default: every process but this one)
                  --netns NAME|PATH           capture only sockets of this network namespace (ip netns NAME or an nsfs path)
                  --duration D                stop after D (PT10M, 10m); default: until SIGTERM/Ctrl-C

                HOST:PORT everywhere: HOST:PORT, [IPv6]:PORT, or :PORT / PORT for 127.0.0.1.
                exit codes: 0 ok, 1 runtime failure, 2 usage, config or preflight error
                """.formatted(DEFAULT_LISTEN, new Listen(GatewayConfig.DEFAULTS.listenHost(), GatewayConfig.DEFAULTS.listenPort()));
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of("listen", "config", "backend", "gateway-listen", "pid", "comm", "port", "netns", "duration"),
                Set.of("no-capture"));
        Duration duration = args.getDuration("duration", null);
        ConfigNode file = NodeOptions.file(args);
        refuse(file, "gateway.admin-listen", "run serves the breakers API on its own --listen port");
        refuse(file, "gateway.scores", "run's embedded scorer drives the breakers");
        Map<String, Object> flags = new LinkedHashMap<>();
        if (args.has("backend")) {
            flags.put("gateway.backend", backend(args.get("backend")).toString());
        }
        Listen gatewayListen = args.getListenAddress("gateway-listen", null);
        if (gatewayListen != null) {
            flags.put("gateway.listen", gatewayListen.toString());
        }
        flags.put("gateway.admin-listen", "off");
        NodeOptions options = NodeOptions.from(args, file.withDefaults(RUN_DEFAULTS).withValues(flags));
        GatewayConfig gateway = options.config().gateway().proxy().orElse(null);
        if (args.has("no-capture") && gateway == null) {
            throw new UsageException("--no-capture needs a backend (--backend URL or gateway.backend): without capture "
                    + "only the gateway observes anything");
        }
        Node.Capture capture = args.has("no-capture") ? Node.Capture.OFF : Node.Capture.OPTIONAL;
        try (AllInOne all = AllInOne.start(options, options.config().score(), gateway, Clock.systemUTC(), capture)) {
            System.err.println("apiguard run: dashboard at " + all.dashboardUrl()
                    + (gateway != null ? ", gateway at " + all.gatewayUrl() : "") + all.adminTokenNote());
            all.node.awaitShutdown(duration);
        } catch (CaptureException e) {
            throw new UsageException(e.getMessage());
        }
        return 0;
    }

    /** A key the file may not set for this command: an error naming it and why, not a silent ignore. */
    static void refuse(ConfigNode file, String keyPath, String why) {
        String[] parts = keyPath.split("\\.");
        ConfigNode section = file;
        for (int i = 0; i < parts.length - 1; i++) {
            section = section.section(parts[i]);
        }
        if (section.has(parts[parts.length - 1])) {
            throw new ConfigException(keyPath, "not used by this command (" + why + "); remove it");
        }
    }

    /** {@code --backend}: checked here so that the message names the flag. */
    static URI backend(String text) throws UsageException {
        return httpUrl("backend", text);
    }

    /** An {@code http://HOST:PORT} flag, checked here so that the message names the flag. */
    static URI httpUrl(String flag, String text) throws UsageException {
        URI uri;
        try {
            uri = URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + flag + " '" + text + "': must be an http://HOST:PORT URL (e.g. http://127.0.0.1:8080)");
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new UsageException("--" + flag + " '" + text + "': must be an http://HOST:PORT URL (e.g. http://127.0.0.1:8080)");
        }
        return uri;
    }
}
