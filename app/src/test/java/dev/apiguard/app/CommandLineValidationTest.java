package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.UsageException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every number and duration option of every command: valid values are accepted (through the
 * getter or parser the command itself uses), invalid ones make the real CLI, in its own JVM, exit 2
 * with one line that names the option and the value, before anything is started.
 */
class CommandLineValidationTest {
    private static final String SCORER = "--prometheus=http://127.0.0.1:1";
    private static final String BACKEND = "--backend=http://127.0.0.1:1";

    /** How the command reads a valid value; throws when it rejects it. */
    interface Accepts {
        void check(String option, String value) throws Exception;
    }

    /** {@code before}: options the command needs anyway (passed before the one under test). */
    record Row(String command, List<String> before, String option, List<String> valid, List<String> invalid, Accepts accepts) {}

    private static final List<String> DURATIONS_OK = List.of("90s", "PT1.5S", "250ms", "1h", "P365D", "1ms");
    /** Every kind of bad duration, for the agent; the other commands read durations through the same getter. */
    private static final List<String> DURATIONS_BAD = List.of("-1s", "0s", "PT0S", "PT-1S", "1.5s", "90x", "P366D",
            "9223372036854775807h", "");
    private static final List<String> SOME_DURATIONS_BAD = List.of("-1s", "0s", "P366D");
    /** The one listen grammar of every command: HOST:PORT, [IPv6]:PORT, :PORT and PORT (127.0.0.1). */
    private static final List<String> LISTEN_OK = List.of("127.0.0.1:0", "127.0.0.1:65535", "[::1]:9400", "0.0.0.0:8080",
            ":0", "0");
    private static final List<String> LISTEN_BAD = List.of("127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:", "::1:9400",
            "host:x", "[::1]9400", "");

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        // If a value were wrongly accepted, these keep the started command short-lived and off fixed ports.
        List<String> agentSafety = List.of("--duration=2s", "--listen=127.0.0.1:0");
        for (String command : List.of("agent", "run")) {
            List<String> safety = command.equals("run") ? List.of("--duration=2s", "--listen=127.0.0.1:0",
                    "--gateway-listen=127.0.0.1:0") : agentSafety;
            List<String> bad = command.equals("agent") ? DURATIONS_BAD : SOME_DURATIONS_BAD;
            rows.add(new Row(command, safety, "pid", List.of("1", "4194304", "+7"), List.of("-5", "0", "abc", "4194305",
                    "99999999999", "1.0"), (o, v) -> assertThat(node(o, v).onlyPid()).isEqualTo(Integer.parseInt(v))));
            rows.add(new Row(command, safety, "comm", List.of("nginx", "abcdefghijklmno", "ßßßßßßß"),
                    List.of("abcdefghijklmnop", ""), (o, v) -> assertThat(node(o, v).onlyComm()).isEqualTo(v)));
            rows.add(new Row(command, safety, "port", List.of("1", "443", "65535"), List.of("0", "-1", "65536", "http"),
                    (o, v) -> assertThat(node(o, v).onlyPort()).isEqualTo(Integer.parseInt(v))));
            rows.add(new Row(command, safety, "listen", LISTEN_OK, LISTEN_BAD,
                    (o, v) -> assertThat(node(o, v).listen()).isEqualTo(dev.apiguard.config.Listen.parse(v))));
            rows.add(new Row(command, safety, "duration", DURATIONS_OK, bad, CommandLineValidationTest::duration));
        }
        rows.add(new Row("run", List.of("--duration=2s", "--listen=127.0.0.1:0"), "gateway-listen", LISTEN_OK, LISTEN_BAD,
                (o, v) -> assertThat(args(o, v).getListen(o, null)).isEqualTo(v)));
        List<String> demo = List.of("--duration=5s", "--incident-start=1s", "--incident-length=1s", "--listen=127.0.0.1:0",
                "--gateway-listen=127.0.0.1:0");
        rows.add(new Row("demo", demo, "duration", List.of("90s", "PT3M", "1h"), SOME_DURATIONS_BAD, CommandLineValidationTest::duration));
        rows.add(new Row("demo", demo, "incident-start", List.of("1s", "PT30S", "2m"), SOME_DURATIONS_BAD, CommandLineValidationTest::duration));
        rows.add(new Row("demo", demo, "incident-length", DURATIONS_OK, SOME_DURATIONS_BAD, CommandLineValidationTest::duration));
        rows.add(new Row("demo", demo, "incident-rate", List.of("0", "0.5", "1"), List.of("1.5", "-0.1", "NaN", "half"),
                (o, v) -> assertThat(args(o, v).getDouble(o, -1, 0, 1, "a share")).isEqualTo(Double.parseDouble(v))));
        rows.add(new Row("demo", demo, "rate", List.of("1", "40", "2000"), List.of("0", "2001", "-3", "ten"),
                (o, v) -> assertThat(args(o, v).getInt(o, -1, 1, 2000)).isEqualTo(Integer.parseInt(v))));
        rows.add(new Row("demo", demo, "listen", LISTEN_OK, LISTEN_BAD,
                (o, v) -> assertThat(node(o, v).listen()).isEqualTo(dev.apiguard.config.Listen.parse(v))));
        rows.add(new Row("demo", demo, "gateway-listen", LISTEN_OK, LISTEN_BAD,
                (o, v) -> assertThat(args(o, v).getListen(o, null)).isEqualTo(v)));
        rows.add(new Row("scorer", List.of(SCORER, "--listen=127.0.0.1:0"), "window", List.of("5m", "PT10M", "1h"), SOME_DURATIONS_BAD,
                (o, v) -> assertThat(ScorerCommand.parse(List.of(SCORER, "--window", v)).config().window())
                        .isEqualTo(Args.Durations.parse(v))));
        rows.add(new Row("scorer", List.of(SCORER, "--listen=127.0.0.1:0"), "interval", List.of("1s", "PT5S", "250ms"), SOME_DURATIONS_BAD,
                (o, v) -> assertThat(ScorerCommand.parse(List.of(SCORER, "--interval", v)).config().interval())
                        .isEqualTo(Args.Durations.parse(v))));
        rows.add(new Row("scorer", List.of(SCORER, "--listen=127.0.0.1:0"), "listen", LISTEN_OK, LISTEN_BAD,
                (o, v) -> assertThat(ScorerCommand.parse(List.of(SCORER, "--listen", v)).port())
                        .isEqualTo(Integer.parseInt(v.substring(v.lastIndexOf(':') + 1)))));
        for (String timeout : List.of("connect-timeout", "response-timeout")) {
            rows.add(new Row("gateway", List.of(BACKEND, "--listen=127.0.0.1:0", "--admin-listen=127.0.0.1:0"), timeout, List.of("1s", "PT30S", "250ms"), SOME_DURATIONS_BAD,
                    (o, v) -> gateway(o, v)));
        }
        rows.add(new Row("gateway", List.of(BACKEND, "--listen=127.0.0.1:0", "--admin-listen=127.0.0.1:0"), "listen", LISTEN_OK,
                LISTEN_BAD, (o, v) -> gateway(o, v)));
        rows.add(new Row("gateway", List.of(BACKEND, "--listen=127.0.0.1:0", "--admin-listen=127.0.0.1:0"), "admin-listen", LISTEN_OK,
                LISTEN_BAD, (o, v) -> gateway(o, v)));
        rows.add(new Row("classify", List.of("--content-type=application/json"), "status", List.of("100", "200", "599"),
                List.of("99", "600", "abc", "-200"), (o, v) -> assertThat(args(o, v).getInt(o, 0, 100, 599, "an HTTP status"))
                        .isEqualTo(Integer.parseInt(v))));
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> validValuesAreAccepted() {
        return rows().stream().flatMap(row -> row.valid().stream().map(value -> DynamicTest.dynamicTest(
                row.command() + " --" + row.option() + " " + value, () -> row.accepts().check(row.option(), value))));
    }

