package dev.apiguard.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.Command;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.app.config.ApiguardConfig;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.semantics.learn.BaselineSnapshot;
import dev.apiguard.semantics.learn.LearnedClassifier;
import dev.apiguard.semantics.learn.LearningSettings;
import dev.apiguard.semantics.learn.RuleSuggester;

/** {@code ./apiguard rules suggest}: user rules proposed from learned per-route baselines. */
final class RulesCommand implements Command {
    private static final Set<String> VALUED = Set.of("agent", "from-jsonl", "config");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final PrintStream out;
    private final PrintStream err;

    RulesCommand() {
        this(System.out, System.err);
    }

    RulesCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public String summary() {
        return "rules suggest: propose user rules from the baselines the agent learned";
    }

    @Override
    public String help() {
        return """
                usage: ./apiguard rules suggest [--agent HOST:PORT]
                       ./apiguard rules suggest --from-jsonl FILE [--config FILE]

                Prints, as the semantics section of a config file (YAML), one user rule per route,
                outcome field and error type for the values that route's learned baseline flagged
                (when: {pointer: ..., in: [...]}), with comments on what was learned. Review them,
                then pin them under semantics.rules in the agent's config: a pinned rule gives the
                same verdicts from the first response after a restart, before any learning.

                options:
                  --agent HOST:PORT   read GET /api/v1/baselines of a running agent (or run/demo)
                                      (default 127.0.0.1:9464)
                  --from-jsonl FILE   learn from recorded responses instead: JSON lines as for
                                      classify --jsonl, each with a "route" field
                  --config FILE       with --from-jsonl: the config whose semantics section (rules,
                                      severity, learning) to learn with

                exit codes: 0 ok, 1 the agent could not be read or a bad input line, 2 usage or config error
                """;
    }

    @Override
    public int run(List<String> argv) throws UsageException, IOException, InterruptedException {
        Args args = Args.parse(argv, VALUED, Set.of());
        List<String> positional = args.positional();
        if (positional.size() != 1 || !positional.getFirst().equals("suggest")) {
            throw new UsageException("expected the subcommand 'suggest' (./apiguard rules suggest [--agent HOST:PORT | --from-jsonl FILE])");
        }
        if (args.has("from-jsonl")) {
            if (args.has("agent")) {
                throw new UsageException("--agent and --from-jsonl do not go together");
            }
            return fromJsonl(Path.of(args.get("from-jsonl")), args.get("config"));
        }
        if (args.has("config")) {
            throw new UsageException("--config goes with --from-jsonl (the agent learns with its own config)");
        }
        String agent = args.getListen("agent", "127.0.0.1:9464");
        URI uri = URI.create("http://" + agent + "/api/v1/baselines");
        String body;
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()
                    .send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                err.println("apiguard rules: " + uri + " answered " + response.statusCode());
                return 1;
            }
            body = response.body();
        } catch (IOException e) {
            String why = e instanceof java.net.ConnectException ? "nothing answers there (is the agent running?)"
                    : e.getMessage() == null ? e.toString() : e.getMessage();
            err.println("apiguard rules: cannot read " + uri + ": " + why);
            return 1;
        }
        BaselineSnapshot snapshot;
        try {
            snapshot = BaselineSnapshot.fromJson(body);
        } catch (IllegalArgumentException e) {
            err.println("apiguard rules: " + uri + ": " + e.getMessage());
            return 1;
        }
        if (!snapshot.settings().enabled()) {
            err.println("apiguard rules: learning is off on that agent (semantics.learning.enabled: false)");
        }
        out.print(RuleSuggester.yaml(snapshot, "the agent at " + agent));
        out.flush();
        return 0;
    }

    private int fromJsonl(Path file, String configFile) throws UsageException, IOException {
        // Through the one loader: every section is checked, semantics: (rules, learning) is used.
        ApiguardConfig config = configFile == null ? ApiguardConfig.defaults() : ApiguardConfig.load(Path.of(configFile));
        LearningSettings learning = config.learning();
        if (!learning.enabled()) {
            throw new UsageException("semantics.learning.enabled is false in " + configFile + ": nothing to learn");
        }
        SemanticsConfig semantics = config.semantics();
        Classifier classifier = SemanticsSettings.withLearning(Classifiers.create(semantics), semantics, learning,
                e -> err.println("apiguard rules: internal error while learning (line skipped): " + e));
        LearnedClassifier learned = (LearnedClassifier) classifier;
        int bad = 0;
        long lines = 0;
        try (InputStream in = Files.newInputStream(file)) {
            ClassifyCommand.LineReader reader = new ClassifyCommand.LineReader(in, ClassifyCommand.MAX_LINE);
            for (long number = 1; ; number++) {
                ClassifyCommand.LineReader.Line line = reader.next();
                if (line == null) {
                    break;
                }
                lines++;
                try {
                    learned.classify(ClassifyCommand.sample(line, null));
                } catch (ClassifyCommand.BadLine e) {
                    bad++;
                    err.println("apiguard rules: " + file + ": line " + number + ": " + e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            throw new UsageException("--from-jsonl: " + file + " does not exist");
        }
        out.print(RuleSuggester.yaml(learned.learner().snapshot(), file + " (" + lines + " lines)"));
        out.flush();
        return bad == 0 ? 0 : 1;
    }
}
