package dev.apiguard.app.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The PromQL of every panel of a Grafana dashboard (deploy/grafana/apiguard.json), with the
 * dashboard's template variables {@code $service} and {@code $path} replaced the way Grafana replaces
 * a selected value in a Prometheus query ({@code =~} regex, metacharacters escaped), so that the
 * queries can be sent to a real Prometheus as they would be from Grafana.
 */
public final class DashboardQueries {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Grafana's "All" for the dashboard's variables (their {@code allValue}). */
    public static final String ALL = null;

    private DashboardQueries() {}

    /** One target of one panel. */
    public record Query(String panel, String refId, String expr, boolean instant) {}

    /** The repository's dashboard, found from the module directory tests run in (or the root). */
    public static Path dashboardFile() {
        return repoRoot().resolve("deploy/grafana/apiguard.json");
    }

    /** The repository's root: the nearest directory upwards that holds {@code deploy/}. */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("deploy")) && Files.exists(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no deploy/ directory above " + dir);
    }

    /**
     * Every panel target's expression, in dashboard order (rows skipped, nested row panels included).
     *
     * @param service the selected service, or {@link #ALL}
     * @param path the selected route template, or {@link #ALL}
     */
    public static List<Query> load(Path dashboard, String service, String path) throws IOException {
        JsonNode root = JSON.readTree(dashboard.toFile());
        List<Query> out = new ArrayList<>();
        collect(root.path("panels"), service, path, out);
        return out;
    }

    /** With every variable at "All". */
    public static List<Query> load(Path dashboard) throws IOException {
        return load(dashboard, ALL, ALL);
    }

    private static void collect(JsonNode panels, String service, String path, List<Query> out) {
        for (JsonNode panel : panels) {
            collect(panel.path("panels"), service, path, out); // a collapsed row keeps its panels inside
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (expr.isBlank()) {
                    continue;
                }
                out.add(new Query(panel.path("title").asText(), target.path("refId").asText(),
                        substitute(expr, service, path), target.path("instant").asBoolean(false)));
            }
        }
    }

    /** {@code $service} and {@code $path} (also as {@code ${name}}) by the value Grafana would put there. */
    public static String substitute(String expr, String service, String path) {
        String s = service == null ? ".*" : regexEscape(service);
        String p = path == null ? ".*" : regexEscape(path);
        return expr.replace("${service}", s).replace("$service", s).replace("${path}", p).replace("$path", p);
    }

    /**
     * A literal as an RE2 regex inside a PromQL double-quoted string: each metacharacter gets a
     * backslash, itself written {@code \\} in the string (what Grafana does for multi-value variables).
     */
    static String regexEscape(String literal) {
        StringBuilder b = new StringBuilder(literal.length() + 8);
        for (char c : literal.toCharArray()) {
            if ("\\^$*+?.()|[]{}/".indexOf(c) >= 0) {
                b.append("\\\\");
            } else if (c == '"') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
