package dev.apiguard.app.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * scripts/fleet.sh's dashboard check: every panel query of deploy/grafana/apiguard.json, with the
 * variables filled in by {@link DashboardQueries} (the one implementation of Grafana's substitution),
 * sent as an instant query to a live Prometheus. Prints one line per selection:
 * <pre>dashboard service=S path=P dashboard_panels=N dashboard_ok=N dashboard_data=N dashboard_nodata="T1;T2"</pre>
 * A panel is ok when every query of it is valid PromQL there, and has data when every query of it
 * returns at least one series. The failing queries go to stderr.
 *
 * <p>usage: {@code DashboardCheck PROMETHEUS_URL SERVICE|All PATH|All [DASHBOARD_JSON]}
 */
public final class DashboardCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);
    /** An empty or missing answer is asked for again this many times, 2 s apart. */
    private static final int RETRIES = 2;

    private DashboardCheck() {}

    /** What one panel's queries gave. */
    record Panel(String title, boolean ok, boolean data) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: DashboardCheck PROMETHEUS_URL SERVICE|All PATH|All [DASHBOARD_JSON]");
            System.exit(2);
        }
        String service = "All".equals(args[1]) ? DashboardQueries.ALL : args[1];
        String path = "All".equals(args[2]) ? DashboardQueries.ALL : args[2];
        Path dashboard = args.length == 4 ? Path.of(args[3]) : DashboardQueries.dashboardFile();
        List<DashboardQueries.Query> queries;
        try {
            queries = DashboardQueries.load(dashboard, service, path);
        } catch (IOException e) {
            System.err.println("DashboardCheck: cannot read " + dashboard + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        List<Panel> panels = check(URI.create(args[0]), queries);
        // ';' between titles: a title may hold a comma ("Silent-200 ratio, worst endpoints").
        List<String> nodata = panels.stream().filter(p -> !p.data()).map(Panel::title).toList();
        System.out.printf("dashboard service=%s path=%s dashboard_panels=%d dashboard_ok=%d dashboard_data=%d dashboard_nodata=\"%s\"%n",
                args[1], args[2], panels.size(), panels.stream().filter(Panel::ok).count(),
                panels.stream().filter(Panel::data).count(), String.join(";", nodata));
    }

    static List<Panel> check(URI prometheus, List<DashboardQueries.Query> queries) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<DashboardQueries.Query, Result> results = new LinkedHashMap<>();
        for (DashboardQueries.Query q : queries) {
            results.put(q, query(http, prometheus, q.expr()));
        }
        // Asked again: empty answers (a rule evaluation may lag a scrape) and unanswered queries (a busy machine).
        for (int round = 0; round < RETRIES; round++) {
            List<DashboardQueries.Query> again = results.entrySet().stream()
                    .filter(e -> e.getValue() instanceof Result.Unanswered || e.getValue() instanceof Result.Series(int n) && n == 0)
                    .map(Map.Entry::getKey).toList();
            if (again.isEmpty()) {
                break;
            }
            Thread.sleep(2000);
            for (DashboardQueries.Query q : again) {
                results.put(q, query(http, prometheus, q.expr()));
            }
        }
        Map<String, Boolean> ok = new LinkedHashMap<>();
        Map<String, Boolean> data = new LinkedHashMap<>();
        results.forEach((q, result) -> {
            boolean valid = result instanceof Result.Series;
            boolean hasData = result instanceof Result.Series(int n) && n > 0;
            ok.merge(q.panel(), valid, Boolean::logicalAnd);
            data.merge(q.panel(), hasData, Boolean::logicalAnd);
            if (!hasData) {
                System.err.printf("dashboard: %s [%s]: %s%n    %s%n", q.panel(), q.refId(), switch (result) {
                    case Result.Series s -> "no data";
                    case Result.Invalid(String why) -> "invalid: " + why;
                    case Result.Unanswered(String why) -> "no answer: " + why;
                }, q.expr());
            }
        });
        return ok.keySet().stream().map(t -> new Panel(t, ok.get(t), data.get(t))).toList();
    }

    sealed interface Result {
        record Series(int count) implements Result {}

        /** Prometheus rejected the query: not valid there. */
        record Invalid(String why) implements Result {}

        /** No answer (timeout, connection refused). */
        record Unanswered(String why) implements Result {}
    }

    /** An instant query, now, POSTed as Grafana's Prometheus data source does. */
    static Result query(HttpClient http, URI prometheus, String promql) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(prometheus.resolve("/api/v1/query"))
                    .timeout(QUERY_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode root = JSON.readTree(r.body());
            if (r.statusCode() == 400 || r.statusCode() == 422) { // bad_data, execution: the query's own fault
                return new Result.Invalid("HTTP " + r.statusCode() + " " + root.path("errorType").asText() + ": " + root.path("error").asText());
            }
            if (r.statusCode() != 200 || !"success".equals(root.path("status").asText())) { // timeout, not ready
                return new Result.Unanswered("HTTP " + r.statusCode() + " " + root.path("error").asText());
            }
            return new Result.Series(root.path("data").path("result").size());
        } catch (IOException e) {
            return new Result.Unanswered(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
