package dev.apiguard.app;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.Command;
import dev.apiguard.app.agent.AgentSettings;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.capture.CaptureException;

/** {@code ./apiguard agent}: eBPF capture → metrics on 127.0.0.1:9464. */
final class AgentCommand implements Command {
    @Override
    public String name() {
        return "agent";
    }

    @Override
    public String summary() {
        return "eBPF capture of every process's HTTP/1.x traffic -> Prometheus metrics";
    }

    @Override
    public String help() {
        return """
                usage: ./apiguard agent [options]

                Watches the socket sends and receives of every process on this node with eBPF
                (socket-layer tracepoints), rebuilds HTTP/1.x exchanges, classifies response bodies,
                and serves Prometheus metrics. Needs root (or CAP_BPF + CAP_PERFMON) and a kernel
                with BTF (Linux 6.3 or later).

                options:
                  --listen HOST:PORT   where /metrics and /api/v1/endpoints are served (default %s); overrides agent.listen
                  --config FILE        the YAML config (docs/configuration.md); this command uses its sections
                                       agent, routes and semantics, and checks the others
                  --pid N              trace only this process (default: all but the agent); overrides agent.capture.only-pid
                  --comm NAME          trace only processes with this name; overrides agent.capture.only-comm
                  --port N             trace only connections with this local or remote port; overrides agent.capture.only-port
                  --netns NAME|PATH    trace only sockets of this network namespace: NAME as in `ip netns list`
                                       (/run/netns/NAME), or an nsfs path such as /proc/PID/ns/net; overrides
                                       agent.capture.netns
                  --duration D         stop after D (ISO-8601 like PT60S, or 60s); default: until SIGTERM/Ctrl-C

                HOST:PORT everywhere: HOST:PORT, [IPv6]:PORT, or :PORT / PORT for 127.0.0.1.
                exit codes: 0 ok, 1 runtime failure, 2 usage, config or preflight error
                """.formatted(AgentSettings.DEFAULT_LISTEN);
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args args = Args.parse(argv, Set.of("listen", "config", "pid", "comm", "port", "netns", "duration"), Set.of());
        NodeOptions options = NodeOptions.from(args);
        Duration duration = args.getDuration("duration", null);
        try (Node node = Node.start(options, false)) {
            System.err.println("apiguard agent: capturing; metrics at " + node.baseUrl() + "/metrics, endpoints at "
                    + node.baseUrl() + "/api/v1/endpoints");
            node.awaitShutdown(duration);
        } catch (CaptureException e) {
            throw new UsageException(e.getMessage());
        }
        return 0;
    }
}
