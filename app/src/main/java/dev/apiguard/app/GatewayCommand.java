package dev.apiguard.app;

import java.util.List;

import dev.apiguard.app.cli.Command;

/** {@code ./apiguard gateway}: not built yet. */
final class GatewayCommand implements Command {
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
        return "usage: ./apiguard gateway\n\n" + summary() + "\n";
    }

    @Override
    public int run(List<String> args) {
        System.err.println("apiguard gateway: not implemented yet");
        return 1;
    }
}
