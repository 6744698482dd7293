package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.apiguard.app.cli.UsageException;
import dev.apiguard.testkit.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rules suggest}: from recorded JSON lines, usage errors, and an agent that is not there. */
class RulesCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return new RulesCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(List.of(args));
    }

    private static String line(String route, String body) {
        return "{\"route\":\"" + route + "\",\"status\":200,\"content_type\":\"application/json\",\"body\":"
                + "\"" + body.replace("\"", "\\\"") + "\"}";
    }

    @Test
    void suggestsFromJsonLinesWithTheConfigsLearningSettings() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(line("/v1/payouts", "{\"respCode\":\"00\",\"payout\":" + i + "}"));
        }
        lines.add(line("/v1/payouts", "{\"respCode\":\"51\",\"payout\":11}"));
        lines.add(line("/v1/payouts", "{\"respCode\":\"51\",\"payout\":12}"));
        lines.add("not json");
        Path jsonl = Files.write(dir.resolve("responses.jsonl"), lines);
        Path config = Files.writeString(dir.resolve("config.yaml"), "semantics:\n  learning: {min-samples: 10}\n");

        assertThat(run("suggest", "--from-jsonl", jsonl.toString(), "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("apiguard rules: " + jsonl + ": line 13: not JSON");
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("""
                semantics:
                  rules:
                    - name: learned-v1-payouts-respcode
                      # usual /respCode: "00" in 10 of 10; 2 departure(s) looked like failures
                      routes: ["/v1/payouts"]
                      when: {pointer: "/respCode", in: ["51"]}
                      type: generic_business_error
                """);
    }

    @Test
    void saysWhatIsWrongInOneLine() throws Exception {
        assertThatThrownBy(() -> run("propose")).isInstanceOf(UsageException.class).hasMessageContaining("'suggest'");
        assertThatThrownBy(() -> run("suggest", "--from-jsonl", dir.resolve("nope.jsonl").toString()))
                .isInstanceOf(UsageException.class).hasMessage("--from-jsonl: " + dir.resolve("nope.jsonl") + " does not exist");
        Path off = Files.writeString(dir.resolve("off.yaml"), "semantics:\n  learning: {enabled: false}\n");
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
        assertThatThrownBy(() -> run("suggest", "--from-jsonl", empty.toString(), "--config", off.toString()))
                .isInstanceOf(UsageException.class).hasMessageContaining("nothing to learn");
        int port = Ports.free();
        assertThat(run("suggest", "--agent", "127.0.0.1:" + port)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).trim()).isEqualTo("apiguard rules: cannot read http://127.0.0.1:" + port
                + "/api/v1/baselines: nothing answers there (is the agent running?)");
    }
}
