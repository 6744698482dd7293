package dev.apiguard.app;

import java.util.List;

import dev.apiguard.app.cli.Command;

/** {@code ./apiguard classify}: not built yet. */
final class ClassifyCommand implements Command {
    @Override
    public String name() {
        return "classify";
    }

    @Override
    public String summary() {
        return "classify one response body (stdin) or JSON lines (--jsonl); prints verdict JSON";
    }

    @Override
    public String help() {
        return "usage: ./apiguard classify\n\n" + summary() + "\n";
    }

    @Override
    public int run(List<String> args) {
        System.err.println("apiguard classify: not implemented yet");
        return 1;
    }
}
