package dev.apiguard.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

import dev.apiguard.app.config.ConfigException;
import dev.apiguard.app.config.ConfigNode;
import dev.apiguard.metrics.AdminToken;

/** The admin token of {@code run} and {@code demo}: the config's {@code admin:} section and the environment. */
final class AdminTokens {
    private AdminTokens() {}

    static AdminToken resolve(ConfigNode config) throws ConfigException {
        ConfigNode admin = config.section("admin").allowOnly(Set.of("token-file"));
        String file = admin.string("token-file", null);
        return resolve(file == null || file.isBlank() ? null : Path.of(file.strip()));
    }

    /** {@code APIGUARD_ADMIN_TOKEN}, else the file (null: the default under the state directory). */
    static AdminToken resolve(Path file) throws ConfigException {
        try {
            return AdminToken.resolve(System.getenv(), file);
        } catch (IOException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
