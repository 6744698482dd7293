package dev.apiguard.semantics.learn;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * What the learner knows, as served by {@code GET /api/v1/baselines} and read back by
 * {@code ./apiguard rules suggest}. Holds field names and the few usual or departed values of
 * outcome-like fields (bounded), never whole bodies.
 */
public record BaselineSnapshot(Settings settings, List<Route> routes, Map<String, Long> overflow) {

    public record Settings(boolean enabled, int minSamples, double dominance, int maxRoutes, int maxFields, int maxValues) {}

    /**
     * @param samples 2xx JSON-object responses learned from (failures are not learned from)
     * @param formed the baseline judges responses ({@code samples >= min_samples})
     * @param flagged responses the baseline called business errors
     * @param failuresElsewhere 2xx responses the configured rules already called failures (not learned from)
     * @param errorObjectSamples learned responses that carried a non-empty error-like member
     */
    public record Route(String route, long samples, boolean formed, long flagged, long failuresElsewhere,
            long errorObjectSamples, List<Field> fields, List<Departure> departures) {}

    /**
     * @param present learned responses holding the field
     * @param alwaysPresent present in at least the dominance share of learned responses
     * @param outcome its values are tracked (an outcome-like name, or a boolean)
     * @param usual the value holding at least the dominance share, or null
     * @param otherValues occurrences of values beyond the per-field budget
     */
    public record Field(String pointer, long present, boolean alwaysPresent, boolean outcome, List<ValueCount> values,
            ValueCount usual, long otherValues) {}

    /** A value (kind: string, number, boolean, null, object, array) and how often it was seen. */
    public record ValueCount(String kind, String text, long count) {}

    /**
     * A value the baseline flagged, with the type it inferred.
     *
     * @param kind the value's kind, or "absent" when the usual field was missing
     */
    public record Departure(String pointer, String kind, String text, String errorType, long count) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IllegalArgumentException when the text is not a baselines document */
    public static BaselineSnapshot fromJson(String json) {
        try {
            BaselineSnapshot s = JSON.readValue(json, BaselineSnapshot.class);
            if (s == null || s.routes() == null) {
                throw new IllegalArgumentException("not a baselines document (no \"routes\")");
            }
            return s;
        } catch (IOException e) {
            String first = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException("not a baselines document: " + first);
        }
    }

    /** The route's entry, or null. */
    public Route route(String route) {
        for (Route r : routes) {
            if (r.route().equals(route)) {
                return r;
            }
        }
        return null;
    }
}