    @TestFactory
    Stream<DynamicTest> invalidValuesExitTwoWithOneLineNamingTheOption() {
        // The first bad value of each option in its own JVM (the real CLI), the others through Main in this one.
        return rows().stream().flatMap(row -> row.invalid().stream().map(value -> DynamicTest.dynamicTest(
                row.command() + " --" + row.option() + " '" + value + "'", () -> {
                    List<String> argv = new ArrayList<>(row.before());
                    argv.add("--" + row.option() + "=" + value);
                    Result r = value.equals(row.invalid().getFirst()) ? cli(row.command(), argv) : inProcess(row.command(), argv);
                    assertThat(r.exit()).as(r.err()).isEqualTo(2);
                    assertThat(r.err().lines().toList()).as("one line").hasSize(1);
                    assertThat(r.err()).startsWith("apiguard " + row.command() + ": ")
                            .contains("--" + row.option())
                            .contains("'" + value)
                            .doesNotContain("Exception", "\tat ");
                    assertThat(r.out()).isEmpty();
                })));
    }

    /** The message says what is allowed, for each kind of option. */
    @Test
    void messagesSayWhatIsAllowed() throws Exception {
        assertThat(cli("agent", List.of("--pid", "-5")).err())
                .isEqualTo("apiguard agent: --pid '-5': must be a process id within 1..4194304\n");
        assertThat(cli("agent", List.of("--comm", "averyverylongname")).err())
                .isEqualTo("apiguard agent: --comm 'averyverylongname': must be a process name of 1..15 bytes "
                        + "(TASK_COMM_LEN - 1: all the kernel keeps of a name), not 17\n");
        assertThat(cli("agent", List.of("--duration", "-1s")).err()).isEqualTo("apiguard agent: --duration '-1s': must be "
                + "a duration from 1ms to 365 days: ISO-8601 like PT90S, or 90s, 5m, 250ms, 1h\n");
        assertThat(cli("run", List.of("--port", "70000")).err())
                .isEqualTo("apiguard run: --port '70000': must be a port within 1..65535\n");
        assertThat(cli("demo", List.of("--incident-start", "5m", "--duration", "2m")).err())
                .isEqualTo("apiguard demo: --incident-start '5m': must be before the end of the demo (--duration PT2M)\n");
    }

