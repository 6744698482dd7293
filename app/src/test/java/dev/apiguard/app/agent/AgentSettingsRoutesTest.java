package dev.apiguard.app.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.apiguard.app.config.ApiguardConfig;
import dev.apiguard.config.ConfigException;
import dev.apiguard.routes.CanonicalPath;

class AgentSettingsRoutesTest {
    @Test
    void routesCanonicalisationOptionsAreRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("apiguard.yaml");
        Files.writeString(file, "routes:\n  case-sensitive: true\n  ignored-suffixes: [.csv]\n");
        AgentSettings s = ApiguardConfig.load(file).agent();
        assertThat(s.routes().canonical().caseSensitive()).isTrue();
        assertThat(s.routes().canonical().ignoredSuffixes()).containsExactly(".csv");

        Files.writeString(file, "routes:\n  max-per-service: 10\n");
        AgentSettings defaults = ApiguardConfig.load(file).agent();
        assertThat(defaults.routes().canonical()).isEqualTo(CanonicalPath.Options.defaults());

        Files.writeString(file, "routes:\n  ignored-suffixes: []\n");
        assertThat(ApiguardConfig.load(file).agent().routes().canonical().ignoredSuffixes()).isEmpty();

        Files.writeString(file, "routes:\n  ignored-suffixes: [json]\n");
        assertThatThrownBy(() -> ApiguardConfig.load(file))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("config error: routes.ignored-suffixes: a suffix is");
    }
}
