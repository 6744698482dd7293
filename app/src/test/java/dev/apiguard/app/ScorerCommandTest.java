package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.apiguard.app.cli.UsageException;
import org.junit.jupiter.api.Test;

class ScorerCommandTest {
    private static ScorerCommand.Options parse(String... args) throws UsageException {
        return ScorerCommand.parse(List.of(args));
    }

    @Test
    void defaults() throws Exception {
        ScorerCommand.Options o = parse("--prometheus", "http://127.0.0.1:9090");
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isEqualTo(9465);
        assertThat(o.config().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.config().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.pushgateway()).isEmpty();
    }

    @Test
    void optionsOverrideTheDefaults() throws Exception {
        ScorerCommand.Options o = parse("--prometheus=http://prom:9090", "--listen", "[::1]:0", "--window", "10m",
                "--interval", "PT15S", "--pushgateway", "http://127.0.0.1:9091");
        assertThat(o.host()).isEqualTo("::1");
        assertThat(o.port()).isZero();
        assertThat(o.config().window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(o.config().interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(o.pushgateway()).hasValueSatisfying(u -> assertThat(u.getPort()).isEqualTo(9091));
    }

    @Test
    void badArgumentsAreOneLineUsageErrors() {
        assertThatThrownBy(() -> parse()).hasMessageContaining("embedded scoring runs in ./apiguard run");
        assertThatThrownBy(() -> parse("--prometheus", "prom:9090"))
                .hasMessage("--prometheus must be an http URL like http://127.0.0.1:9090, got 'prom:9090'");
        assertThatThrownBy(() -> parse("--prometheus", "http://p:9090", "--listen", "host:x"))
                .hasMessage("--listen 'host:x': must be HOST:PORT, [IPv6]:PORT, :PORT or PORT (127.0.0.1) with a port "
                        + "within 0..65535 (e.g. 127.0.0.1:9464)");
        assertThatThrownBy(() -> parse("--prometheus", "http://p:9090", "--interval", "10m"))
                .hasMessage("config error: score.interval: must not be longer than window (PT5M), got 'PT10M'");
        assertThatThrownBy(() -> parse("--prometheus", "http://p:9090", "--windw", "1m"))
                .hasMessage("unknown option --windw (see --help)");
    }

    @Test
    void recordingRulesWithAnotherWindowAreAUsageError() throws Exception {
        Path config = Files.createTempFile("apiguard-score-", ".yaml");
        try {
            Files.writeString(config, "score:\n  use-recording-rules: true\n");
            assertThat(parse("--prometheus", "http://p:9090", "--config", config.toString()).config().useRecordingRules()).isTrue();
            assertThatThrownBy(() -> parse("--prometheus", "http://p:9090", "--config", config.toString(), "--window", "1m"))
                    .isInstanceOf(dev.apiguard.config.ConfigException.class)
                    .hasMessageStartingWith("config error: score.use-recording-rules: reads the series of deploy/prometheus/apiguard-rules.yml");
        } finally {
            Files.deleteIfExists(config);
        }
    }

    @Test
    void withoutPrometheusTheCommandExitsWith2AndSaysWhere() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"scorer"}, new PrintStream(out), new PrintStream(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("apiguard scorer: --prometheus URL is required: "
                + "this command scores from Prometheus (embedded scoring runs in ./apiguard run)\n");
    }

    @Test
    void helpDocumentsEveryOptionAndDefault() {
        String help = new ScorerCommand().help();
        for (String s : List.of("--prometheus URL", "--listen HOST:PORT", "default 127.0.0.1:9465", "--window DURATION",
                "default PT5M", "--interval DURATION", "default PT5S", "--config FILE", "--pushgateway URL",
                "min-requests (20", "stale-ttl (PT2M", "dwell (PT10S)", "hysteresis (3 points)")) {
            assertThat(help).contains(s);
        }
    }

    @Test
    void aTakenPortIsAUsageError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ScorerCommand.Options o = parse("--prometheus", "http://127.0.0.1:1", "--listen", "127.0.0.1:" + taken.getLocalPort());
            assertThatThrownBy(() -> ScorerCommand.start(o, java.time.Clock.systemUTC()))
                    .isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageEndingWith("; choose another with --listen HOST:PORT");
        }
    }
}
