package dev.apiguard.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apiguard.semantics.learn.BaselineLearner;
import dev.apiguard.semantics.learn.BaselineSnapshot;
import dev.apiguard.semantics.learn.LearningSettings;

/**
 * The learned baselines as the node serves them: {@code GET /api/v1/baselines} (what
 * {@code rules suggest} reads), a {@code baseline} summary beside each endpoint of
 * {@code /api/v1/endpoints}, and the dashboard's per-row summary.
 */
final class BaselinesView {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BaselinesView() {}

    /** @param learner null when learning is off */
    static String json(BaselineLearner learner) {
        if (learner != null) {
            return learner.snapshot().toJson();
        }
        LearningSettings d = LearningSettings.DEFAULTS;
        return new BaselineSnapshot(new BaselineSnapshot.Settings(false, d.minSamples(), d.dominance(), d.maxRoutes(),
                d.maxFields(), d.maxValues()), List.of(), Map.of()).toJson();
    }

    /** The endpoints document with a {@code baseline} object on each endpoint whose route was learned. */
    static String endpoints(String endpointsJson, BaselineLearner learner) {
        if (learner == null) {
            return endpointsJson;
        }
        try {
            JsonNode doc = JSON.readTree(endpointsJson);
            BaselineSnapshot snapshot = learner.snapshot();
            for (JsonNode e : doc.path("endpoints")) {
                BaselineSnapshot.Route route = snapshot.route(e.path("path").asText());
                if (route != null && e instanceof ObjectNode o) {
                    o.set("baseline", JSON.valueToTree(summary(route)));
                }
            }
            return JSON.writeValueAsString(doc);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per route: samples, formed, flagged, the always-present fields and the usual outcome values. */
    static Map<String, Object> summary(BaselineSnapshot.Route route) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", route.samples());
        m.put("formed", route.formed());
        m.put("flagged", route.flagged());
        List<String> always = new ArrayList<>();
        Map<String, Object> usual = new LinkedHashMap<>();
        for (BaselineSnapshot.Field f : route.fields()) {
            if (f.alwaysPresent()) {
                always.add(f.pointer());
            }
            if (f.usual() != null) {
                usual.put(f.pointer(), value(f.usual()));
            }
        }
        m.put("always_present", always);
        m.put("usual", usual);
        return m;
    }

    /** Route → summary, for the dashboard. */
    static Map<String, Map<String, Object>> summaries(BaselineLearner learner) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (learner != null) {
            learner.snapshot().routes().forEach(r -> out.put(r.route(), summary(r)));
        }
        return out;
    }

    private static Object value(BaselineSnapshot.ValueCount v) {
        return switch (v.kind()) {
            case "number" -> {
                try {
                    yield new java.math.BigDecimal(v.text());
                } catch (NumberFormatException e) {
                    yield v.text();
                }
            }
            case "boolean" -> Boolean.valueOf(v.text());
            case "string" -> v.text();
            default -> null;
        };
    }
}
