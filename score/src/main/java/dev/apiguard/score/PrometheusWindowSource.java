package dev.apiguard.score;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the window from Prometheus with four instant queries at the same evaluation time:
 * {@code increase} of requests, of 5xx and of business errors by severity, and
 * {@code histogram_quantile(0.99, …rate(…_bucket))}. Any failed query fails the whole reading, so a
 * partial answer never produces a score.
 *
 * <p>With {@code use-recording-rules}, the four queries are the series deploy/prometheus/apiguard-rules.yml
 * records from the same expressions: Prometheus computes them once per rule evaluation however many
 * scorers read them, and a read touches one sample per endpoint instead of the window's samples of every
 * bucket series (docs/scaling.md). Rules that are not loaded would look like no traffic, so an empty
 * answer is checked against the raw family: requests without recorded series fail the reading.
 */
final class PrometheusWindowSource implements WindowSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prometheus answers can be large with many endpoints, but not unboundedly so. */
    private static final int MAX_RESPONSE_BYTES = 64 << 20;

    private record Key(String service, String path) {}

    private final URI queryUri;
    private final HttpClient http;
    private final Duration timeout;
    private final int maxEndpoints;
    private final String requestsQuery;
    private final String serverErrorsQuery;
    private final String businessQuery;
    private final String p99Query;
    private final Duration window;
    private final boolean recorded;
    private final String rawRequestsCount;

    /** The series of deploy/prometheus/apiguard-rules.yml holding the four queries at the default window and sides. */
    static final List<String> RECORDED = List.of("apiguard:scorer_requests:increase5m", "apiguard:scorer_server_errors:increase5m",
            "apiguard:scorer_business_errors:increase5m", "apiguard:http_duration_seconds:p99_5m");
    static final Duration RECORDED_WINDOW = Duration.ofMinutes(5);
    static final List<String> RECORDED_SIDES = List.of("server", "gateway");

    PrometheusWindowSource(URI prometheus, ScoreConfig config, HttpClient http) {
        this.queryUri = prometheus.resolve(stripSlash(prometheus.getPath()) + "/api/v1/query");
        this.http = http;
        this.timeout = config.queryTimeout();
        this.maxEndpoints = config.maxEndpoints();
        this.window = config.window();
        String range = "[" + Math.max(1, config.window().toSeconds()) + "s]";
        String sides = "side=~\"" + String.join("|", config.sides()) + "\"";
        requestsQuery = "sum by (service, path) (increase(api_http_requests_total{" + sides + "}" + range + "))";
        serverErrorsQuery = "sum by (service, path) (increase(api_http_requests_total{" + sides + ",status_class=\"5xx\"}" + range + "))";
        businessQuery = "sum by (service, path, severity) (increase(api_business_errors_total{" + sides + "}" + range + "))";
        p99Query = "histogram_quantile(0.99, sum by (le, service, path) (rate(api_http_duration_seconds_bucket{" + sides + "}" + range + ")))";
        recorded = config.useRecordingRules();
        rawRequestsCount = "count(api_http_requests_total{" + sides + "})";
        checkRecordingRules(config);
    }

    /** The rules are recorded for one window and one set of sides; any other config would read the wrong numbers. */
    static void checkRecordingRules(ScoreConfig config) {
        if (config.useRecordingRules() && !(config.window().equals(RECORDED_WINDOW)
                && config.sides().size() == RECORDED_SIDES.size() && config.sides().containsAll(RECORDED_SIDES))) {
            throw new IllegalArgumentException("use-recording-rules reads the series of deploy/prometheus/apiguard-rules.yml, recorded"
                    + " for window PT5M and sides [server, gateway]; this config has window " + config.window() + " and sides "
                    + config.sides() + " (set use-recording-rules: false, or the default window and sides)");
        }
    }

    List<String> queries() {
        return recorded ? RECORDED : List.of(requestsQuery, serverErrorsQuery, businessQuery, p99Query);
    }

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public Reading read(Instant at) throws SourceException {
        List<String> q = queries();
        Map<Key, Double> requests = new HashMap<>();
        JsonNode requestRows = query(q.get(0), at);
        for (JsonNode r : requestRows) {
            requests.put(key(r), value(r));
        }
        if (recorded && requestRows.isEmpty()) {
            JsonNode raw = query(rawRequestsCount, at);
            if (!raw.isEmpty() && value(raw.get(0)) > 0) {
                throw new SourceException("Prometheus has no " + RECORDED.get(0) + " series but " + (long) value(raw.get(0))
                        + " api_http_requests_total series: load deploy/prometheus/apiguard-rules.yml into it, or set"
                        + " score.use-recording-rules: false");
            }
        }
        Map<Key, Double> serverErrors = new HashMap<>();
        for (JsonNode r : query(q.get(1), at)) {
            serverErrors.put(key(r), value(r));
        }
        Map<Key, double[]> business = new HashMap<>();
        for (JsonNode r : query(q.get(2), at)) {
            int i = switch (r.path("metric").path("severity").asText()) {
                case "critical" -> 0;
                case "high" -> 1;
                case "medium" -> 2;
                case "low" -> 3;
                default -> -1;
            };
            if (i >= 0) {
                business.computeIfAbsent(key(r), k -> new double[4])[i] += value(r);
            }
        }
        Map<Key, Double> p99 = new HashMap<>();
        for (JsonNode r : query(q.get(3), at)) {
            p99.put(key(r), value(r));
        }
        List<WindowStats> out = new ArrayList<>(Math.min(requests.size(), maxEndpoints));
        long dropped = 0;
        for (Map.Entry<Key, Double> e : requests.entrySet()) {
            if (out.size() >= maxEndpoints) {
                dropped++;
                continue;
            }
            Key k = e.getKey();
            double[] b = business.getOrDefault(k, new double[4]);
            out.add(new WindowStats(k.service(), k.path(), e.getValue(), serverErrors.getOrDefault(k, 0.0),
                    b[0], b[1], b[2], b[3], p99.getOrDefault(k, Double.NaN)));
        }
        return new Reading(window, out, dropped);
    }

    /** One instant query; the result vector. */
    private JsonNode query(String promql, Instant at) throws SourceException {
        String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + (at.toEpochMilli() / 1000.0);
        HttpRequest request = HttpRequest.newBuilder(queryUri)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SourceException("Prometheus at " + queryUri + " unreachable: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while querying Prometheus", e);
        }
        if (response.body().length > MAX_RESPONSE_BYTES) {
            throw new SourceException("Prometheus answer too large (" + response.body().length + " bytes)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SourceException("Prometheus answered HTTP " + response.statusCode() + " with something that is not JSON");
        }
        if (response.statusCode() != 200 || !"success".equals(root.path("status").asText())) {
            throw new SourceException("Prometheus answered HTTP " + response.statusCode() + ": "
                    + root.path("errorType").asText("?") + ": " + root.path("error").asText("no error text"));
        }
        JsonNode data = root.path("data");
        if (!"vector".equals(data.path("resultType").asText()) || !data.path("result").isArray()) {
            throw new SourceException("Prometheus answered an unexpected result type: " + data.path("resultType").asText());
        }
        return data.get("result");
    }

    private static Key key(JsonNode r) {
        JsonNode m = r.path("metric");
        return new Key(m.path("service").asText(""), m.path("path").asText(""));
    }

    /** The sample value; NaN when absent or not a number (histogram_quantile of no traffic). */
    private static double value(JsonNode r) {
        JsonNode v = r.path("value");
        if (!v.isArray() || v.size() != 2) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v.get(1).asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    private static String stripSlash(String path) {
        if (path == null) {
            return "";
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

}
