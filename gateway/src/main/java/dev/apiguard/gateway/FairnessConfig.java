package dev.apiguard.gateway;

/**
 * Per-client fairness of the route breakers: when a route's failures come from a few of its
 * clients, those clients are shed on that route (429) instead of the route tripping for everyone.
 *
 * @param enabled judge clients before a failure-ratio trip (default true); false trips as before
 * @param maxCulpritShare the largest share of a route's distinct clients in the window that may be
 *     shed as culprits, at most 0.5; at least one may always be (default 0.2)
 * @param minClients distinct clients in the window below which nobody is judged and the route trips
 *     as before (default 3)
 * @param maxClientsPerRoute clients tracked per route; further clients push out the least active
 *     one, counted in {@code apiguard_gateway_client_table_overflow_total} (default 64)
 */
public record FairnessConfig(boolean enabled, double maxCulpritShare, int minClients, int maxClientsPerRoute) {

    public FairnessConfig {
        // Above one half, "a few clients" would be most of them: that is the route failing.
        if (!(maxCulpritShare > 0 && maxCulpritShare <= 0.5)) {
            throw new IllegalArgumentException("fairness.max-culprit-share must be within (0, 0.5], got " + maxCulpritShare);
        }
        if (minClients < 2) {
            throw new IllegalArgumentException("fairness.min-clients must be at least 2, got " + minClients);
        }
        if (maxClientsPerRoute < minClients || maxClientsPerRoute > 100_000) {
            throw new IllegalArgumentException("fairness.max-clients-per-route must be within min-clients..100000, got "
                    + maxClientsPerRoute);
        }
    }

    public static FairnessConfig defaults() {
        return new FairnessConfig(true, 0.2, 3, 64);
    }

    public static FairnessConfig disabled() {
        FairnessConfig d = defaults();
        return new FairnessConfig(false, d.maxCulpritShare, d.minClients, d.maxClientsPerRoute);
    }
}
