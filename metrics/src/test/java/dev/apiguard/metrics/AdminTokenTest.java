package dev.apiguard.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
    @TempDir
    Path state;

    @Test
    void theFirstStartWritesAPrivateTokenFileAndLaterStartsReuseIt() throws IOException {
        Map<String, String> env = Map.of("XDG_STATE_HOME", state.toString());
        AdminToken first = AdminToken.resolve(env, null);
        Path file = state.resolve("apiguard/admin-token");
        assertThat(first.file()).isEqualTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(first.value()).matches("[A-Za-z0-9_-]{43}"); // 256 random bits
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.toList()).containsExactly(file); // no temporary file left behind
        }

        AdminToken second = AdminToken.resolve(env, null);
        assertThat(second.value()).isEqualTo(first.value());
        assertThat(second.matches(first.value())).isTrue();
        assertThat(AdminToken.resolve(env, state.resolve("other/token")).value()).isNotEqualTo(first.value());
    }

    @Test
    void theEnvironmentWinsAndNothingIsWritten() throws IOException {
        String given = "a-token-from-the-environment-0123456789";
        AdminToken t = AdminToken.resolve(Map.of(AdminToken.ENV, given, "XDG_STATE_HOME", state.toString()), null);
        assertThat(t.matches(given)).isTrue();
        assertThat(t.file()).isNull();
        assertThat(t.where()).contains(AdminToken.ENV);
        assertThat(state.resolve("apiguard")).doesNotExist();
        assertThatThrownBy(() -> AdminToken.resolve(Map.of(AdminToken.ENV, "short"), null)).hasMessageContaining("128 bits");
    }

    @Test
    void aTokenFileOthersCanReadIsRefused() throws IOException {
        Path file = state.resolve("token");
        Files.writeString(file, "0123456789abcdefghijklmnopqrstuvwxyz\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> AdminToken.resolve(Map.of(), file)).hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(AdminToken.resolve(Map.of(), file).value()).isEqualTo("0123456789abcdefghijklmnopqrstuvwxyz");
    }

    @Test
    void comparisonIsExact() {
        AdminToken t = AdminToken.ephemeral();
        assertThat(t.matches(t.value())).isTrue();
        assertThat(t.matches(t.value() + "x")).isFalse();
        assertThat(t.matches(t.value().substring(1))).isFalse();
        assertThat(t.matches("")).isFalse();
        assertThat(t.matches(null)).isFalse();
        assertThat(t.toString()).doesNotContain(t.value());
    }
}
