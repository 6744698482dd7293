package dev.apiguard.app.score;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apiguard.testkit.Ports;

/**
 * A real Prometheus (scraping a target and a Pushgateway every second) and a real Pushgateway,
 * started from the Debian binaries on free loopback ports with their own config and storage in a
 * temp dir. {@link #close()} kills both.
 */
public final class PrometheusStack implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    /** One sample of an instant vector. */
    public record Sample(Map<String, String> labels, double value) {}

    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int prometheusPort = Ports.free();
    private final int pushgatewayPort = Ports.free();
    private Process prometheus;
    private Process pushgateway;

    public PrometheusStack(Path prometheusBinary, Path pushgatewayBinary, String targetHostPort) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("apiguard-prometheus-");
        try {
            start(prometheusBinary, pushgatewayBinary, targetHostPort);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void start(Path prometheusBinary, Path pushgatewayBinary, String targetHostPort) throws IOException, InterruptedException {
        pushgateway = new ProcessBuilder(pushgatewayBinary.toString(),
                "--web.listen-address=127.0.0.1:" + pushgatewayPort,
                "--persistence.file=" + dir.resolve("pushgateway.data"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("pushgateway.log").toFile())
                .start();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: agent
                    static_configs:
                      - targets: ['%s']
                  - job_name: pushgateway
                    honor_labels: true
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(targetHostPort, pushgatewayPort));
        prometheus = new ProcessBuilder(prometheusBinary.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        Ports.awaitListening(pushgatewayPort, START_TIMEOUT);
        Ports.awaitListening(prometheusPort, START_TIMEOUT);
        awaitReady();
    }

    public String prometheusUrl() {
        return "http://127.0.0.1:" + prometheusPort;
    }

    public String pushgatewayUrl() {
        return "http://127.0.0.1:" + pushgatewayPort;
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(prometheusUrl() + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Prometheus not ready after " + START_TIMEOUT + "; see " + dir.resolve("prometheus.log"));
    }

    /** An instant query, now. */
    public List<Sample> query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
                        prometheusUrl() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode root = JSON.readTree(r.body());
        if (!"success".equals(root.path("status").asText())) {
            throw new IOException("query failed: " + r.body());
        }
        List<Sample> out = new ArrayList<>();
        for (JsonNode s : root.path("data").path("result")) {
            Map<String, String> labels = new TreeMap<>();
            s.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            out.add(new Sample(labels, Double.parseDouble(s.path("value").get(1).asText())));
        }
        return out;
    }

    /** SIGKILL, as in a crash; waits until it is gone. */
    public void killPrometheus() throws InterruptedException {
        kill(prometheus);
    }

    public Path dir() {
        return dir;
    }

    private static void kill(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Kills both and removes the temp dir. */
    @Override
    public void close() throws InterruptedException {
        kill(prometheus);
        kill(pushgateway);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }
}
