package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

import dev.apiguard.app.CommandLineValidationTest.Result;
import dev.apiguard.app.config.ApiguardConfig;
import dev.apiguard.gateway.GatewayConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One config file drives every process: agent, scorer, gateway and run each read the same file
 * through the one loader, start, and use their sections (as root in CI: the agent loads BPF).
 */
class SharedConfigFileTest {
    private HttpServer backend;
    private final List<Process> started = new ArrayList<>();
    private Path file;

    @BeforeEach
    void writeTheFile(@TempDir Path dir) throws Exception {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        backend.createContext("/", exchange -> {
            // A field and value no built-in rule reads: only the file's rule can call it an error.
            byte[] body = "{\"outcome\":\"Q7\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        file = Files.writeString(dir.resolve("apiguard.yaml"), """
                agent:
                  max-services: 50
                  http: {max-pipelined: 16}
                routes:
                  templates: ["/orders/{order}"]
                semantics:
                  rules:
                    - {name: q7, when: {pointer: /outcome, equals: Q7}, type: validation}
                score:
                  window: PT1M
                  interval: PT2S
                gateway:
                  backend: http://127.0.0.1:%d
                  response-timeout: PT7S
                  breaker: {min-calls: 7}
                """.formatted(backend.getAddress().getPort()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        backend.stop(0);
    }

    @Test
    void theFileBindsEverySection() {
        ApiguardConfig c = ApiguardConfig.load(file);
        assertThat(c.agent().maxServices()).isEqualTo(50);
        assertThat(c.agent().http().maxPipelinedRequests()).isEqualTo(16);
        assertThat(c.agent().routes().templates()).containsExactly("/orders/{order}");
        assertThat(c.semantics().ruleNames()).containsExactly("q7");
        assertThat(c.score().window()).isEqualTo(Duration.ofMinutes(1));
        GatewayConfig g = c.gateway().proxy().orElseThrow();
        assertThat(g.responseTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(g.breaker().minCalls()).isEqualTo(7);
    }

    @Test
    void theAgentStartsOnIt() throws Exception {
        Result r = CommandLineValidationTest.cli("agent", List.of("--config", file.toString(), "--listen", "127.0.0.1:0",
                "--duration", "2s"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("apiguard agent: capturing");
    }

    @Test
    void theScorerStartsOnItWithItsScoreSection() throws Exception {
        Process p = start("scorer", "--prometheus", "http://127.0.0.1:1", "--listen", "127.0.0.1:0", "--config", file.toString());
        BlockingQueue<String> out = lines(p.getInputStream());
        assertThat(await(out, Pattern.compile("apiguard scorer: scoring from .* every (\\S+) over (\\S+);.*")).group(0))
                .contains("every PT2S over PT1M");
    }

    @Test
    void theGatewayStartsOnItAndUsesItsRoutesAndSemantics() throws Exception {
        Process p = start("gateway", "--config", file.toString(), "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0");
        Matcher m = await(lines(p.getErrorStream()),
                Pattern.compile("apiguard gateway: proxying http://127\\.0\\.0\\.1:(\\d+) -> (\\S+); admin http://127\\.0\\.0\\.1:(\\d+)/.*"));
        assertThat(m.group(2)).isEqualTo("http://127.0.0.1:" + backend.getAddress().getPort());
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/orders/42")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(3) + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        // routes: templated the path; semantics: the file's rule judged the body.
        assertThat(metrics).containsPattern("api_business_errors_total\\{[^}]*error_type=\"validation\"[^}]*path=\"/orders/\\{order\\}\"[^}]*} 1\\.0");
    }

    @Test
    void runStartsOnItWithTheGatewayOfItsGatewaySection() throws Exception {
        Result r = CommandLineValidationTest.cli("run", List.of("--config", file.toString(), "--listen", "127.0.0.1:0",
                "--gateway-listen", "127.0.0.1:0", "--duration", "3s"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).containsPattern("apiguard run: dashboard at http://127\\.0\\.0\\.1:\\d+/, gateway at http://127\\.0\\.0\\.1:\\d+");
    }

    private Process start(String command, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), command));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        started.add(p);
        return p;
    }

    private static BlockingQueue<String> lines(InputStream stream) {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    queue.add(line);
                }
            } catch (java.io.IOException closed) {
                // the process ended
            }
        });
        return queue;
    }

    private static Matcher await(BlockingQueue<String> lines, Pattern pattern) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(500, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            seen.add(line);
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                return m;
            }
        }
        throw new AssertionError("no line matching " + pattern + " within 30 s; saw " + seen);
    }
}
