package dev.apiguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The one loader's reads, errors, layers and declarations. */
class ConfigNodeTest {
    @Test
    void theListenGrammar() {
        assertThat(Listen.parse("0.0.0.0:8080")).isEqualTo(new Listen("0.0.0.0", 8080));
        assertThat(Listen.parse("[::1]:9400")).isEqualTo(new Listen("::1", 9400));
        assertThat(Listen.parse(":9400")).isEqualTo(new Listen("127.0.0.1", 9400));
        assertThat(Listen.parse("9400")).isEqualTo(new Listen("127.0.0.1", 9400));
        assertThat(Listen.parse(" localhost:0 ")).isEqualTo(new Listen("localhost", 0));
        assertThat(Listen.parse("[::1]:9400").toString()).isEqualTo("[::1]:9400");
        for (String bad : List.of("", "::1:80", "127.0.0.1:", "127.0.0.1:65536", "host:x", "[::1]", "[::1]80", "a b:1", "1.5")) {
            assertThatThrownBy(() -> Listen.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("must be " + Listen.GRAMMAR);
        }
    }

    @Test
    void numbersAreNeverRoundedAndErrorsNameTheKeyPathTheValueAndWhatIsAllowed() {
        ConfigNode g = ConfigNode.parse("gateway: {max-connections: 1.9, n: 5}", "f.yaml").section("gateway");
        assertThatThrownBy(() -> g.integer("max-connections", 512, 1, 1_000_000)).isInstanceOf(ConfigException.class)
                .hasMessage("config error: gateway.max-connections: must be a whole number between 1 and 1000000, got '1.9'");
        assertThat(g.integer("n", 1, 1, 10)).isEqualTo(5);
        assertThat(g.integer("absent", 7, 1, 10)).isEqualTo(7);
        assertThatThrownBy(() -> g.allowOnly(List.of("n"))).hasMessage(
                "config error: gateway.max-connections: unknown key (known here: n)");
        assertThatThrownBy(() -> g.allowOnly(List.of("n"), Map.of("max-connections", "max-conns")))
                .hasMessage("config error: gateway.max-connections: renamed to max-conns (keys are kebab-case)");
    }

    @Test
    void durations() {
        ConfigNode n = ConfigNode.parse("a: PT30S\nb: 250ms\nc: 0s\nd: 1.5s", "f.yaml");
        assertThat(n.duration("a", null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(n.duration("b", null)).isEqualTo(Duration.ofMillis(250));
        assertThat(n.duration("c", null, Duration.ZERO)).isZero();
        assertThatThrownBy(() -> n.duration("c", null)).hasMessageStartingWith("config error: c: must be a duration from 1ms to P365D");
        assertThatThrownBy(() -> n.duration("d", null)).hasMessageEndingWith("got '1.5s'");
    }

    @Test
    void valuesWinOverTheFileWhichWinsOverDefaults() {
        ConfigNode file = ConfigNode.parse("a: {x: 1, y: 2}", "f.yaml")
                .withDefaults("a: {x: 10, z: 30}\nb: {w: 4}")
                .withValues(Map.of("a.y", 20, "b.v", "text"));
        assertThat(file.section("a").integer("x", 0, 0, 100)).isEqualTo(1);
        assertThat(file.section("a").integer("y", 0, 0, 100)).isEqualTo(20);
        assertThat(file.section("a").integer("z", 0, 0, 100)).isEqualTo(30);
        assertThat(file.section("b").integer("w", 0, 0, 100)).isEqualTo(4);
        assertThat(file.section("b").string("v", null)).isEqualTo("text");
    }

    @Test
    void readingAnEmptyTreeDeclaresEveryOptionWithItsDefault() {
        Map<String, String> declared = ConfigNode.declarations(root -> {
            ConfigNode s = root.section("s");
            s.integer("n", 5, 0, 10);
            s.duration("d", Duration.ofSeconds(30));
            s.strings("l", List.of("a", "b"));
            s.section("t").number("share", 1.0, 0, 1);
            s.string("none", null);
            s.required("needed");
        });
        assertThat(declared).containsExactly(Map.entry("s.n", "5"), Map.entry("s.d", "PT30S"), Map.entry("s.l", "[a, b]"),
                Map.entry("s.t.share", "1"), Map.entry("s.none", "none"), Map.entry("s.needed", "required"));
    }

    @Test
    void fileErrors() {
        assertThatThrownBy(() -> ConfigNode.parse("a: [", "f.yaml")).hasMessageStartingWith("config error: f.yaml: not valid YAML");
        assertThatThrownBy(() -> ConfigNode.parse("- a", "f.yaml"))
                .hasMessageStartingWith("config error: f.yaml: the top level must be a mapping of sections");
        assertThatThrownBy(() -> ConfigNode.load(java.nio.file.Path.of("/nonexistent/x.yaml")))
                .hasMessage("config error: /nonexistent/x.yaml: the config file does not exist or is not readable");
    }
}
