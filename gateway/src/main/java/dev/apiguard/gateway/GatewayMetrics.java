package dev.apiguard.gateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The breaker families of the contract and the gateway's own {@code apiguard_gateway_*} health. */
final class GatewayMetrics {
    final Gauge breakerState;
    final Counter breakerTripped;
    final Counter tripsRefused;
    final Counter breakersOverflow;
    final Counter shed;
    final Counter rejected;
    final Counter upstreamErrors;
    final Counter poolWaits;
    final Counter poolOverflow;
    final Counter routePoolWaits;
    final Counter retries;
    final Counter pipelineOverflow;
    final Counter culpritsShed;
    final Counter clientTableOverflow;
    final Gauge inFlight;

    GatewayMetrics(PrometheusRegistry registry) {
        breakerState = Gauge.builder()
                .name("api_breaker_state")
                .help("Circuit breaker state per route: 0 closed, 1 open, 2 half-open, 3 forced open, 4 disabled")
                .labelNames("path")
                .register(registry);
        breakerTripped = Counter.builder()
                .name("api_breaker_tripped_total")
                .help("Transitions of a route's breaker into the open state")
                .labelNames("path")
                .register(registry);
        tripsRefused = Counter.builder()
                .name("apiguard_gateway_breaker_trips_refused_total")
                .help("Trips refused because the share of open routes reached breaker.max-open-share")
                .register(registry);
        breakersOverflow = Counter.builder()
                .name("apiguard_gateway_breakers_overflow_total")
                .help("Requests whose route had no breaker of its own because breaker.max-breakers was reached")
                .register(registry);
        shed = Counter.builder()
                .name("apiguard_gateway_shed_total")
                .help("Requests answered 503 by the gateway itself, by reason (open, half_open, forced_open, pool_full,"
                        + " pool_timeout, draining), and 429 for reason client (a client shed on a route its own calls were failing)")
                .labelNames("reason")
                .register(registry);
        rejected = Counter.builder()
                .name("apiguard_gateway_rejected_total")
                .help("Requests refused before proxying (400, 405, 413, 414, 431, 505) or cut for a slow or unfinished client"
                        + " (408: client_timeout, unfinished_body), and HTTP/2 connections closed with GOAWAY (h2_rapid_reset,"
                        + " h2_flood, h2_protocol_error), by reason (docs/security.md)")
                .labelNames("reason")
                .register(registry);
        upstreamErrors = Counter.builder()
                .name("apiguard_gateway_upstream_errors_total")
                .help("Upstream failures by kind (connect, timeout, reset, bad_response)")
                .labelNames("kind")
                .register(registry);
        poolWaits = Counter.builder()
                .name("apiguard_gateway_pool_waits_total")
                .help("Requests that waited for an upstream connection because the pool was at its limit")
                .register(registry);
        poolOverflow = Counter.builder()
                .name("apiguard_gateway_pool_overflow_total")
                .help("Requests shed because the pool's waiter queue was full")
                .register(registry);
        routePoolWaits = Counter.builder()
                .name("apiguard_gateway_route_pool_waits_total")
                .help("Requests that waited for an upstream connection because their route held max-connections-per-route")
                .register(registry);
        retries = Counter.builder()
                .name("apiguard_gateway_retries_total")
                .help("Idempotent requests sent again because a reused upstream connection closed before any response byte")
                .register(registry);
        pipelineOverflow = Counter.builder()
                .name("apiguard_gateway_pipeline_overflow_total")
                .help("Client connections closed because they pipelined more than the gateway queues")
                .register(registry);
        culpritsShed = Counter.builder()
                .name("apiguard_gateway_culprits_shed_total")
                .help("Times a client was shed on a route because the route's failures came from it, instead of tripping the route")
                .register(registry);
        clientTableOverflow = Counter.builder()
                .name("apiguard_gateway_client_table_overflow_total")
                .help("Clients that found no room in a route's client table (fairness.max-clients-per-route) without"
                        + " pushing out an active client")
                .register(registry);
        inFlight = Gauge.builder()
                .name("apiguard_gateway_in_flight_requests")
                .help("Requests being proxied now")
                .register(registry);
    }
}
