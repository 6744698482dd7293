package dev.apiguard.app.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus through the real {@code promtool} (Debian's prometheus package): the rule files
 * pass {@code check rules} with the expected rule counts, the unit tests pass, every alert has a
 * firing and a quiet case in them, and a unit test does fail when a threshold is changed.
 */
class PrometheusRulesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path DIR = DashboardQueries.repoRoot().resolve("deploy/prometheus");
    static final int RECORDING_RULES = 23;
    static final List<String> ALERTS = List.of("ApiguardEndpointScoreLow", "ApiguardSilentErrorBudgetFastBurn",
            "ApiguardSilentErrorBudgetSlowBurn", "ApiguardAgentEventsDropped", "ApiguardRouteOverflow",
            "ApiguardAgentDown", "ApiguardAgentAbsent", "ApiguardBreakerOpenTooLong");

    private record Result(int exit, String output) {}

    private static Result promtool(Path workDir, String... args) throws IOException, InterruptedException {
        Path promtool = RealParts.requireBinary("promtool");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("promtool ends").isTrue();
        return new Result(p.exitValue(), out);
    }

    @Test
    void ruleFilesAreValidWithTheExpectedRules() throws Exception {
        Result r = promtool(DIR, "check", "rules", "apiguard-rules.yml", "apiguard-alerts.yml");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + RECORDING_RULES + " rules found")
                .contains("SUCCESS: " + ALERTS.size() + " rules found");

        JsonNode alerts = YAML.readTree(DIR.resolve("apiguard-alerts.yml").toFile());
        List<String> names = new ArrayList<>();
        for (JsonNode group : alerts.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                names.add(rule.path("alert").asText());
                assertThat(rule.path("labels").path("severity").asText()).as(rule.path("alert").asText())
                        .isIn("critical", "warning");
                assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
                assertThat(rule.path("annotations").path("description").asText()).isNotBlank();
            }
        }
        assertThat(names).containsExactlyElementsOf(ALERTS);
    }

    @Test
    void unitTestsPassAndEveryAlertHasAFiringAndAQuietCase() throws Exception {
        Result r = promtool(DIR.resolve("tests"), "test", "rules", "apiguard-rules-test.yml", "apiguard-alerts-test.yml");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain("FAILED");
        assertThat(r.output().split("SUCCESS", -1)).as(r.output()).hasSize(3);

        Map<String, Integer> firing = new HashMap<>();
        Set<String> quiet = new HashSet<>();
        int groups = 0;
        JsonNode tests = YAML.readTree(DIR.resolve("tests/apiguard-alerts-test.yml").toFile());
        for (JsonNode group : tests.path("tests")) {
            groups++;
            for (JsonNode t : group.path("alert_rule_test")) {
                String alert = t.path("alertname").asText();
                if (t.path("exp_alerts").isEmpty()) {
                    quiet.add(alert);
                } else {
                    firing.merge(alert, t.path("exp_alerts").size(), Integer::sum);
                }
            }
        }
        assertThat(groups).isEqualTo(7);
        assertThat(new TreeSet<>(firing.keySet())).containsExactlyInAnyOrderElementsOf(ALERTS);
        // A quiet case is an empty exp_alerts, or a group whose other series do not fire (named in its comments).
        assertThat(quiet).contains("ApiguardEndpointScoreLow", "ApiguardSilentErrorBudgetSlowBurn",
                "ApiguardAgentEventsDropped", "ApiguardAgentDown", "ApiguardAgentAbsent");
        // Every firing case lists exactly the alerts expected: the quiet series beside it did not fire.
        assertThat(firing).containsEntry("ApiguardSilentErrorBudgetFastBurn", 1)
                .containsEntry("ApiguardSilentErrorBudgetSlowBurn", 2)
                .containsEntry("ApiguardBreakerOpenTooLong", 3)
                .containsEntry("ApiguardRouteOverflow", 1);

        JsonNode ruleTests = YAML.readTree(DIR.resolve("tests/apiguard-rules-test.yml").toFile());
        int exprTests = 0;
        for (JsonNode group : ruleTests.path("tests")) {
            exprTests += group.path("promql_expr_test").size();
        }
        assertThat(exprTests).isEqualTo(26);
    }

    /** The unit tests can fail: with the score threshold at 50 instead of 70, promtool says which case broke. */
    @Test
    void aChangedThresholdFailsTheUnitTests() throws Exception {
        Path copy = Files.createTempDirectory("apiguard-rules-mutant-");
        try {
            Files.createDirectories(copy.resolve("tests"));
            Files.copy(DIR.resolve("apiguard-rules.yml"), copy.resolve("apiguard-rules.yml"));
            Files.copy(DIR.resolve("tests/apiguard-alerts-test.yml"), copy.resolve("tests/apiguard-alerts-test.yml"));
            String alerts = Files.readString(DIR.resolve("apiguard-alerts.yml"));
            assertThat(alerts).contains("apiguard:endpoint_health_score:min < 70");
            Files.writeString(copy.resolve("apiguard-alerts.yml"),
                    alerts.replace("apiguard:endpoint_health_score:min < 70", "apiguard:endpoint_health_score:min < 50"));
            Result r = promtool(copy.resolve("tests"), "test", "rules", "apiguard-alerts-test.yml");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.output()).contains("FAILED").contains("alertname: ApiguardEndpointScoreLow, time: 5m");
        } finally {
            try (var files = Files.walk(copy)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
