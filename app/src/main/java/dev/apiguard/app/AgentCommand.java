package dev.apiguard.app;

import java.util.List;

import dev.apiguard.app.cli.Command;

/** {@code ./apiguard agent}: not built yet. */
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
        return "usage: ./apiguard agent\n\n" + summary() + "\n";
    }

    @Override
    public int run(List<String> args) {
        System.err.println("apiguard agent: not implemented yet");
        return 1;
    }
}
