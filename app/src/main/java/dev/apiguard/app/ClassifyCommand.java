package dev.apiguard.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.apiguard.app.cli.Args;
import dev.apiguard.app.cli.Command;
import dev.apiguard.app.cli.UsageException;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.ResponseSample;
import dev.apiguard.semantics.SemanticsConfig;
import dev.apiguard.app.config.ApiguardConfig;
import dev.apiguard.config.ConfigNode;
import dev.apiguard.semantics.Verdict;

/** {@code ./apiguard classify}: one body on stdin, or JSON lines with {@code --jsonl}; prints verdict JSON. */
final class ClassifyCommand implements Command {
    /** A single body is read up to this size; the rest is left unread and the body marked truncated. */
    static final int MAX_BODY = 1 << 20;
    /** A JSON line longer than this is reported as an error and skipped. */
    static final int MAX_LINE = 8 << 20;

    private static final Set<String> VALUED = Set.of("status", "content-type", "content-encoding", "rules", "route", "method");
    private static final Set<String> FLAGS = Set.of("jsonl");
    private static final Set<String> ENCODINGS = Set.of("gzip", "x-gzip", "deflate", "identity");
    /** Built on first use: Main creates every command, and an ObjectMapper loads a few hundred classes the agent never needs. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final InputStream in;
    private final PrintStream out;

    ClassifyCommand() {
        this(System.in, System.out);
    }

    ClassifyCommand(InputStream in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public String name() {
        return "classify";
    }

    @Override
    public String summary() {
        return "classify one response body (stdin) or JSON lines (--jsonl); prints verdict JSON";
    }

    @Override
    public String help() {
        return """
                usage: ./apiguard classify --status N --content-type T [--content-encoding gzip|deflate] [--method M] [--route R] [--rules FILE] < body
                       ./apiguard classify --jsonl [--route R] [--rules FILE] < lines.jsonl

                Reads a response body and prints one verdict line:
                  {"business_error":bool,"error_type":...|null,"severity":...|null,"silent":bool,"partial_success":bool,
                   "family":...|null,"batch_partial":bool}
                family (what the verdict rests on): envelope, problem, jsonrpc, graphql, payment, vendor_code,
                batch, xml, form, ndjson, user_rule, learned; batch_partial: items of a batch failed.

                options:
                  --status N                the response status (100-599); required without --jsonl
                  --content-type T          the Content-Type header; required without --jsonl
                  --content-encoding E      gzip or deflate when the body is compressed (default: none)
                  --method M                the request method (GET, POST ...; default: unknown). A record in a failed
                                            or declined state answers a POST/PUT/PATCH as this request's failure (a
                                            declined charge); a GET/HEAD read it back, which succeeded
                  --jsonl                   read JSON lines {"status":N,"content_type":T,"content_encoding":E?,
                                            "method":M?, "body":"..." | "body_base64":"..."} and print one line per
                                            input line, in order; other fields are ignored, except "route", which
                                            overrides --route.
                                            A null or missing content_type, or an encoding other than gzip/deflate
                                            (such as br), is classified as not readable: business_error false.
                                            A bad line prints {"error":"...","line":n}; the exit code is then 1.
                  --route R                 the route template, for rules and severities scoped by route (default: none)
                  --rules FILE              YAML user rules and severity overrides (rules:, severity: at the top,
                                            or the whole config file with its semantics: section): rules scoped by route and
                                            content type, matched by JSON Pointer (equals, in, exists, non-empty,
                                            regex), plus not-an-error allow-list rules; see the javadoc of
                                            dev.apiguard.semantics.SemanticsConfig and the sample
                                            semantics/src/test/resources/rules-example.yaml.
                                            A broken file exits with code 2 and names the key path (rules[0].when).

                A single body is read up to 1 MiB; a JSON line up to 8 MiB.
                exit codes: 0 ok, 1 a bad input line, 2 usage or rules-file error

                examples:
                  echo '{"ok":false,"error":"invalid_auth"}' | ./apiguard classify --status 200 --content-type application/json
                  ./apiguard classify --jsonl --rules rules.yaml < samples.jsonl
                """;
    }

    @Override
    public int run(List<String> argv) throws UsageException, IOException {
        Args args = Args.parse(argv, VALUED, FLAGS);
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positional().getFirst() + "' (the body is read from stdin)");
        }
        Classifier classifier = classifier(args.get("rules"));
        String route = args.get("route");
        if (args.has("jsonl")) {
            for (String perLine : List.of("status", "content-type", "content-encoding", "method")) {
                if (args.has(perLine)) {
                    throw new UsageException("--" + perLine + " does not go with --jsonl: each line carries its own");
                }
            }
            return jsonl(classifier, route);
        }
        if (!args.has("status") || !args.has("content-type")) {
            throw new UsageException("--status and --content-type are required (or use --jsonl)");
        }
        int status = args.getInt("status", 0, 100, 599, "an HTTP status");
        String method = args.get("method");
        if (method != null && !validMethod(method)) {
            throw new UsageException("--method must be an HTTP method such as GET or POST, got '" + method + "'");
        }
        String encoding = args.get("content-encoding");
        if (encoding != null && !ENCODINGS.contains(encoding.toLowerCase(Locale.ROOT))) {
            throw new UsageException("--content-encoding must be gzip or deflate, got '" + encoding + "'");
        }
        byte[] body = in.readNBytes(MAX_BODY + 1);
        boolean truncated = body.length > MAX_BODY;
        if (truncated) {
            body = java.util.Arrays.copyOf(body, MAX_BODY);
        }
        Verdict verdict = classifier.classify(new ResponseSample(route, status, args.get("content-type"), encoding, body, truncated,
                method));
        out.println(verdict.toJson());
        out.flush();
        return 0;
    }

    private static Classifier classifier(String rulesFile) throws UsageException {
        if (rulesFile == null) {
            return Classifiers.builtIn();
        }
        // Through the one loader: a rules file (rules:, severity: at the top) or the whole config file,
        // whose sections are all checked and whose semantics: section is used.
        ConfigNode root = ConfigNode.load(Path.of(rulesFile));
        boolean wholeFile = ApiguardConfig.SECTIONS.stream().anyMatch(root::has);
        return Classifiers.create(wholeFile ? ApiguardConfig.bind(root).semantics() : SemanticsConfig.bind(root));
    }

    private int jsonl(Classifier classifier, String defaultRoute) throws IOException {
        LineReader lines = new LineReader(in, MAX_LINE);
        int bad = 0;
        for (long number = 1; ; number++) {
            LineReader.Line line = lines.next();
            if (line == null) {
                break;
            }
            String result;
            try {
                result = classifier.classify(sample(line, defaultRoute)).toJson();
            } catch (BadLine e) {
                bad++;
                ObjectNode error = JsonNodeFactory.instance.objectNode();
                error.put("error", e.getMessage());
                error.put("line", number);
                result = error.toString();
            }
            out.println(result);
            if (in.available() == 0) {
                out.flush(); // interactive use: answer each line as it comes
            }
        }
        out.flush();
        return bad == 0 ? 0 : 1;
    }

    /** One JSONL line as a response (also read by {@code rules suggest --from-jsonl}). */
    static ResponseSample sample(LineReader.Line line, String defaultRoute) throws BadLine {
        if (line.tooLong()) {
            throw new BadLine("line longer than " + MAX_LINE + " bytes");
        }
        if (line.isBlank()) {
            throw new BadLine("empty line");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line.bytes(), 0, line.length());
        } catch (JsonProcessingException e) {
            throw new BadLine("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadLine("unreadable: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadLine("expected a JSON object");
        }
        JsonNode status = node.get("status");
        if (status == null || !status.canConvertToInt() || !status.isIntegralNumber()
                || status.asInt() < 100 || status.asInt() > 599) {
            throw new BadLine("\"status\" must be a number between 100 and 599");
        }
        // Replayed traffic may lack a Content-Type or use an encoding we do not inflate (br): both
        // are data, classified as "nothing to report", not input errors.
        String contentType = string(node, "content_type", false);
        String encoding = string(node, "content_encoding", false);
        String route = node.hasNonNull("route") ? string(node, "route", false) : defaultRoute;
        String method = string(node, "method", false);
        if (method != null && !validMethod(method)) {
            throw new BadLine("\"method\" must be an HTTP method such as GET or POST");
        }
        boolean hasBody = node.hasNonNull("body");
        boolean hasBase64 = node.hasNonNull("body_base64");
        if (hasBody == hasBase64) {
            throw new BadLine("give exactly one of \"body\" and \"body_base64\"");
        }
        byte[] body;
        if (hasBody) {
            body = string(node, "body", true).getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                body = Base64.getDecoder().decode(string(node, "body_base64", true));
            } catch (IllegalArgumentException e) {
                throw new BadLine("\"body_base64\" is not base64: " + e.getMessage());
            }
        }
        return new ResponseSample(route, status.asInt(), contentType, encoding, body, false, method);
    }

    /** An HTTP method is a short token of letters (RFC 9110 allows more, but no real method uses it). */
    static boolean validMethod(String method) {
        if (method.isEmpty() || method.length() > 16) {
            return false;
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    private static String string(JsonNode node, String field, boolean required) throws BadLine {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new BadLine("missing \"" + field + "\"");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new BadLine("\"" + field + "\" must be a string");
        }
        return value.asText();
    }

    /** One input line's problem; reported on that line's output, then the next line is read. */
    static final class BadLine extends Exception {
        private static final long serialVersionUID = 1L;

        BadLine(String message) {
            super(message, null, false, false);
        }
    }

    /** Splits a byte stream into lines of bounded length ({@code \n} or {@code \r\n}). */
    static final class LineReader {
        record Line(byte[] bytes, int length, boolean tooLong) {
            boolean isBlank() {
                for (int i = 0; i < length; i++) {
                    if (!Character.isWhitespace(bytes[i])) {
                        return false;
                    }
                }
                return true;
            }
        }

        private final InputStream in;
        private final int max;
        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int end;
        private boolean eof;

        LineReader(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        /** The next line, or null at the end of input (a final line without a newline counts). */
        Line next() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean tooLong = false;
            boolean any = false;
            while (true) {
                if (pos == end) {
                    if (eof || !fill()) {
                        return any ? finish(line, tooLong) : null;
                    }
                }
                any = true;
                int start = pos;
                while (pos < end && buffer[pos] != '\n') {
                    pos++;
                }
                int n = pos - start;
                if (!tooLong) {
                    if (line.size() + n > max) {
                        tooLong = true;
                        line.reset();
                    } else {
                        line.write(buffer, start, n);
                    }
                }
                if (pos < end) {
                    pos++; // the newline
                    return finish(line, tooLong);
                }
            }
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer);
            if (n <= 0) {
                eof = true;
                return false;
            }
            pos = 0;
            end = n;
            return true;
        }

        private static Line finish(ByteArrayOutputStream line, boolean tooLong) {
            byte[] bytes = line.toByteArray();
            int length = bytes.length;
            if (length > 0 && bytes[length - 1] == '\r') {
                length--;
            }
            return new Line(bytes, length, tooLong);
        }
    }
}