    /** A value the kernel would read differently is never passed on: the check is in bytes, as the kernel counts. */
    @Test
    void commIsCountedInBytes() throws Exception {
        assertThat(args("comm", "ééééééé").getComm("comm")).isEqualTo("ééééééé"); // 14 bytes
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> args("comm", "éééééééé").getComm("comm"))
                .isInstanceOf(UsageException.class).hasMessageEndingWith("not 16");
    }

    @Test
    void absentOptionsKeepTheirDefaults() throws Exception {
        Args none = Args.parse(List.of(), Set.of("pid", "comm", "port", "duration"), Set.of());
        assertThat(none.getPid("pid")).isZero();
        assertThat(none.getComm("comm")).isEmpty();
        assertThat(none.getFilterPort("port")).isZero();
        assertThat(none.getDuration("duration", Duration.ofMinutes(3))).isEqualTo(Duration.ofMinutes(3));
        assertThat(none.getDuration("duration", null)).isNull();
    }

    private static Args args(String option, String value) throws UsageException {
        return Args.parse(List.of("--" + option, value), Set.of(option), Set.of());
    }

    /** What agent, run and demo build from their filter and listen options. */
    private static NodeOptions node(String option, String value) throws Exception {
        return NodeOptions.from(args(option, value));
    }

    private static void duration(String option, String value) throws UsageException {
        assertThat(args(option, value).getDuration(option, null)).isEqualTo(Args.Durations.parse(value)).isPositive();
    }

    private static void gateway(String option, String value) throws UsageException {
        Args a = Args.parse(List.of(BACKEND, "--" + option, value), Set.of("backend", option), Set.of());
        GatewayCommand.Settings s = GatewayCommand.Settings.load(a);
        switch (option) {
            case "connect-timeout" -> assertThat(s.config().connectTimeout()).isEqualTo(Args.Durations.parse(value));
            case "response-timeout" -> assertThat(s.config().responseTimeout()).isEqualTo(Args.Durations.parse(value));
            case "listen" -> assertThat(s.config().listenPort()).isEqualTo(Integer.parseInt(value.substring(value.lastIndexOf(':') + 1)));
            case "admin-listen" -> assertThat(s.config().adminPort()).isEqualTo(Integer.parseInt(value.substring(value.lastIndexOf(':') + 1)));
            default -> throw new AssertionError(option);
        }
    }

    record Result(int exit, String out, String err) {}

    /** {@link Main#execute}: the CLI without its own JVM (stdin is not read: every case fails before). */
    static Result inProcess(String command, List<String> args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of(command));
        argv.addAll(args);
        int exit = Main.execute(argv.toArray(String[]::new), new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The real CLI in its own JVM, stdin empty. */
    static Result cli(String command, List<String> args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), command));
        argv.addAll(args);
        Path err = java.nio.file.Files.createTempFile("apiguard-cli", ".err");
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("apiguard " + command + " " + args + " did not exit within 30 s: it started instead of failing");
            }
            return new Result(p.exitValue(), out, java.nio.file.Files.readString(err));
        } finally {
            java.nio.file.Files.deleteIfExists(err);
        }
    }
}
