package dev.apiguard.app;

import java.util.List;

import dev.apiguard.app.cli.Command;

/** {@code ./apiguard run}: not built yet. */
final class RunCommand implements Command {
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
        return "usage: ./apiguard run\n\n" + summary() + "\n";
    }

    @Override
    public int run(List<String> args) {
        System.err.println("apiguard run: not implemented yet");
        return 1;
    }
}
