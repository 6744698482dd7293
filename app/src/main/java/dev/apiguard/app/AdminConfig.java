package dev.apiguard.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import dev.apiguard.app.config.ConfigException;
import dev.apiguard.app.config.ConfigNode;
import dev.apiguard.metrics.AdminToken;

/**
 * The config's {@code admin:} section: where the admin token is kept, and which further host names
 * clients may reach the admin API under (besides the listen address itself).
 *
 * @param tokenFile null for the default under the state directory ({@link AdminToken#defaultFile})
 */
record AdminConfig(Path tokenFile, List<String> allowedHosts) {
    static final Set<String> KEYS = Set.of("token-file", "allowed-hosts");

    static AdminConfig from(ConfigNode config) throws ConfigException {
        ConfigNode admin = config.section("admin").allowOnly(KEYS);
        String file = admin.string("token-file", null);
        return of(file, admin.strings("allowed-hosts"));
    }

    static AdminConfig of(String tokenFile, List<String> allowedHosts) throws ConfigException {
        for (String h : allowedHosts) {
            if (!h.strip().matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")) {
                throw new ConfigException("admin.allowed-hosts: '" + h + "' is not a host name or host:port");
            }
        }
        return new AdminConfig(tokenFile == null || tokenFile.isBlank() ? null : Path.of(tokenFile.strip()),
                List.copyOf(allowedHosts));
    }

    /** {@code APIGUARD_ADMIN_TOKEN}, else the token file, created on first use. */
    AdminToken token() throws ConfigException {
        try {
            return AdminToken.resolve(System.getenv(), tokenFile);
        } catch (IOException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
