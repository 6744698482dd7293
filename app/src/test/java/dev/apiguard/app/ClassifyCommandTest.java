package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.apiguard.app.cli.UsageException;

/** {@code ./apiguard classify} in-process, stdin and stdout redirected. */
class ClassifyCommandTest {
    private static final String AUTH_SILENT =
            "{\"business_error\":true,\"error_type\":\"auth_failure\",\"severity\":\"high\",\"silent\":true,\"partial_success\":false,"
            + "\"family\":\"envelope\",\"batch_partial\":false}";
    private static final String OK_SILENT =
            "{\"business_error\":false,\"error_type\":null,\"severity\":null,\"silent\":true,\"partial_success\":false,"
            + "\"family\":null,\"batch_partial\":false}";

    private record Result(int code, String out) {}

    private static Result run(byte[] stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new ClassifyCommand(new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8))
                .run(List.of(args));
        return new Result(code, out.toString(StandardCharsets.UTF_8));
    }

    private static Result run(String stdin, String... args) throws Exception {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    @Test
    void oneBodyOnStdin() throws Exception {
        assertThat(run("{\"ok\":false,\"error\":\"invalid_auth\"}", "--status", "200", "--content-type", "application/json"))
                .isEqualTo(new Result(0, AUTH_SILENT + "\n"));
        assertThat(run("{\"ok\":true}", "--status=200", "--content-type=application/json"))
                .isEqualTo(new Result(0, OK_SILENT + "\n"));
        assertThat(run("{\"message\":\"Bad credentials\"}", "--status", "401", "--content-type", "application/json").out())
                .isEqualTo("{\"business_error\":true,\"error_type\":\"auth_failure\",\"severity\":\"high\",\"silent\":false,\"partial_success\":false,"
                        + "\"family\":\"envelope\",\"batch_partial\":false}\n");
        assertThat(run("ACK=Failure&L_ERRORCODE0=15005&L_SHORTMESSAGE0=Processor%20Decline", "--status", "200",
                "--content-type", "application/x-www-form-urlencoded").out())
                .isEqualTo("{\"business_error\":true,\"error_type\":\"payment_failure\",\"severity\":\"critical\",\"silent\":true,\"partial_success\":false,"
                        + "\"family\":\"form\",\"batch_partial\":false}\n");
        assertThat(run("{\"took\":1,\"errors\":true,\"items\":[{\"index\":{\"_id\":\"0\",\"status\":201}},{\"index\":{\"_id\":\"1\",\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\"}}}]}",
                "--status", "200", "--content-type", "application/json").out())
                .isEqualTo("{\"business_error\":true,\"error_type\":\"rate_limit\",\"severity\":\"high\",\"silent\":true,\"partial_success\":true,"
                        + "\"family\":\"batch\",\"batch_partial\":true}\n");
    }

    @Test
    void theMethodTellsAChargeMadeFromAChargeRead() throws Exception {
        String charge = "{\"object\":\"charge\",\"id\":\"ch_1\",\"amount\":100,\"status\":\"failed\","
                + "\"failure_code\":\"card_declined\"}";
        String failed = "{\"business_error\":true,\"error_type\":\"payment_failure\",\"severity\":\"critical\",\"silent\":true,"
                + "\"partial_success\":false,\"family\":\"payment\",\"batch_partial\":false}\n";
        assertThat(run(charge, "--status", "200", "--content-type", "application/json", "--method", "POST"))
                .isEqualTo(new Result(0, failed));
        assertThat(run(charge, "--status", "200", "--content-type", "application/json", "--method", "GET"))
                .isEqualTo(new Result(0, OK_SILENT + "\n"));
        assertThat(run(charge, "--status", "200", "--content-type", "application/json"))
                .isEqualTo(new Result(0, OK_SILENT + "\n"));
        String lines = "{\"status\":200,\"content_type\":\"application/json\",\"method\":\"POST\",\"body\":" + quote(charge) + "}\n"
                + "{\"status\":200,\"content_type\":\"application/json\",\"method\":\"GET\",\"body\":" + quote(charge) + "}\n"
                + "{\"status\":200,\"content_type\":\"application/json\",\"method\":\"GE T\",\"body\":\"{}\"}\n";
        assertThat(run(lines, "--jsonl")).isEqualTo(new Result(1, failed + OK_SILENT + "\n"
                + "{\"error\":\"\\\"method\\\" must be an HTTP method such as GET or POST\",\"line\":3}\n"));
        assertThatThrownBy(() -> run("{}", "--status", "200", "--content-type", "x", "--method", "G:T"))
                .isInstanceOf(UsageException.class).hasMessage("--method must be an HTTP method such as GET or POST, got 'G:T'");
        assertThatThrownBy(() -> run("{}", "--jsonl", "--method", "GET"))
                .isInstanceOf(UsageException.class).hasMessageContaining("does not go with --jsonl");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void gzipBody() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write("{\"ok\":false,\"error\":\"invalid_auth\"}".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(run(gz.toByteArray(), "--status", "200", "--content-type", "application/json", "--content-encoding", "gzip"))
                .isEqualTo(new Result(0, AUTH_SILENT + "\n"));
    }

    @Test
    void usageErrors() {
        assertThatThrownBy(() -> run("{}", "--content-type", "application/json"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--status and --content-type are required");
        assertThatThrownBy(() -> run("{}", "--status", "abc", "--content-type", "x"))
                .isInstanceOf(UsageException.class).hasMessage("--status 'abc': must be an HTTP status within 100..599");
        assertThatThrownBy(() -> run("{}", "--status", "700", "--content-type", "x"))
                .isInstanceOf(UsageException.class).hasMessageContaining("within 100..599");
        assertThatThrownBy(() -> run("{}", "--status", "200", "--content-type", "x", "--content-encoding", "br"))
                .isInstanceOf(UsageException.class).hasMessageContaining("gzip or deflate");
        assertThatThrownBy(() -> run("{}", "--jsonl", "--status", "200"))
                .isInstanceOf(UsageException.class).hasMessageContaining("does not go with --jsonl");
        assertThatThrownBy(() -> run("{}", "--bogus")).isInstanceOf(UsageException.class).hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> run("{}", "body.json")).isInstanceOf(UsageException.class).hasMessageContaining("unexpected argument");
    }

    @Test
    void brokenRulesFileIsAUsageErrorNamingTheRule(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, "rules:\n  - name: checkout\n    when: {pointer: /a, regex: \"(\"}\n    type: payment_failure\n");
        assertThatThrownBy(() -> run("{}", "--jsonl", "--rules", rules.toString()))
                .isInstanceOf(dev.apiguard.config.ConfigException.class)
                .hasMessageStartingWith("config error: rules[0].when.regex: bad regular expression '('");
        assertThatThrownBy(() -> run("{}", "--jsonl", "--rules", dir.resolve("missing.yaml").toString()))
                .isInstanceOf(dev.apiguard.config.ConfigException.class).hasMessageContaining("does not exist");
        // The whole config file works too, through the same loader: every section is checked.
        Files.writeString(rules, "semantics:\n  rules:\n    - name: checkout\n      content_types: [a/b]\n");
        assertThatThrownBy(() -> run("{}", "--jsonl", "--rules", rules.toString()))
                .hasMessage("config error: semantics.rules[0].content_types: renamed to content-types (keys are kebab-case)");
        Files.writeString(rules, "gateway: {max-connections: 1.9}\n");
        assertThatThrownBy(() -> run("{}", "--jsonl", "--rules", rules.toString()))
                .hasMessage("config error: gateway.max-connections: must be a whole number between 1 and 1000000, got '1.9'");
    }

    @Test
    void rulesAndRoute(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                rules:
                  - name: declines
                    routes: ["/checkout*"]
                    when: {pointer: /result/status, equals: DECLINED}
                    type: payment_failure
                """);
        String body = "{\"result\":{\"status\":\"DECLINED\"}}";
        assertThat(run(body, "--status", "200", "--content-type", "application/json", "--rules", rules.toString(),
                "--route", "/checkout/{id}").out())
                .isEqualTo("{\"business_error\":true,\"error_type\":\"payment_failure\",\"severity\":\"critical\",\"silent\":true,\"partial_success\":false,"
                        + "\"family\":\"user_rule\",\"batch_partial\":false}\n");
        assertThat(run(body, "--status", "200", "--content-type", "application/json", "--rules", rules.toString(),
                "--route", "/orders").out()).as("outside the rule's routes the built-in wrapper rule decides")
                .isEqualTo("{\"business_error\":true,\"error_type\":\"payment_failure\",\"severity\":\"critical\",\"silent\":true,\"partial_success\":false,"
                        + "\"family\":\"payment\",\"batch_partial\":false}\n");
    }

    @Test
    void jsonlKeepsOutputLineAlignedAndExitsOneOnBadLines() throws Exception {
        String gzip = Base64.getEncoder().encodeToString(gzip("{\"ok\":false,\"error\":\"invalid_auth\"}"));
        String input = String.join("\n",
                "{\"status\":200,\"content_type\":\"application/json\",\"body\":\"{\\\"ok\\\":false,\\\"error\\\":\\\"invalid_auth\\\"}\",\"id\":\"ignored\"}",
                "not json",
                "{\"status\":200,\"content_type\":\"application/json\",\"content_encoding\":\"gzip\",\"body_base64\":\"" + gzip + "\"}",
                "",
                "{\"content_type\":\"application/json\",\"body\":\"{}\"}",
                "{\"status\":200,\"content_type\":\"application/json\",\"body\":\"{}\",\"body_base64\":\"e30=\"}",
                "{\"status\":200,\"content_type\":\"application/json\",\"body_base64\":\"%%%\"}",
                "[1]",
                "{\"status\":200,\"content_type\":\"application/json\",\"body\":\"{\\\"ok\\\":true}\"}\r");
        Result r = run(input, "--jsonl");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out().split("\n", -1)).containsExactly(
                AUTH_SILENT,
                "{\"error\":\"not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\",\"line\":2}",
                AUTH_SILENT,
                "{\"error\":\"empty line\",\"line\":4}",
                "{\"error\":\"\\\"status\\\" must be a number between 100 and 599\",\"line\":5}",
                "{\"error\":\"give exactly one of \\\"body\\\" and \\\"body_base64\\\"\",\"line\":6}",
                "{\"error\":\"\\\"body_base64\\\" is not base64: Illegal base64 character 25\",\"line\":7}",
                "{\"error\":\"expected a JSON object\",\"line\":8}",
                OK_SILENT,
                "");
        assertThat(run("", "--jsonl")).isEqualTo(new Result(0, ""));
    }

    @Test
    void theCorpusRunsThroughJsonlWithItsLabels() throws Exception {
        Path dir = Path.of("../semantics/src/test/resources/corpus");
        int lines = 0;
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                List<String> input = Files.readAllLines(file);
                Result r = run(String.join("\n", input) + "\n", "--jsonl");
                assertThat(r.code()).as(file.toString()).isZero();
                String[] verdicts = r.out().split("\n");
                assertThat(verdicts).hasSize(input.size());
                for (int i = 0; i < input.size(); i++) {
                    var expect = new com.fasterxml.jackson.databind.ObjectMapper().readTree(input.get(i)).get("expect");
                    var got = new com.fasterxml.jackson.databind.ObjectMapper().readTree(verdicts[i]);
                    assertThat(got.get("business_error")).as(input.get(i)).isEqualTo(expect.get("business_error"));
                    assertThat(got.get("partial_success")).as(input.get(i)).isEqualTo(expect.get("partial_success"));
                    lines++;
                }
            }
        }
        assertThat(lines).isGreaterThanOrEqualTo(120);
    }

    private static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
