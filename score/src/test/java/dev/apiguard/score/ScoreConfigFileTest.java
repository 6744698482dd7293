package dev.apiguard.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

class ScoreConfigFileTest {
    @Test
    void readsAScoreSection() {
        ScoreConfig c = ScoreConfigFile.parse("""
                score:
                  window: 10m
                  interval: PT10S
                  sides: [server]
                  min-requests: 50
                  stale-ttl: PT30S
                  routes:
                    - path: /checkout*
                      criticality: critical
                      latency-threshold: 1s
                      slo: 0.999
                    - path: /health
                      criticality: low
                """, ScoreConfig.defaults());
        assertThat(c.window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.sides()).containsExactly("server");
        assertThat(c.minRequests()).isEqualTo(50);
        assertThat(c.staleTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.dwell()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.routes()).containsExactly(
                new RouteRule("/checkout*", Criticality.CRITICAL, Optional.of(Duration.ofSeconds(1)), OptionalDouble.of(0.999)),
                RouteRule.of("/health", Criticality.LOW));
        assertThat(c.ruleFor("/checkout/pay").criticality()).isEqualTo(Criticality.CRITICAL);
        assertThat(c.ruleFor("/health").criticality()).isEqualTo(Criticality.LOW);
        assertThat(c.ruleFor("/healthz").criticality()).isEqualTo(Criticality.NORMAL);
    }

    @Test
    void useRecordingRulesIsABoolean() {
        assertThat(ScoreConfig.defaults().useRecordingRules()).isFalse();
        assertThat(ScoreConfigFile.parse("score: {use-recording-rules: true}", ScoreConfig.defaults()).useRecordingRules()).isTrue();
        assertThatThrownBy(() -> ScoreConfigFile.parse("use-recording-rules: yes please", ScoreConfig.defaults()))
                .hasMessage("use-recording-rules must be true or false, got 'yes please'");
    }

    @Test
    void emptyFileKeepsTheDefaults() {
        assertThat(ScoreConfigFile.parse("", ScoreConfig.defaults())).isEqualTo(ScoreConfig.defaults());
    }

    @Test
    void badInputIsAOneLineError() {
        assertThatThrownBy(() -> ScoreConfigFile.parse("windw: PT5M", ScoreConfig.defaults()))
                .hasMessageStartingWith("unknown option 'windw'");
        assertThatThrownBy(() -> ScoreConfigFile.parse("window: five", ScoreConfig.defaults()))
                .hasMessage("window: 'five' is not a duration (use ISO-8601 like PT30S, or 30s, 5m, 250ms)");
        assertThatThrownBy(() -> ScoreConfigFile.parse("routes: [{path: /a, criticality: vital}]", ScoreConfig.defaults()))
                .hasMessage("unknown criticality 'vital' (critical, high, normal, low)");
        assertThatThrownBy(() -> ScoreConfigFile.parse("routes: [{path: /a, slo: 99.9}]", ScoreConfig.defaults()))
                .hasMessageContaining("slo of /a must be between 0 and 1");
        assertThatThrownBy(() -> ScoreConfigFile.parse("sides: [\"server|x\"]", ScoreConfig.defaults()))
                .hasMessageContaining("is not a side label");
        assertThatThrownBy(() -> ScoreConfigFile.parse("a: [", ScoreConfig.defaults()))
                .hasMessageStartingWith("not valid YAML");
        assertThatThrownBy(() -> ScoreConfigFile.load(java.nio.file.Path.of("/nonexistent/score.yaml"), ScoreConfig.defaults()))
                .hasMessageStartingWith("cannot read config /nonexistent/score.yaml");
    }
}
