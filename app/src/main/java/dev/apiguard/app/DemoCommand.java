package dev.apiguard.app;

import java.util.List;

import dev.apiguard.app.cli.Command;

/** {@code ./apiguard demo}: not built yet. */
final class DemoCommand implements Command {
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
        return "usage: ./apiguard demo\n\n" + summary() + "\n";
    }

    @Override
    public int run(List<String> args) {
        System.err.println("apiguard demo: not implemented yet");
        return 1;
    }
}
