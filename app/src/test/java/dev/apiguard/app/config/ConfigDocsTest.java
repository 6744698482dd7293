package dev.apiguard.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.apiguard.config.Durations;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md and the loader agree: every declared option has a row in its section's
 * table ({@code | key | default | meaning |}) with the declared default, and no row documents an
 * option the loader does not have.
 */
class ConfigDocsTest {
    /** {@code ## `gateway:`} or a nested one, {@code ### `semantics.learning:`}: the key prefix of the tables below it. */
    private static final Pattern SECTION = Pattern.compile("^###? `([a-z.-]+):`.*");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]+) \\|.*");

    /** {@code section.key} → the default as the doc writes it. */
    static Map<String, String> documented() throws IOException {
        Path doc = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("configuration.md");
        Map<String, String> rows = new LinkedHashMap<>();
        String section = null;
        boolean optionTable = false; // inside a | key | default | meaning | table (other tables document no keys)
        for (String line : Files.readAllLines(doc)) {
            Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                section = s.group(1);
                continue;
            }
            if (line.startsWith("## ")) {
                section = null;
            }
            if (!line.startsWith("|")) {
                optionTable = false;
            } else if (line.replace(" ", "").equals("|key|default|meaning|")) {
                optionTable = true;
            }
            Matcher r = ROW.matcher(line);
            if (section != null && optionTable && r.matches()) {
                // The default is the cell's leading `code`, or its first word (none, required).
                String cell = r.group(2).trim();
                Matcher code = Pattern.compile("^`([^`]*)`").matcher(cell);
                String value = code.find() ? code.group(1) : cell.split("\\s+")[0];
                assertThat(rows.put(section + "." + r.group(1), value)).as("documented twice: " + section + "." + r.group(1)).isNull();
            }
        }
        return rows;
    }

    /** Durations, numbers and words compared by value: PT30S is PT0.5M, 1.0 is 1. */
    static Object normalise(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException notADuration) {
            // fall through
        }
        try {
            return new BigDecimal(text).stripTrailingZeros();
        } catch (NumberFormatException notANumber) {
            return text.replace(" ", "");
        }
    }

    @Test
    void everyDeclaredOptionIsDocumentedWithItsDefaultAndNothingElseIs() throws IOException {
        Map<String, String> declared = ApiguardConfig.declaredOptions();
        Map<String, String> documented = documented();
        assertThat(documented.keySet()).as("docs/configuration.md keys vs the loader's declared options")
                .containsExactlyInAnyOrderElementsOf(declared.keySet());
        declared.forEach((key, value) -> assertThat(normalise(documented.get(key)))
                .as("default of " + key + ": docs say '" + documented.get(key) + "', the code declares '" + value + "'")
                .isEqualTo(normalise(value)));
    }

    @Test
    void theDeclaredOptionsCoverEverySection() {
        Map<String, String> declared = ApiguardConfig.declaredOptions();
        for (String section : ApiguardConfig.SECTIONS) {
            assertThat(declared.keySet()).anyMatch(k -> k.startsWith(section + "."));
        }
        assertThat(declared).containsEntry("gateway.max-connections", "512").containsEntry("gateway.breaker.window", "PT30S")
                .containsEntry("agent.listen", "127.0.0.1:9464").containsEntry("score.sides", "[server, gateway]")
                .containsEntry("gateway.backend", "none");
    }
}
