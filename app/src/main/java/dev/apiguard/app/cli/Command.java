package dev.apiguard.app.cli;

import java.util.List;

/** One {@code ./apiguard <command>}. */
public interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /** The full {@code --help} text: usage, options with defaults, examples. */
    String help();

    /**
     * Runs the command.
     *
     * @return the exit code: 0 ok, 1 runtime failure, 2 usage, config or preflight error
     * @throws UsageException for bad arguments (printed with a hint, exit code 2)
     */
    int run(List<String> args) throws Exception;
}
