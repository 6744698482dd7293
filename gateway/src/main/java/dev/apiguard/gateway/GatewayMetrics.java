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
    final Counter pipelineOverflow;
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
                .help("Requests answered 503 by the gateway itself, by reason (open, half_open, forced_open, pool_full, draining)")
                .labelNames("reason")
                .register(registry);
        rejected = Counter.builder()
                .name("apiguard_gateway_rejected_total")
                .help("Requests refused before proxying (400, 405, 413, 414, 431, 505), by reason (docs/security.md)")
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
        pipelineOverflow = Counter.builder()
                .name("apiguard_gateway_pipeline_overflow_total")
                .help("Client connections closed because they pipelined more than the gateway queues")
                .register(registry);
        inFlight = Gauge.builder()
                .name("apiguard_gateway_in_flight_requests")
                .help("Requests being proxied now")
                .register(registry);
    }
}
