package dev.apiguard.app.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.apiguard.config.ConfigException;
import dev.apiguard.metrics.AdminToken;

/**
 * The {@code admin:} section: where the admin token is kept, and which further host names clients
 * may reach the admin API under (besides the listen address itself). Bound by {@code ConfigBinder}.
 *
 * @param tokenFile null for the default under the state directory ({@link AdminToken#defaultFile})
 * @param allowedHosts host names or host:port the admin API also answers to (default none)
 */
public record AdminConfig(Path tokenFile, List<String> allowedHosts) {
    /** A host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
    static final String HOST = "[A-Za-z0-9.-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?";

    public AdminConfig {
        allowedHosts = List.copyOf(allowedHosts);
    }

    public static AdminConfig defaults() {
        return new AdminConfig(null, List.of());
    }

    /** {@code APIGUARD_ADMIN_TOKEN}, else the token file, created on first use. */
    public AdminToken token() {
        try {
            return AdminToken.resolve(System.getenv(), tokenFile);
        } catch (IOException e) {
            throw new ConfigException("admin.token-file", e.getMessage());
        }
    }
}
