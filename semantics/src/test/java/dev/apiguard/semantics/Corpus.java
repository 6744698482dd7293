package dev.apiguard.semantics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The labelled corpus under {@code src/test/resources/corpus}: the same lines {@code classify --jsonl} reads, plus labels. */
record Corpus(List<Case> cases) {

    record Case(String id, String source, String file, ResponseSample sample, boolean businessError,
            ErrorType errorType, boolean partialSuccess, boolean tricky) {}

    static Corpus load() {
        try {
            Path dir = Path.of(Corpus.class.getResource("/corpus").toURI());
            ObjectMapper mapper = new ObjectMapper();
            List<Case> cases = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                    for (String line : Files.readAllLines(file)) {
                        if (!line.isBlank()) {
                            cases.add(parse(mapper.readTree(line), file.getFileName().toString()));
                        }
                    }
                }
            }
            return new Corpus(List.copyOf(cases));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Case parse(JsonNode n, String file) {
        byte[] body = n.has("body_base64")
                ? Base64.getDecoder().decode(n.get("body_base64").asText())
                : n.get("body").asText().getBytes(StandardCharsets.UTF_8);
        ResponseSample sample = new ResponseSample(null, n.get("status").asInt(), text(n, "content_type"),
                text(n, "content_encoding"), body, false, text(n, "method"));
        JsonNode expect = n.get("expect");
        ErrorType type = expect.hasNonNull("error_type") ? ErrorType.fromLabel(expect.get("error_type").asText()) : null;
        return new Case(n.get("id").asText(), n.get("source").asText(), file, sample,
                expect.get("business_error").asBoolean(), type, expect.path("partial_success").asBoolean(),
                n.path("tricky").asBoolean());
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    static Stream<Path> files() throws IOException, URISyntaxException {
        return Files.list(Path.of(Corpus.class.getResource("/corpus").toURI()));
    }
}
