package dev.apiguard.app;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.apiguard.app.cli.Command;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.config.ConfigException;

/** {@code ./apiguard <command> [options]}: the single entry point of every command. */
public final class Main {
    private Main() {}

    static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        for (Command c : List.of(
                new AgentCommand(),
                new ClassifyCommand(),
                new ScorerCommand(),
                new GatewayCommand(),
                new RunCommand(),
                new DemoCommand(),
                new RulesCommand())) {
            commands.put(c.name(), c);
        }
        return commands;
    }

    public static void main(String[] argv) {
        // One line per log record: time, level, logger, message.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        System.exit(execute(argv, System.out, System.err));
    }

    static int execute(String[] argv, PrintStream out, PrintStream err) {
        Map<String, Command> commands = commands();
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
            out.print(overview(commands));
            return argv.length == 0 ? 2 : 0;
        }
        Command command = commands.get(argv[0]);
        if (command == null) {
            err.println("apiguard: unknown command '" + argv[0] + "'. Commands: " + String.join(", ", commands.keySet()));
            return 2;
        }
        List<String> args = Arrays.asList(argv).subList(1, argv.length);
        if (args.contains("--help") || args.contains("-h")) {
            out.print(command.help());
            return 0;
        }
        try {
            return command.run(args);
        } catch (UsageException | ConfigException e) {
            err.println("apiguard " + command.name() + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            // A last resort: one line, no stack trace. Commands handle expected failures themselves.
            err.println("apiguard " + command.name() + ": failed: " + e);
            return 1;
        }
    }

    static String overview(Map<String, Command> commands) {
        StringBuilder text = new StringBuilder("usage: ./apiguard <command> [options]   (--help on each command)\n\ncommands:\n");
        commands.values().forEach(c -> text.append(String.format("  %-10s %s%n", c.name(), c.summary())));
        return text.toString();
    }
}
