package dev.apiguard.app.agent;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.apiguard.app.config.ConfigException;
import dev.apiguard.app.config.ConfigNode;
import dev.apiguard.app.config.Listen;
import dev.apiguard.capture.CaptureConfig;
import dev.apiguard.capture.NetworkNamespace;
import dev.apiguard.http.HttpTrackerConfig;
import dev.apiguard.routes.CanonicalPath;
import dev.apiguard.routes.RoutesConfig;

/**
 * Everything the agent is configured with. Each option's default is documented in
 * docs/configuration.md; flags override the file.
 *
 * @param listen where /metrics and /api/v1/endpoints are served (default 127.0.0.1:9464)
 * @param capture kernel-side filters and sizes
 * @param http reassembly limits and service names
 * @param routes route templating
 * @param maxServices distinct service labels before {@code _other} (default 200)
 */
public record AgentSettings(Listen listen, CaptureConfig capture, HttpTrackerConfig http, RoutesConfig routes, int maxServices) {
    public static final String DEFAULT_LISTEN = "127.0.0.1:9464";

    /** Reads the {@code agent:} and {@code routes:} sections. */
    public static AgentSettings from(ConfigNode root, String listenOverride) throws ConfigException {
        ConfigNode agent = root.section("agent").allowOnly(Set.of("listen", "capture", "http", "services", "max-services"));
        ConfigNode capture = agent.section("capture")
                .allowOnly(Set.of("ring-buffer-bytes", "only-pid", "only-comm", "only-port", "netns", "tls"));
        ConfigNode http = agent.section("http").allowOnly(Set.of("max-connections", "idle-timeout", "max-pipelined"));
        ConfigNode routes = root.section("routes")
                .allowOnly(Set.of("templates", "max-per-service", "case-sensitive", "ignored-suffixes"));
        Listen listen = Listen.parse(listenOverride != null ? listenOverride : agent.string("listen", DEFAULT_LISTEN), "agent.listen");
        CaptureConfig captureConfig;
        try {
            captureConfig = new CaptureConfig(
                    capture.integer("ring-buffer-bytes", CaptureConfig.DEFAULT_RING_BUFFER_BYTES, 4096, 1 << 30),
                    capture.integer("only-pid", 0, 0, Integer.MAX_VALUE),
                    capture.string("only-comm", ""),
                    capture.integer("only-port", 0, 0, 65535),
                    0,
                    capture.bool("tls", CaptureConfig.DEFAULT_TLS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("agent.capture: " + e.getMessage());
        }
        String netns = capture.string("netns", "");
        if (!netns.isEmpty()) {
            try {
                captureConfig = captureConfig.withOnlyNetns(NetworkNamespace.inode(netns));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("agent.capture.netns " + e.getMessage());
            }
        }
        HttpTrackerConfig defaults = HttpTrackerConfig.defaults();
        Map<String, String> services = agent.stringMap("services");
        HttpTrackerConfig httpConfig = HttpTrackerSettings.read(http, services, defaults);
        RoutesConfig routesConfig;
        try {
            List<String> suffixes = routes.tree().has("ignored-suffixes") ? routes.strings("ignored-suffixes")
                    : CanonicalPath.Options.DEFAULT_IGNORED_SUFFIXES;
            routesConfig = new RoutesConfig(routes.strings("templates"),
                    routes.integer("max-per-service", RoutesConfig.DEFAULT_MAX_ROUTES_PER_SERVICE, 1, 1_000_000),
                    new CanonicalPath.Options(routes.bool("case-sensitive", CanonicalPath.Options.defaults().caseSensitive()), suffixes));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("routes: " + e.getMessage());
        }
        int maxServices = agent.integer("max-services", 200, 1, 100_000);
        return new AgentSettings(listen, captureConfig, httpConfig, routesConfig, maxServices);
    }
}
