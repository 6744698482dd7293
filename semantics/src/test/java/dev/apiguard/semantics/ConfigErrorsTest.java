package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.apiguard.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken rules file is refused in the one config error format, naming the key path of the fault. */
class ConfigErrorsTest {
    private static ConfigException broken(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> SemanticsConfig.parse(yaml));
    }

    @Test
    void unknownKeyInRule() {
        ConfigException e = broken("rules: [{name: r1, when: {pointer: /a, equals: 1}, type: validation, sevrity: low}]");
        assertThat(e.key()).isEqualTo("rules[0].sevrity");
        assertThat(e.getMessage()).isEqualTo("config error: rules[0].sevrity: unknown key (known here: content-types, name, "
                + "not-an-error, routes, severity, type, when)");
    }

    @Test
    void snakeCaseSpellingsNameTheNewKey() {
        assertThat(broken("rules: [{name: r, content_types: [a/b], when: {pointer: /a, exists: true}, type: validation}]")
                .getMessage()).isEqualTo("config error: rules[0].content_types: renamed to content-types (keys are kebab-case)");
        assertThat(broken("rules: [{name: r, not_an_error: true, when: {pointer: /a, exists: true}}]").key())
                .isEqualTo("rules[0].not_an_error");
        assertThat(broken("rules: [{name: r, when: {pointer: /a, non_empty: true}, type: validation}]").getMessage())
                .endsWith("rules[0].when.non_empty: renamed to non-empty (keys are kebab-case)");
    }

    @Test
    void badRegex() {
        ConfigException e = broken("rules: [{name: rx, when: {pointer: /a, regex: \"(unclosed\"}, type: validation}]");
        assertThat(e.key()).isEqualTo("rules[0].when.regex");
        assertThat(e.getMessage()).contains("bad regular expression '(unclosed'");
    }

    @Test
    void unknownTypeAndSeverity() {
        ConfigException t = broken("rules: [{name: t, when: {pointer: /a, exists: true}, type: payment_fail}]");
        assertThat(t.key()).isEqualTo("rules[0].type");
        assertThat(t.getMessage()).contains("got 'payment_fail'").contains("payment_failure");
        ConfigException s = broken("rules: [{name: s, when: {pointer: /a, exists: true}, type: validation, severity: urgent}]");
        assertThat(s.key()).isEqualTo("rules[0].severity");
        assertThat(broken("severity: {types: {validation: urgent}}").key()).isEqualTo("severity.types.validation");
        assertThat(broken("severity: {routes: {\"/x\": {nope: low}}}").key()).isEqualTo("severity.routes./x.nope");
    }

    @Test
    void structuralMistakes() {
        assertThat(broken("rules: [{when: {pointer: /a, exists: true}, type: validation}]").key()).isEqualTo("rules[0].name");
        assertThat(broken("rules: [{name: a, type: validation}]").key()).isEqualTo("rules[0].when");
        assertThat(broken("rules: [{name: a, when: {pointer: a, exists: true}, type: validation}]").key()).isEqualTo("rules[0].when.pointer");
        assertThat(broken("rules: [{name: a, when: {pointer: /a}, type: validation}]").key()).isEqualTo("rules[0].when");
        assertThat(broken("rules: [{name: a, when: {pointer: /a, exists: true, equals: 1}, type: validation}]").key()).isEqualTo("rules[0].when");
        assertThat(broken("rules: [{name: a, when: [{pointer: /a, exists: true}, {pointer: /b, exists: yes please}], type: validation}]").key())
                .isEqualTo("rules[0].when[1].exists");
        assertThat(broken("rules: [{name: a, when: {pointer: /a, in: []}, type: validation}]").key()).isEqualTo("rules[0].when.in");
        assertThat(broken("rules: [{name: a, when: {pointer: /a, exists: true}}]").key()).isEqualTo("rules[0].type");
        assertThat(broken("rules: [{name: a, when: {pointer: /a, exists: true}, not-an-error: true, type: validation}]").key())
                .isEqualTo("rules[0].type");
        ConfigException dup = broken("""
                rules:
                  - {name: a, when: {pointer: /a, exists: true}, type: validation}
                  - {name: a, when: {pointer: /b, exists: true}, type: validation}
                """);
        assertThat(dup.key()).isEqualTo("rules[1].name");
        assertThat(broken("rulez: []").key()).isEqualTo("rulez");
        assertThat(broken("rules: {name: a}").key()).isEqualTo("rules");
        assertThat(broken("rules: [{name: a, when: {pointer: \"" + "/a".repeat(17) + "\", exists: true}, type: validation}]")
                .getMessage()).contains("deeper than 16");
        assertThat(broken("rules: [ {name: a").getMessage()).startsWith("config error: rules: not valid YAML");
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.yaml");
        assertThat(catchThrowableOfType(ConfigException.class, () -> SemanticsConfig.load(missing)).getMessage())
                .isEqualTo("config error: " + missing + ": the config file does not exist or is not readable");
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, "rules: [{name: r9, when: {pointer: /a, regex: \"[\"}, type: validation}]");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> SemanticsConfig.load(file));
        assertThat(e.getMessage()).startsWith("config error: rules[0].when.regex: bad regular expression");
        // The whole apiguard file works too: its semantics section.
        Files.writeString(file, "agent: {max-services: 5}\nsemantics:\n  rules: [{name: r9, when: {pointer: /a, regex: \"[\"}, type: validation}]");
        assertThat(catchThrowableOfType(ConfigException.class, () -> SemanticsConfig.load(file)).key())
                .isEqualTo("semantics.rules[0].when.regex");
    }
}
