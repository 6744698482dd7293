package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken rules file is refused with the rule and key named. */
class ConfigErrorsTest {
    private static SemanticsConfigException broken(String yaml) {
        return catchThrowableOfType(SemanticsConfigException.class, () -> SemanticsConfig.parse(yaml));
    }

    @Test
    void unknownKeyInRule() {
        SemanticsConfigException e = broken("rules: [{name: r1, when: {pointer: /a, equals: 1}, type: validation, sevrity: low}]");
        assertThat(e.rule()).isEqualTo("r1");
        assertThat(e.key()).isEqualTo("sevrity");
        assertThat(e.getMessage()).startsWith("rule 'r1': key 'sevrity': unknown key");
    }

    @Test
    void badRegex() {
        SemanticsConfigException e = broken("rules: [{name: rx, when: {pointer: /a, regex: \"(unclosed\"}, type: validation}]");
        assertThat(e.rule()).isEqualTo("rx");
        assertThat(e.key()).isEqualTo("when.regex");
        assertThat(e.getMessage()).contains("bad regular expression '(unclosed'");
    }

    @Test
    void unknownTypeAndSeverity() {
        SemanticsConfigException t = broken("rules: [{name: t, when: {pointer: /a, exists: true}, type: payment_fail}]");
        assertThat(t.rule()).isEqualTo("t");
        assertThat(t.key()).isEqualTo("type");
        assertThat(t.getMessage()).contains("unknown error type 'payment_fail'").contains("payment_failure");
        SemanticsConfigException s = broken("rules: [{name: s, when: {pointer: /a, exists: true}, type: validation, severity: urgent}]");
        assertThat(s.key()).isEqualTo("severity");
        assertThat(broken("severity: {types: {validation: urgent}}").key()).isEqualTo("severity.types.validation");
        assertThat(broken("severity: {routes: {\"/x\": {nope: low}}}").key()).isEqualTo("severity.routes./x.nope");
    }

    @Test
    void structuralMistakes() {
        assertThat(broken("rules: [{when: {pointer: /a, exists: true}, type: validation}]").rule()).isEqualTo("#1");
        assertThat(broken("rules: [{name: a, type: validation}]").key()).isEqualTo("when");
        assertThat(broken("rules: [{name: a, when: {pointer: a, exists: true}, type: validation}]").key()).isEqualTo("when.pointer");
        assertThat(broken("rules: [{name: a, when: {pointer: /a}, type: validation}]").key()).isEqualTo("when");
        assertThat(broken("rules: [{name: a, when: {pointer: /a, exists: true, equals: 1}, type: validation}]").key()).isEqualTo("when");
        assertThat(broken("rules: [{name: a, when: {pointer: /a, exists: yes please}, type: validation}]").key()).isEqualTo("when.exists");
        assertThat(broken("rules: [{name: a, when: {pointer: /a, in: []}, type: validation}]").key()).isEqualTo("when.in");
        assertThat(broken("rules: [{name: a, when: {pointer: /a, exists: true}}]").key()).isEqualTo("type");
        assertThat(broken("rules: [{name: a, when: {pointer: /a, exists: true}, not_an_error: true, type: validation}]").key()).isEqualTo("type");
        SemanticsConfigException dup = broken("""
                rules:
                  - {name: a, when: {pointer: /a, exists: true}, type: validation}
                  - {name: a, when: {pointer: /b, exists: true}, type: validation}
                """);
        assertThat(dup.rule()).isEqualTo("a");
        assertThat(broken("rulez: []").key()).isEqualTo("rulez");
        assertThat(broken("rules: {name: a}").key()).isEqualTo("rules");
        assertThat(broken("rules: [{name: a, when: {pointer: \"" + "/a".repeat(17) + "\", exists: true}, type: validation}]")
                .getMessage()).contains("deeper than 16");
        assertThat(broken("rules: [ {name: a").getMessage()).startsWith("not valid YAML");
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> SemanticsConfig.load(missing)).isInstanceOf(SemanticsConfigException.class)
                .hasMessageContaining("does not exist");
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, "rules: [{name: r9, when: {pointer: /a, regex: \"[\"}, type: validation}]");
        SemanticsConfigException e = catchThrowableOfType(SemanticsConfigException.class, () -> SemanticsConfig.load(file));
        assertThat(e.rule()).isEqualTo("r9");
        assertThat(e.getMessage()).startsWith("rule 'r9': key 'when.regex': " + file + ": bad regular expression");
    }
}
