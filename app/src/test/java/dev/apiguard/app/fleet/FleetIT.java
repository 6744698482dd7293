package dev.apiguard.app.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

/**
 * The fleet with real processes: {@code scripts/fleet.sh --all} builds three network namespaces, a
 * shop and an agent ({@code --netns}) per node, a real Prometheus, the scorer, two gateway replicas
 * behind one round robin, and a bounded load; it runs the incident, Prometheus-restart and
 * agent-loss scenarios, runs every panel query of the Grafana dashboard against the fleet's
 * Prometheus after the incident, and prints {@code FLEET key=value ...} lines, which this test
 * asserts on (the script's own checks too, but each property is asserted here from the raw figures).
 */
class FleetIT {
    /** The whole --all run: about 90 s on an idle 2-vCPU machine; generous for a loaded one. */
    private static final long RUN_LIMIT_SECONDS = 300;
    /** fleet.sh's OPEN_DEADLINE: from the incident to both breakers open. */
    private static final double OPEN_WITHIN_SECONDS = 45;
    private static final double TRIP_SCORE = 70;
    private static final List<String> ROUTES = List.of("/api/v1/checkout", "/api/v1/search", "/api/v1/users/{id}");

    @Test
    void theFleetScoresRoutesFleetWideAndBothGatewaysTripTheIncidentRouteOnly() throws Exception {
        RealParts.requireRoot();
        for (String tool : List.of("ip", "prometheus", "haproxy", "curl", "jq", "flock", "bash")) {
            RealParts.requireBinary(tool);
        }
        RealParts.require(Files.isExecutable(Path.of("/usr/bin/python3")), "Debian's python3 (/usr/bin/python3)");
        Path script = findScript();
        Path stderr = Files.createTempFile("fleet", ".log");
        ProcessBuilder command = new ProcessBuilder("bash", script.toString(), "--all")
                .redirectError(stderr.toFile());
        command.environment().put("JAVA_HOME", System.getProperty("java.home"));
        command.environment().put("FLEET_CLASSPATH", System.getProperty("java.class.path"));
        Process fleet = command.start();
        List<String> out = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (var lines = fleet.inputReader(StandardCharsets.UTF_8)) {
                lines.lines().forEach(line -> {
                    synchronized (out) {
                        out.add(line);
                    }
                });
            } catch (IOException ignored) {
                // the process is gone; what was read is asserted on
            }
        });
        boolean finished = fleet.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            fleet.destroy(); // SIGTERM: the script's trap stops what it started and removes its namespaces
            fleet.waitFor(60, TimeUnit.SECONDS);
            fleet.destroyForcibly();
        }
        reader.join(10_000);
        String log = Files.readString(stderr);
        Files.delete(stderr);
        List<String> lines;
        synchronized (out) {
            lines = List.copyOf(out);
        }
        String context = String.join("\n", lines) + "\n--- stderr ---\n" + tail(log, 60);
        assertThat(finished).as("fleet.sh --all within %d s\n%s", RUN_LIMIT_SECONDS, context).isTrue();

        // One fleet-wide score per route (three nodes, one service), not one per node.
        Map<String, String> perRoute = line(lines, "scores_per_route", context);
        for (String route : ROUTES) {
            assertThat(perRoute.get(route)).as("scores of %s\n%s", route, context).isEqualTo("1");
        }
        assertThat(perRoute.get("instances")).as(context).isEqualTo("3");

        // (a) Incident on node2: the route's fleet score falls below the trip score; its bad share is
        // about a third; both gateways open that route's breaker in time, from the score; no other route opens.
        Map<String, String> detected = line(lines, "detected", context);
        assertThat(detected.get("after_s")).as(context).isNotEqualTo("never");
        assertThat(Double.parseDouble(detected.get("score"))).as(context).isLessThan(TRIP_SCORE);
        // Over the ~8 s from the incident to the first open: one missed scrape on a busy machine moves it.
        assertThat(Double.parseDouble(detected.get("bad_share"))).as(context).isBetween(0.15, 0.5);
        for (String gateway : List.of("gw1", "gw2")) {
            Map<String, String> open = line(lines, "breaker_open gateway=" + gateway, context);
            assertThat(open.get("route")).isEqualTo("/api/v1/checkout");
            assertThat(open.get("after_s")).as(context).isNotEqualTo("never");
            assertThat(Double.parseDouble(open.get("after_s"))).as(context).isLessThanOrEqualTo(OPEN_WITHIN_SECONDS);
            assertThat(open.get("reason")).as(context).startsWith("health_score_");
            assertThat(line(lines, "other_routes_opened gateway=" + gateway, context).get("count")).as(context).isEqualTo("0");
        }
        assertThat(line(lines, "recovered", context).get("after_s")).as(context).isNotEqualTo("never");

        // The Grafana dashboard on the live fleet (its Prometheus loads deploy/prometheus's rules and
        // scrapes agents, scorer and gateways): every panel's queries are valid and return data, for
        // the incident's route and for All.
        long panels = DashboardQueries.load(DashboardQueries.dashboardFile()).stream()
                .map(DashboardQueries.Query::panel).distinct().count();
        assertThat(panels).isEqualTo(22);
        for (String selection : List.of("service=shop path=/api/v1/checkout", "service=All path=All")) {
            Map<String, String> dashboard = line(lines, "dashboard " + selection, context);
            assertThat(dashboard.get("dashboard_panels")).as(context).isEqualTo(Long.toString(panels));
            assertThat(dashboard.get("dashboard_ok")).as(context).isEqualTo(Long.toString(panels));
            assertThat(dashboard.get("dashboard_nodata")).as(context).isEmpty();
            assertThat(dashboard.get("dashboard_data")).as(context).isEqualTo(Long.toString(panels));
        }

        // (c) Prometheus restart: the scores come back and no breaker changes state meanwhile.
        Map<String, String> restart = line(lines, "prometheus_restart", context);
        assertThat(restart.get("scores_back_after_s")).as(context).isNotEqualTo("never");
        assertThat(restart.get("breaker_changes")).as(context).isEqualTo("0");

        // (b) One agent killed: Prometheus sees it down, two instances carry the traffic, every route is
        // still scored, nothing trips.
        Map<String, String> oneGone = line(lines, "agent_killed", context);
        assertThat(oneGone.get("up")).as(context).isEqualTo("node1=0,node2=1,node3=1");
        assertThat(oneGone.get("instances_with_traffic")).as(context).isEqualTo("2");
        assertThat(oneGone.get("scored_routes")).as(context).isEqualTo(String.join(",", ROUTES));
        assertThat(oneGone.get("breakers_opened")).as(context).isEqualTo("0");
        // Every agent killed: no scores left; both gateways fail open (all closed, nothing opened) and say why.
        Map<String, String> allGone = line(lines, "all_agents_killed", context);
        assertThat(allGone.get("fail_open_after_s")).as(context).isNotEqualTo("never");
        assertThat(allGone.get("breakers_not_closed")).as(context).isEqualTo("0");
        assertThat(allGone.get("breakers_opened")).as(context).isEqualTo("0");
        assertThat(allGone.get("scored_routes")).as(context).isEmpty();
        assertThat(line(lines, "fail_open_log", context).get("gw1"))
                .as(context).contains("no fresh health score").contains("(fail open)");

        assertThat(lines).as(context).noneMatch(l -> l.contains(" ok=false"));
        assertThat(lines.getLast()).as(context).isEqualTo("FLEET result=pass");
        assertThat(fleet.exitValue()).as(context).isZero();
        // The script removed what it created.
        Process netns = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String namespaces = new String(netns.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        netns.waitFor(10, TimeUnit.SECONDS);
        assertThat(namespaces).doesNotContain("apiguard-fleet-node");
    }

    private static final Pattern PAIR = Pattern.compile("(\\S+?)=(\"[^\"]*\"|\\S*)");

    /** The key=value pairs of the first "FLEET PREFIX ..." line (a quoted value loses its quotes). */
    private static Map<String, String> line(List<String> lines, String prefix, String context) {
        Optional<String> found = lines.stream().filter(l -> l.equals("FLEET " + prefix) || l.startsWith("FLEET " + prefix + " ")).findFirst();
        assertThat(found).as("a 'FLEET %s' line\n%s", prefix, context).isPresent();
        Map<String, String> pairs = new LinkedHashMap<>();
        Matcher m = PAIR.matcher(found.get().substring("FLEET ".length()));
        while (m.find()) {
            String value = m.group(2);
            pairs.put(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
        }
        return pairs;
    }

    private static Path findScript() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path script = dir.resolve("scripts/fleet.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new AssertionError("scripts/fleet.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }
}
