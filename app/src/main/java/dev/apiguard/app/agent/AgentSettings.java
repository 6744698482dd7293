package dev.apiguard.app.agent;

import dev.apiguard.capture.CaptureConfig;
import dev.apiguard.config.Listen;
import dev.apiguard.http.HttpTrackerConfig;
import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.routes.RoutesConfig;

/**
 * Everything the agent is configured with: the {@code agent:} section and the shared
 * {@code routes:} section, bound by {@code dev.apiguard.app.config.ConfigBinder}. Each option's
 * default is declared once (here or on the stage's record) and documented in docs/configuration.md.
 *
 * @param listen where /metrics and /api/v1/endpoints are served (default {@link #DEFAULT_LISTEN})
 * @param capture kernel-side filters and sizes
 * @param http reassembly limits and service names
 * @param routes route templating
 * @param maxServices distinct service labels before {@code _other} (default {@link #DEFAULT_MAX_SERVICES})
 * @param readerNice the nice value of the thread that drains the ring buffer (default {@link #DEFAULT_READER_NICE});
 *     0 leaves it at the process's own
 */
public record AgentSettings(Listen listen, CaptureConfig capture, HttpTrackerConfig http, RoutesConfig routes, int maxServices,
        int readerNice) {
    public static final Listen DEFAULT_LISTEN = new Listen(Listen.LOOPBACK, 9464);
    public static final int DEFAULT_MAX_SERVICES = ApiMetrics.DEFAULT_MAX_SERVICES;
    /**
     * Picked first when it wakes, the reader drains the ring before it fills on a saturated node: at nginx + wrk
     * rates with a 4 MiB ring it lost about twenty times fewer events than at 0 (docs/benchmarks.md, "Agent capture
     * and memory cuts"). It uses no more CPU for that: only what its events need, sooner.
     */
    public static final int DEFAULT_READER_NICE = -10;

    public static AgentSettings defaults() {
        return new AgentSettings(DEFAULT_LISTEN, CaptureConfig.defaults(), HttpTrackerConfig.defaults(), RoutesConfig.defaults(),
                DEFAULT_MAX_SERVICES, DEFAULT_READER_NICE);
    }

    public AgentSettings withCapture(CaptureConfig c) {
        return new AgentSettings(listen, c, http, routes, maxServices, readerNice);
    }
}
