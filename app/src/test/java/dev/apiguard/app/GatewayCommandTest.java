package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.apiguard.app.cli.Args;
import dev.apiguard.gateway.GatewayConfig;
import dev.apiguard.semantics.ErrorType;
import dev.apiguard.semantics.ResponseSample;
import dev.apiguard.semantics.Verdict;

class GatewayCommandTest {

    private static int exec(String... argv) {
        return Main.execute(argv, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    }

    private static String err(String... argv) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.execute(argv, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void usageErrorsExitWith2AndOneLine() {
        assertThat(exec("gateway")).isEqualTo(2);
        assertThat(err("gateway")).isEqualTo("apiguard gateway: --backend URL is required (or gateway.backend in --config), "
                + "e.g. --backend http://127.0.0.1:8080\n");
        assertThat(err("gateway", "--backend", "ftp://x")).isEqualTo("apiguard gateway: --backend 'ftp://x': must be an "
                + "http://HOST:PORT URL (e.g. http://127.0.0.1:8080)\n");
        assertThat(exec("gateway", "--backend", "http://127.0.0.1:1", "--listen", "127.0.0.1:70000")).isEqualTo(2);
        assertThat(exec("gateway", "--backend", "http://127.0.0.1:1", "--response-timeout", "soon")).isEqualTo(2);
        assertThat(exec("gateway", "--backend", "http://127.0.0.1:1", "--bogus", "1")).isEqualTo(2);
        assertThat(exec("gateway", "--help")).isZero();
    }

    @Test
    void aPortInUseExitsWith2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // the command reports runtime failures on System.err itself
            PrintStream original = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                exec("gateway", "--backend", "http://127.0.0.1:1", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--no-admin");
            } finally {
                System.setErr(original);
            }
            String message = captured.toString(StandardCharsets.UTF_8);
            assertThat(message).startsWith("apiguard gateway: cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(message.lines().count()).isEqualTo(1);
            assertThat(exec("gateway", "--backend", "http://127.0.0.1:1", "--listen", "127.0.0.1:" + taken.getLocalPort(),
                    "--no-admin")).isEqualTo(2);
        }
    }

    @Test
    void theConfigFileSetsOptionsAndFlagsWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                gateway:
                  backend: http://127.0.0.1:8080/api
                  listen: 127.0.0.1:18081
                  admin-listen: "off"
                  scores: http://127.0.0.1:9465
                  response-timeout: 5s
                  max-body-bytes: 1048576
                  breaker:
                    trip-score: 60
                    close-score: 90
                    open-base: PT2S
                    min-calls: 10
                routes:
                  templates: ["/orders/{order}"]
                """);
        Args args = Args.parse(List.of("--config", file.toString(), "--listen", "127.0.0.1:18082"),
                Set.of("backend", "listen", "admin-listen", "scores", "config", "service", "connect-timeout",
                        "response-timeout"),
                Set.of("no-admin"));
        GatewayCommand.Settings s = GatewayCommand.Settings.load(args);
        GatewayConfig c = s.config();
        assertThat(c.backend().toString()).isEqualTo("http://127.0.0.1:8080/api");
        assertThat(c.listenPort()).isEqualTo(18082);
        assertThat(c.adminPort()).isEqualTo(-1);
        assertThat(c.service()).isEqualTo("127.0.0.1:8080");
        assertThat(c.responseTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.maxBodyBytes()).isEqualTo(1_048_576L);
        assertThat(c.breaker().tripScore()).isEqualTo(60);
        assertThat(c.breaker().closeScore()).isEqualTo(90);
        assertThat(c.breaker().openBase()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.breaker().minCalls()).isEqualTo(10);
        assertThat(c.breaker().halfOpenProbes()).isEqualTo(3);
        assertThat(s.routes().templates()).containsExactly("/orders/{order}");
        assertThat(s.scores().toString()).isEqualTo("http://127.0.0.1:9465/api/v1/scores");
    }

    @Test
    void theSharedFilesSemanticsRulesJudgeTheGatewaysBodies(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("apiguard.yaml");
        Files.writeString(file, """
                gateway:
                  backend: http://127.0.0.1:8080
                semantics:
                  rules:
                    - name: shop-declines
                      routes: ["/checkout*"]
                      when: {pointer: "/result/status", equals: "DECLINED"}
                      type: payment_failure
                """);
        byte[] declined = "{\"result\":{\"status\":\"DECLINED\"}}".getBytes(StandardCharsets.UTF_8);
        Args args = Args.parse(List.of("--config", file.toString()), Set.of("backend", "config"), Set.of("no-admin"));
        GatewayCommand.Settings s = GatewayCommand.Settings.load(args);
        assertThat(s.classifier().classify(new ResponseSample("/checkout", 200, "application/json", null, declined, false)))
                .isInstanceOf(Verdict.BusinessError.class)
                .satisfies(v -> assertThat(((Verdict.BusinessError) v).type()).isEqualTo(ErrorType.PAYMENT_FAILURE));
        // Outside the rule's routes, and without the file, the built-in rules see nothing wrong in this body.
        assertThat(s.classifier().classify(new ResponseSample("/search", 200, "application/json", null, declined, false)))
                .isInstanceOf(Verdict.Ok.class);
        GatewayCommand.Settings plain = GatewayCommand.Settings.load(
                Args.parse(List.of("--backend", "http://127.0.0.1:8080"), Set.of("backend", "config"), Set.of("no-admin")));
        assertThat(plain.classifier().classify(new ResponseSample("/checkout", 200, "application/json", null, declined, false)))
                .isInstanceOf(Verdict.Ok.class);

        Files.writeString(file, """
                gateway:
                  backend: http://127.0.0.1:8080
                semantics:
                  rules:
                    - name: broken
                      when: {pointer: "/x", regex: "("}
                """);
        assertThat(err("gateway", "--config", file.toString()))
                .startsWith("apiguard gateway: config error: semantics.rules[0].when.regex: bad regular expression '('")
                .endsWith("\n")
                .doesNotContain("Exception");
    }

    @Test
    void aBrokenConfigFileIsOneClearLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "gateway:\n  breaker:\n    close-score: 50\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .isEqualTo("apiguard gateway: config error: gateway.breaker.close-score: must be between trip-score (70.0) "
                        + "and 100, got '50.0'\n");
        Files.writeString(file, "gateway:\n  max-connections: 1.9\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .isEqualTo("apiguard gateway: config error: gateway.max-connections: must be a whole number between 1 and "
                        + "1000000, got '1.9'\n");
        // The earlier flat gateway file: the key's new place is named.
        Files.writeString(file, "max-connections: 5\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .isEqualTo("apiguard gateway: config error: max-connections: not a section; this option goes under "
                        + "gateway: (gateway.max-connections)\n");
        Files.writeString(file, "gateway:\n  listen: [unclosed\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .startsWith("apiguard gateway: config error: " + file + ": not valid YAML").contains("(line ");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", dir.resolve("missing.yaml").toString()))
                .isEqualTo("apiguard gateway: config error: " + dir.resolve("missing.yaml")
                        + ": the config file does not exist or is not readable\n");
    }
}
