package dev.apiguard.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.Command;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.config.ConfigNode;
import dev.apiguard.config.Listen;
import dev.apiguard.app.demo.DemoLoad;
import dev.apiguard.app.demo.IncidentTimeline;
import dev.apiguard.capture.CaptureException;
import dev.apiguard.gateway.GatewayConfig;
import dev.apiguard.score.ScoreConfig;

/**
 * {@code ./apiguard demo}: the all-in-one in front of a sample shop, a bounded load, and a scripted
 * silent-200 incident on checkout, with a live status line and a final summary.
 */
final class DemoCommand implements Command {
    static final String CHECKOUT = "/api/v1/checkout";

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run + a sample shop + load + a scripted silent-200 incident";
    }

    @Override
    public String help() {
        return """
                usage: ./apiguard demo [options]

                Starts a sample shop (a separate process), the all-in-one (agent, scorer, dashboard)
                with the gateway in front of the shop, and a bounded load through the gateway. After
                --incident-start, a share of checkouts answers 200 OK with {"success":false,...} for
                --incident-length; then the shop recovers. Open the dashboard while it runs.
                Ctrl-C stops everything cleanly (child processes, BPF programs).

                options:
                  --duration D          total run time (default PT3M; ISO-8601 or 90s, 3m)
                  --incident-start D    when the incident begins (default PT30S)
                  --incident-length D   how long it lasts (default PT30S)
                  --incident-rate R     share of checkouts that fail silently during it (default 0.5)
                  --rate N              requests per second of load (default 40)
                  --listen HOST:PORT    dashboard and APIs (default %s); overrides agent.listen
                  --gateway-listen HOST:PORT   the gateway (default %s); overrides gateway.listen
                  --config FILE         the YAML config (docs/configuration.md); its values win over the demo's
                                        own defaults (score window PT20S, interval PT1S, ...). The demo wires
                                        the backend, scorer and capture filter itself: gateway.backend,
                                        gateway.admin-listen, gateway.scores and agent.capture.only-* are refused

                The final summary gives the incident's start, when the score dropped below 70 (T+x s),
                when checkout's breaker opened (T+y s), the requests shed, and the false trips.
                """.formatted(RunCommand.DEFAULT_LISTEN, new Listen(GatewayConfig.DEFAULTS.listenHost(), GatewayConfig.DEFAULTS.listenPort()));
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of("duration", "incident-start", "incident-length", "incident-rate", "rate",
                "listen", "gateway-listen", "config"), Set.of());
        Duration duration = args.getDuration("duration", Duration.ofMinutes(3));
        Duration incidentStart = args.getDuration("incident-start", Duration.ofSeconds(30));
        Duration incidentLength = args.getDuration("incident-length", Duration.ofSeconds(30));
        if (incidentStart.compareTo(duration) >= 0) {
            throw new UsageException("--incident-start '" + args.get("incident-start", "PT30S") + "': must be before the end of the demo (--duration "
                    + duration + ")");
        }
        double incidentRate = args.getDouble("incident-rate", 0.5, 0, 1, "a share of checkouts");
        int rate = args.getInt("rate", 40, 1, 2000, "requests per second, a whole number");
        ConfigNode file = NodeOptions.file(args);
        for (String key : List.of("gateway.backend", "gateway.admin-listen", "gateway.scores", "agent.capture.only-pid",
                "agent.capture.only-comm", "agent.capture.only-port")) {
            RunCommand.refuse(file, key, "the demo wires its own shop, scorer and capture filter");
        }
        int shopPort = freePort();
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("gateway.backend", "http://127.0.0.1:" + shopPort);
        flags.put("gateway.admin-listen", "off");
        Listen gatewayListen = args.getListenAddress("gateway-listen", null);
        if (gatewayListen != null) {
            flags.put("gateway.listen", gatewayListen.toString());
        }
        // Everything is bound and checked before the shop starts.
        NodeOptions options = NodeOptions.from(args, file.withDefaults(DEMO_DEFAULTS).withValues(flags));
        ScoreConfig score = options.config().score();
        GatewayConfig gateway = options.config().gateway().proxy().orElseThrow();
        Path python = findPython();
        Path shopScript = extractShop();
        ProcessBuilder shopCommand = new ProcessBuilder(python.toString(), shopScript.toString(), String.valueOf(shopPort),
                String.valueOf(incidentStart.toMillis() / 1000.0),
                String.valueOf(incidentStart.plus(incidentLength).toMillis() / 1000.0),
                String.valueOf(incidentRate))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // The agent's service name for the shop, whatever systemd unit or container the demo runs in.
        shopCommand.environment().put("OTEL_SERVICE_NAME", "shop");
        Process shop = shopCommand.start();
        Instant shopStarted = Instant.now();
        Thread killShop = Thread.ofPlatform().unstarted(shop::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killShop);
        try {
            awaitPort(shopPort, shop);
            // The demo watches its shop only, so that other traffic on this node does not crowd the dashboard.
            NodeOptions shopOnly = options.withOnlyPid((int) shop.pid());
            try (AllInOne all = AllInOne.start(shopOnly, score, gateway, Clock.systemUTC());
                    DemoLoad load = new DemoLoad(all.gatewayUrl(), rate)) {
                System.err.println("apiguard demo: dashboard at " + all.dashboardUrl() + "  (shop on 127.0.0.1:" + shopPort
                        + ", gateway at " + all.gatewayUrl() + ", incident at T+" + incidentStart.toSeconds() + "s for "
                        + incidentLength.toSeconds() + "s)" + all.adminTokenNote());
                IncidentTimeline timeline = new IncidentTimeline(CHECKOUT, shopStarted.plus(incidentStart),
                        shopStarted.plus(incidentStart).plus(incidentLength));
                load.start(duration);
                DemoStatus status = new DemoStatus(all, load, timeline, shopStarted);
                status.runUntil(shopStarted.plus(duration), all.node);
                System.out.println(status.summary());
            }
        } catch (CaptureException e) {
            throw new UsageException(e.getMessage());
        } finally {
            shop.destroyForcibly();
            try {
                Runtime.getRuntime().removeShutdownHook(killShop);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        return 0;
    }

    /**
     * The demo's defaults below the file: scores react within seconds (a short window, frequent
     * evaluations), checkout is critical, and the breaker acts on a low score after 3 s.
     */
    static final String DEMO_DEFAULTS = """
            agent: {listen: '%s'}
            score:
              window: PT20S
              interval: PT1S
              min-requests: 10
              dwell: PT2S
              routes:
                - {path: '%s', criticality: critical}
                - {path: /health, criticality: low}
            gateway:
              service: shop
              breaker: {score-dwell: PT3S}
            """.formatted(RunCommand.DEFAULT_LISTEN, CHECKOUT);

    private static Path findPython() throws UsageException {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "python3");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new UsageException("the demo's shop needs python3 (apt-get install python3)");
    }

    private static Path extractShop() throws IOException {
        Path dir = Files.createTempDirectory("apiguard-demo");
        dir.toFile().deleteOnExit();
        Path script = dir.resolve("shop.py");
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/shop.py")) {
            Files.copy(in, script);
        }
        script.toFile().deleteOnExit();
        return script;
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process shop) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (!shop.isAlive()) {
                throw new IOException("the demo shop exited at start (exit " + shop.exitValue() + ")");
            }
            try (var s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("the demo shop did not start listening on 127.0.0.1:" + port);
    }
}
