package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.apiguard.app.dashboard.DashboardPage;
import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./apiguard demo --duration 90s} for real (shop, eBPF agent, scorer, gateway, load),
 * watched through the dashboard in headless Chromium: checkout's score falls below 70 and its
 * breaker opens during the scripted incident, both recover, and the demo exits 0 with a summary
 * that meets the detection targets.
 */
class DemoBrowserTest {
    private static final String CHECKOUT = "/api/v1/checkout";

    @Test
    void theIncidentIsDetectedShedAndRecoveredOnTheDashboard(@TempDir Path state) throws Exception {
        RealParts.requireRoot();
        try (TestProcesses processes = new TestProcesses(); DashboardPage page = DashboardPage.launch()) {
            int port = Ports.free();
            List<String> command = new ArrayList<>(AgentProcessTest.agentCommand().command());
            command.set(command.size() - 1, "demo");
            command.addAll(List.of("--duration", "PT90S", "--incident-start", "PT20S", "--incident-length", "PT25S",
                    "--listen", "127.0.0.1:" + port, "--gateway-listen", "127.0.0.1:" + Ports.free()));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("XDG_STATE_HOME", state.toString());
            builder.environment().remove("APIGUARD_ADMIN_TOKEN");
            Process demo = processes.start(builder);
            Ports.awaitListening(port, Duration.ofSeconds(60));
            // The port opens first; the page is served once the scorer and the gateway run.
            awaitOk("http://127.0.0.1:" + port + "/api/v1/dashboard", Duration.ofSeconds(30));
            page.open("http://127.0.0.1:" + port + "/");

            page.awaitUntil(Duration.ofSeconds(60), "checkout scored below 70",
                    () -> page.score(CHECKOUT).map(s -> s < 70).orElse(false));
            page.awaitUntil(Duration.ofSeconds(30), "checkout's breaker shown OPEN",
                    () -> page.breaker(CHECKOUT).map("OPEN"::equals).orElse(false));
            assertThat(page.eventsShown()).isPositive();
            Path shot = page.screenshot(Path.of("target", "demo-incident.png"));
            assertThat(Files.size(shot)).isPositive();

            page.awaitUntil(Duration.ofSeconds(45), "checkout recovered (score >= 85, breaker CLOSED)",
                    () -> page.score(CHECKOUT).map(s -> s >= 85).orElse(false)
                            && page.breaker(CHECKOUT).map("CLOSED"::equals).orElse(false));
            page.screenshot(Path.of("target", "demo-recovered.png"));
            assertThat(page.browserErrors()).isEmpty();

            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("the demo ends by itself").isTrue();
            assertThat(demo.exitValue()).isZero();
            String out = processes.output(demo);
            assertThat(out).contains("capture:           eBPF").contains(", 0 false trips elsewhere");
            assertThat(seconds(out, "detected: +T\\+([0-9.]+)s")).isLessThan(15);
            assertThat(seconds(out, "breaker opened: +T\\+([0-9.]+)s")).isLessThan(20);
            assertThat(out).containsPattern("requests: +\\d+ sent, [1-9]\\d* shed \\(503\\)");
            // the admin API's token: generated into the private state directory, and the start line says where
            Path token = state.resolve("apiguard/admin-token");
            assertThat(out).contains("admin token (Authorization: Bearer) in " + token);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void withoutEbpfTheDemoSaysSoInOneLineAndRunsOnTheGatewayAlone() throws Exception {
        Path setpriv = RealParts.requireBinary("setpriv");
        try (TestProcesses processes = new TestProcesses()) {
            List<String> command = new ArrayList<>(List.of(setpriv.toString(), "--bounding-set=-all"));
            command.addAll(AgentProcessTest.agentCommand().command());
            command.set(command.size() - 1, "demo");
            command.addAll(List.of("--duration", "PT15S", "--incident-start", "PT5S", "--incident-length", "PT5S",
                    "--listen", "127.0.0.1:" + Ports.free(), "--gateway-listen", "127.0.0.1:" + Ports.free()));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("APIGUARD_ADMIN_TOKEN", "a-test-token-given-through-the-environment");
            Process demo = processes.start(builder);
            assertThat(demo.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String out = processes.output(demo);
            assertThat(demo.exitValue()).as(out).isZero();
            assertThat(out.lines().filter(l -> l.startsWith("apiguard: eBPF capture unavailable (")).toList())
                    .containsExactly("apiguard: eBPF capture unavailable (eBPF capture needs root (or CAP_BPF + CAP_PERFMON): "
                            + "run with sudo, or setcap cap_bpf,cap_perfmon+ep on java); running on the gateway's observations alone");
            assertThat(out).contains("capture:           gateway only").containsPattern("requests: +[1-9]\\d* sent")
                    .contains("admin token (Authorization: Bearer) in the APIGUARD_ADMIN_TOKEN environment variable");
        }
    }

    private static void awaitOk(String url, Duration timeout) throws InterruptedException {
        var http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // keep trying
            }
            Thread.sleep(100);
        }
        throw new AssertionError(url + " did not answer 200 within " + timeout);
    }

    private static double seconds(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("summary has " + regex + " in:\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
