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
import dev.apiguard.app.config.AdminConfig;
import dev.apiguard.gateway.GatewayConfig;
import dev.apiguard.gateway.Http2Config;
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
    void theAdminSectionNamesTheTokenFileAndFurtherHostNames(@TempDir Path dir) throws Exception {
        // One tree: admin: is a section beside gateway:, as every command reads it.
        Path own = dir.resolve("apiguard.yaml");
        Path shared = own;
        Files.writeString(shared, """
                gateway:
                  backend: http://127.0.0.1:8080
                admin:
                  token-file: /srv/apiguard/token
                  allowed-hosts: [gw1.internal]
                """);
        GatewayCommand.Settings s = GatewayCommand.Settings.load(Args.parse(List.of("--config", shared.toString()),
                Set.of("backend", "config"), Set.of()));
        assertThat(s.admin().tokenFile()).isEqualTo(Path.of("/srv/apiguard/token"));
        assertThat(s.admin().allowedHosts()).containsExactly("gw1.internal");
        assertThat(GatewayCommand.Settings.load(Args.parse(List.of("--backend", "http://127.0.0.1:8080"),
                Set.of("backend", "config"), Set.of())).admin()).isEqualTo(new AdminConfig(null, List.of()));

        Files.writeString(own, "gateway:\n  backend: http://127.0.0.1:8080\nadmin:\n  token: secret\n");
        assertThat(err("gateway", "--config", own.toString()))
                .isEqualTo("apiguard gateway: config error: admin.token: unknown key (known here: allowed-hosts, token-file)\n");
        Files.writeString(own, "gateway:\n  backend: http://127.0.0.1:8080\nadmin:\n  allowed-hosts: [\"*.example\"]\n");
        assertThat(err("gateway", "--config", own.toString()))
                .startsWith("apiguard gateway: config error: admin.allowed-hosts: every entry must be a host name or HOST:PORT");
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
                  path-policy: refuse
                  breaker:
                    trip-score: 60
                    close-score: 90
                    open-base: PT2S
                    min-calls: 10
                  trusted-proxies: ["10.0.0.0/8", "192.168.1.7"]
                  fairness:
                    max-culprit-share: 0.25
                    min-clients: 4
                  backend-protocol: h2c
                  http2:
                    max-concurrent-streams: 50
                    max-resets-per-second: 20
                  grpc:
                    business-codes-trip: false
                routes:
                  templates: ["/orders/{order}"]
                  case-sensitive: true
                  ignored-suffixes: [.json]
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
        assertThat(c.http2()).isEqualTo(new Http2Config(Http2Config.BackendProtocol.H2C, 50, 20, false));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.maxBodyBytes()).isEqualTo(1_048_576L);
        assertThat(c.breaker().tripScore()).isEqualTo(60);
        assertThat(c.breaker().closeScore()).isEqualTo(90);
        assertThat(c.breaker().openBase()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.breaker().minCalls()).isEqualTo(10);
        assertThat(c.breaker().halfOpenProbes()).isEqualTo(3);
        assertThat(s.routes().templates()).containsExactly("/orders/{order}");
        assertThat(c.trustedProxies()).containsExactly("10.0.0.0/8", "192.168.1.7");
        assertThat(c.fairness()).isEqualTo(new dev.apiguard.gateway.FairnessConfig(true, 0.25, 4, 64));
        assertThat(c.pathPolicy()).isEqualTo(GatewayConfig.PathPolicy.REFUSE);
        assertThat(s.routes().canonical().caseSensitive()).isTrue();
        assertThat(s.routes().canonical().ignoredSuffixes()).containsExactly(".json");
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
                      when: {pointer: "/result/code", equals: "Q7"}
                      type: payment_failure
                """);
        // A code no built-in rule reads (the built-in rules now know decline words themselves).
        byte[] declined = "{\"result\":{\"code\":\"Q7\"}}".getBytes(StandardCharsets.UTF_8);
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
    void slowClientAndRetryOptionsAreReadWithTheirDefaults(@TempDir Path dir) throws Exception {
        Args plain = Args.parse(List.of("--backend", "http://127.0.0.1:8080"), Set.of("backend", "config"), Set.of());
        GatewayConfig d = GatewayCommand.Settings.load(plain).config();
        assertThat(d.requestBufferBytes()).isEqualTo(65_536L);
        assertThat(d.clientHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.clientBodyTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.clientBodyMinRate()).isEqualTo(500L);
        assertThat(d.maxConnectionsPerRoute()).isEqualTo(256); // half of max-connections
        assertThat(d.retryIdempotent()).isTrue();

        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, """
                gateway:
                  backend: http://127.0.0.1:8080
                  request-buffer-bytes: 1048576
                  client-header-timeout: 5s
                  client-body-timeout: PT20S
                  client-body-min-rate: 0
                  max-connections-per-route: 64
                  retry-idempotent: false
                """);
        GatewayConfig c = GatewayCommand.Settings.load(
                Args.parse(List.of("--config", file.toString()), Set.of("backend", "config"), Set.of())).config();
        assertThat(c.requestBufferBytes()).isEqualTo(1_048_576L);
        assertThat(c.clientHeaderTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.clientBodyTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.clientBodyMinRate()).isZero();
        assertThat(c.maxConnectionsPerRoute()).isEqualTo(64);
        assertThat(c.retryIdempotent()).isFalse();

        Files.writeString(file, "gateway:\n  retry-idempotent: maybe\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .isEqualTo("apiguard gateway: config error: gateway.retry-idempotent: must be true or false, got 'maybe'\n");
        Files.writeString(file, "gateway:\n  client-body-timeout: PT0S\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .startsWith("apiguard gateway: config error: gateway.client-body-timeout: must be a duration from 1ms to P365D");
    }

    @Test
    void aBrokenConfigFileIsOneClearLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "gateway:\n  breaker:\n    close-score: 50\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .isEqualTo("apiguard gateway: config error: gateway.breaker.close-score: must be between trip-score (70.0) "
                        + "and 100, got '50.0'\n");
        Files.writeString(file, "gateway:\n  trusted-proxies: [lb.example]\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .isEqualTo("apiguard gateway: config error: gateway.trusted-proxies: 'lb.example' is not an IP address or CIDR block\n");
        Files.writeString(file, "gateway:\n  fairness:\n    enabled: maybe\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .isEqualTo("apiguard gateway: config error: gateway.fairness.enabled: must be true or false, got 'maybe'\n");
        Files.writeString(file, "gateway:\n  fairness:\n    max-culprit-share: 0.9\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .isEqualTo("apiguard gateway: config error: gateway.fairness.max-culprit-share: must be a number between 0 and 0.5, got '0.9'\n");
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
        Files.writeString(file, "gateway:\n  path-policy: rewrite\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .isEqualTo("apiguard gateway: config error: gateway.path-policy: must be one of normalize, refuse, got 'rewrite'\n");
        Files.writeString(file, "gateway:\n  backend-protocol: h3\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .isEqualTo("apiguard gateway: config error: gateway.backend-protocol: must be one of h2c, http1, got 'h3'\n");
        Files.writeString(file, "routes:\n  ignored-suffixes: [json]\n");
        assertThat(err("gateway", "--backend", "http://127.0.0.1:1", "--config", file.toString()))
                .startsWith("apiguard gateway: config error: routes.ignored-suffixes: a suffix is a dot and a word");
    }
}
