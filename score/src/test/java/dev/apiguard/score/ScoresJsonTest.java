package dev.apiguard.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

class ScoresJsonTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void rendersScoreStateComponentsWindowAndStaleness() {
        EndpointScore s = new EndpointScore("shop", "/a", OptionalDouble.of(87.6543), HealthState.HEALTHY, true, T,
                Map.of("business_medium", 12.3456), Duration.ofMinutes(5), 250);
        String json = new String(ScoresJson.render(List.of(s), "prometheus", T.plusSeconds(30)), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"source\":\"prometheus\",\"generated_at\":\"2026-01-01T00:00:30Z\",\"scores\":["
                + "{\"service\":\"shop\",\"path\":\"/a\",\"score\":87.65,\"state\":\"healthy\",\"stale\":true,"
                + "\"staleness_seconds\":30.0,\"evaluated_at\":\"2026-01-01T00:00:00Z\",\"window\":\"PT5M\","
                + "\"requests\":250.0,\"components\":{\"business_medium\":12.35}}]}");
    }

    @Test
    void unknownHasANullScoreAndRoundTrips() {
        EndpointScore s = new EndpointScore("shop", "/q", OptionalDouble.empty(), HealthState.UNKNOWN, false, T,
                Map.of(), Duration.ofSeconds(30), 4);
        byte[] json = ScoresJson.render(List.of(s), "embedded", T);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"score\":null,\"state\":\"unknown\"");
        assertThat(ScoresJson.parse(json)).containsExactly(s);
    }

    @Test
    void rejectsWhatIsNotAScoresDocument() {
        assertThatThrownBy(() -> ScoresJson.parse("{\"x\":1}".getBytes())).hasMessage("no 'scores' array");
        assertThatThrownBy(() -> ScoresJson.parse("nope".getBytes())).hasMessageStartingWith("not JSON");
    }
}
