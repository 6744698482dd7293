package dev.apiguard.score;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code /api/v1/scores} document, and its reader (for a gateway that polls another scorer).
 *
 * <pre>{@code
 * {"source":"prometheus","generated_at":"2026-11-24T23:00:05Z",
 *  "scores":[{"service":"shop","path":"/checkout/pay","score":40.0,"state":"critical",
 *             "stale":false,"staleness_seconds":0.0,"evaluated_at":"2026-11-24T23:00:05Z",
 *             "window":"PT5M","requests":412.0,"components":{"business_critical":60.0}}]}
 * }</pre>
 * {@code score} is null while the state is {@code unknown}; {@code staleness_seconds} is the age of
 * the data behind the score.
 */
public final class ScoresJson {
    public static final String CONTENT_TYPE = "application/json";
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private ScoresJson() {}

    public static byte[] render(List<EndpointScore> scores, String source, Instant now) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + scores.size() * 256);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("source", source);
            g.writeStringField("generated_at", now.toString());
            g.writeArrayFieldStart("scores");
            for (EndpointScore s : scores) {
                g.writeStartObject();
                g.writeStringField("service", s.service());
                g.writeStringField("path", s.path());
                g.writeFieldName("score");
                if (s.score().isPresent()) {
                    g.writeNumber(round(s.score().getAsDouble()));
                } else {
                    g.writeNull();
                }
                g.writeStringField("state", s.state().label());
                g.writeBooleanField("stale", s.stale());
                g.writeNumberField("staleness_seconds", round(Math.max(0, Duration.between(s.evaluatedAt(), now).toMillis() / 1000.0)));
                g.writeStringField("evaluated_at", s.evaluatedAt().toString());
                g.writeStringField("window", s.window().toString());
                g.writeNumberField("requests", round(s.requests()));
                g.writeObjectFieldStart("components");
                for (Map.Entry<String, Double> p : s.penalties().entrySet()) {
                    g.writeNumberField(p.getKey(), round(p.getValue()));
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a document written by {@link #render}.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static List<EndpointScore> parse(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (root == null || !root.path("scores").isArray()) {
            throw new IllegalArgumentException("no 'scores' array");
        }
        List<EndpointScore> out = new ArrayList<>();
        try {
            for (JsonNode s : root.get("scores")) {
                Map<String, Double> components = new LinkedHashMap<>();
                s.path("components").properties().forEach(e -> components.put(e.getKey(), e.getValue().asDouble()));
                JsonNode score = s.path("score");
                out.add(new EndpointScore(
                        text(s, "service"),
                        text(s, "path"),
                        score.isNumber() ? OptionalDouble.of(score.asDouble()) : OptionalDouble.empty(),
                        HealthState.fromLabel(text(s, "state")),
                        s.path("stale").asBoolean(false),
                        Instant.parse(text(s, "evaluated_at")),
                        components,
                        s.has("window") ? Duration.parse(text(s, "window")) : Duration.ZERO,
                        s.path("requests").asDouble(0)));
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad time or duration: " + e.getParsedString());
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("a score lacks '" + field + "'");
        }
        return v.asText();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
