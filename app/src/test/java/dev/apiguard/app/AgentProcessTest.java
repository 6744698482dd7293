package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.apiguard.app.it.MetricsReader;
import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.app.it.TestProcesses.Server;
import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

/** {@code ./apiguard agent} as its own process: 10,000 requests, a killed server, SIGTERM, no root. */
class AgentProcessTest {

    @Test
    void countsTenThousandRequestsExactlySurvivesAKilledServerAndDetachesOnSigterm() throws Exception {
        RealParts.requireRoot();
        Path bpftool = RealParts.requireBinary("bpftool");
        try (TestProcesses processes = new TestProcesses()) {
            Path www = Files.createDirectories(processes.workDir().resolve("www/agentit"));
            Files.writeString(www.resolve("loop.json"), "{\"ok\":true}\n");
            Server nginx = processes.nginx(www.getParent());
            Server doomed = processes.testServer("agentit-doomed");
            int metricsPort = Ports.free();
            long programsBefore = loadedAgentPrograms(processes, bpftool);

            Process agent = processes.start(agentCommand("--listen", "127.0.0.1:" + metricsPort));
            Ports.awaitListening(metricsPort, Duration.ofSeconds(60));
            assertThat(MetricsReader.await(() -> TestProcesses.scrapeMetrics(metricsPort).contains("apiguard_kernel_events_total"), 10_000)).isTrue();
            assertThat(loadedAgentPrograms(processes, bpftool)).isEqualTo(programsBefore + 1);

            assertThat(processes.javaClient("loop", "127.0.0.1", String.valueOf(nginx.port()), "/agentit/loop.json", "10000"))
                    .isEqualTo("statuses {200=10000}");
            String server = "api_http_requests_total{method=\"GET\",path=\"/agentit/loop\",service=\"nginx\",side=\"server\",status_class=\"2xx\"} 10000.0";
            String client = "api_http_requests_total{method=\"GET\",path=\"/agentit/loop\",service=\"nginx\",side=\"client\",status_class=\"2xx\"} 10000.0";
            MetricsReader.await(() -> TestProcesses.scrapeMetrics(metricsPort).contains(server) && TestProcesses.scrapeMetrics(metricsPort).contains(client), 15_000);
            Thread.sleep(500);
            String text = TestProcesses.scrapeMetrics(metricsPort);
            assertThat(text).contains(server).contains(client);
            assertThat(text).contains("apiguard_events_dropped_total{reason=\"ringbuf_full\"} 0.0",
                    "apiguard_events_dropped_total{reason=\"conn_table_full\"} 0.0",
                    "apiguard_events_dropped_total{reason=\"malformed\"} 0.0",
                    "apiguard_internal_errors_total{stage=\"capture\"} 0.0");

            // The observed server dies mid-response: the agent carries on counting.
            Process hanging = processes.start(new ProcessBuilder("curl", "-s", "-o", "/dev/null", "--max-time", "20",
                    doomed.url("/agentit/slowbody")));
            Thread.sleep(500);
            doomed.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            hanging.waitFor(20, TimeUnit.SECONDS);
            processes.curl("-o", "/dev/null", nginx.url("/agentit/loop.json"));
            String after = server.replace("10000.0", "10001.0");
            assertThat(MetricsReader.await(() -> TestProcesses.scrapeMetrics(metricsPort).contains(after), 10_000)).isTrue();
            assertThat(agent.isAlive()).isTrue();

            agent.destroy(); // SIGTERM
            assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(processes.output(agent)).contains("BPF programs detached");
            // The kernel frees a detached tracing program after an RCU grace period: wait for it, bounded.
            MetricsReader.await(() -> loadedAgentPrograms(processes, bpftool) == programsBefore, 10_000);
            assertThat(loadedAgentPrograms(processes, bpftool)).isEqualTo(programsBefore);
        }
    }

    @Test
    void withoutPrivilegesExitsTwoWithOneLineSayingHow() throws Exception {
        Path setpriv = RealParts.requireBinary("setpriv");
        try (TestProcesses processes = new TestProcesses()) {
            List<String> command = new ArrayList<>(List.of(setpriv.toString(), "--bounding-set=-all"));
            command.addAll(agentCommand("--listen", "127.0.0.1:0").command());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(out).isEqualTo("apiguard agent: eBPF capture needs root (or CAP_BPF + CAP_PERFMON): run with sudo, "
                    + "or setcap cap_bpf,cap_perfmon+ep on java");
        }
    }

    @Test
    void brokenConfigExitsTwoNamingTheKey() throws Exception {
        try (TestProcesses processes = new TestProcesses()) {
            Path config = processes.workDir().resolve("bad.yaml");
            Files.writeString(config, "agent:\n  capture:\n    ring-bufer-bytes: 4096\n");
            Process p = new ProcessBuilder(agentCommand("--config", config.toString()).command()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(out).startsWith("apiguard agent: config error: agent.capture.ring-bufer-bytes: unknown key (known here: ");
        }
    }

    static ProcessBuilder agentCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "agent"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Our programs loaded in the kernel, counted by one unique program name. */
    private static long loadedAgentPrograms(TestProcesses processes, Path bpftool) {
        try {
            String out = processes.run(List.of(bpftool.toString(), "prog", "show"), Duration.ofSeconds(20));
            return out.lines().filter(l -> l.contains("name on_sock_recv ")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running bpftool", e);
        }
    }

}
