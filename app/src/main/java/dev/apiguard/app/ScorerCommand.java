package dev.apiguard.app;

import java.util.List;

import dev.apiguard.app.cli.Command;

/** {@code ./apiguard scorer}: not built yet. */
final class ScorerCommand implements Command {
    @Override
    public String name() {
        return "scorer";
    }

    @Override
    public String summary() {
        return "0-100 health score per endpoint from Prometheus or the embedded registry";
    }

    @Override
    public String help() {
        return "usage: ./apiguard scorer\n\n" + summary() + "\n";
    }

    @Override
    public int run(List<String> args) {
        System.err.println("apiguard scorer: not implemented yet");
        return 1;
    }
}
