package dev.apiguard.app.fleet;

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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apiguard.testkit.Ports;

/**
 * A real Prometheus (Debian's binary) on a free loopback port, scraping the given jobs every second
 * and evaluating deploy/prometheus's rules and alerts every second, with its config and storage in a
 * temp dir. {@link #close()} kills it by its process and removes the dir.
 */
public final class RulesPrometheus implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** The full answer of one instant query. */
    public record Answer(int httpStatus, String status, String errorType, String error, JsonNode result) {
        public boolean success() {
            return httpStatus == 200 && "success".equals(status);
        }
    }

    private final Path dir;
    private final int port = Ports.free();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    /**
     * @param binary the prometheus executable
     * @param jobs scrape job name → {@code host:port} targets (apiguard-agent… jobs match the alerts)
     */
    public RulesPrometheus(Path binary, Map<String, List<String>> jobs) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("apiguard-rules-prometheus-");
        try {
            Path rules = DashboardQueries.repoRoot().resolve("deploy/prometheus");
            Files.copy(rules.resolve("apiguard-rules.yml"), dir.resolve("apiguard-rules.yml"));
            Files.copy(rules.resolve("apiguard-alerts.yml"), dir.resolve("apiguard-alerts.yml"));
            String scrapes = jobs.entrySet().stream().map(e -> """
                      - job_name: %s
                        static_configs:
                          - targets: [%s]
                    """.formatted(e.getKey(), e.getValue().stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))))
                    .collect(Collectors.joining());
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files: [apiguard-rules.yml, apiguard-alerts.yml]
                    scrape_configs:
                    """ + scrapes);
            process = new ProcessBuilder(binary.toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile())
                    .start();
            Ports.awaitListening(port, START_TIMEOUT);
            awaitReady();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return dir.resolve("prometheus.log");
    }

    private void awaitReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Prometheus exited: " + Files.readString(log()));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Prometheus not ready after " + START_TIMEOUT + "; see " + log());
    }

    /** An instant query, now, as Grafana's Prometheus data source sends it (POST form). */
    public Answer query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/query"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode root = JSON.readTree(r.body());
        return new Answer(r.statusCode(), root.path("status").asText(), root.path("errorType").asText(null),
                root.path("error").asText(null), root.path("data").path("result"));
    }

    /** The rule groups Prometheus loaded, by name, with their rule counts and last evaluation errors. */
    public JsonNode rules() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/rules"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("data").path("groups");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }
}
