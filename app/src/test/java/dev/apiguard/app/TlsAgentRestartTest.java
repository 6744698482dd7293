package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.apiguard.app.it.MetricsReader;
import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

/**
 * {@code ./apiguard agent} with TLS capture, killed (SIGKILL) and restarted, then stopped
 * (SIGTERM): the kernel lists none of its uprobes or programs afterwards, and the restarted agent
 * attaches again.
 */
class TlsAgentRestartTest {

    @Test
    void aKilledAgentLeavesNoUprobesAndARestartedOneAttachesAgain() throws Exception {
        RealParts.requireRoot();
        Path bpftool = RealParts.requireBinary("bpftool");
        try (TestProcesses processes = new TestProcesses()) {
            Path config = processes.workDir().resolve("apiguard.yaml");
            Files.writeString(config, "agent:\n  capture:\n    tls: true\n");
            long programsBefore = loaded(processes, bpftool);

            Process first = startAgent(processes, config);
            long firstPid = first.pid();
            assertThat(uprobesOf(processes, bpftool, firstPid)).isGreaterThanOrEqualTo(8); // libssl: 4 functions, entry and return
            assertThat(loaded(processes, bpftool)).isEqualTo(programsBefore + 1);
            first.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(MetricsReader.await(() -> loaded(processes, bpftool) == programsBefore, 10_000)).isTrue();
            assertThat(uprobesOf(processes, bpftool, firstPid)).isZero();

            Process second = startAgent(processes, config);
            assertThat(uprobesOf(processes, bpftool, second.pid())).isGreaterThanOrEqualTo(8);
            second.destroy(); // SIGTERM
            assertThat(second.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(MetricsReader.await(() -> loaded(processes, bpftool) == programsBefore, 10_000)).isTrue();
            assertThat(uprobesOf(processes, bpftool, second.pid())).isZero();
        }
    }

    private static Process startAgent(TestProcesses processes, Path config) throws Exception {
        int metricsPort = Ports.free();
        Process agent = processes.start(AgentProcessTest.agentCommand("--listen", "127.0.0.1:" + metricsPort, "--config", config.toString()));
        Ports.awaitListening(metricsPort, Duration.ofSeconds(60));
        assertThat(MetricsReader.await(() -> TestProcesses.scrapeMetrics(metricsPort).contains("apiguard_tls_libraries_attached"), 10_000)).isTrue();
        assertThat(TestProcesses.scrapeMetrics(metricsPort)).doesNotContain("apiguard_tls_libraries_attached 0.0");
        return agent;
    }

    /** The uprobes (perf events) the kernel lists for a process. */
    private static long uprobesOf(TestProcesses processes, Path bpftool, long pid) throws Exception {
        String out = processes.run(List.of(bpftool.toString(), "perf", "show"), Duration.ofSeconds(20));
        return out.lines().filter(l -> l.startsWith("pid " + pid + " ") && (l.contains(" uprobe ") || l.contains(" uretprobe "))).count();
    }

    /** Our TLS return program, as loaded in the kernel (one per agent). */
    private static long loaded(TestProcesses processes, Path bpftool) {
        try {
            String out = processes.run(List.of(bpftool.toString(), "prog", "show"), Duration.ofSeconds(20));
            return out.lines().filter(l -> l.contains("name tls_return ")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
