/**
 * Reverse proxy with a circuit breaker per route.
 *
 * <p>Entry points: {@link dev.apiguard.gateway.Gateway#start} with a {@link dev.apiguard.gateway.GatewayConfig}
 * (and its {@link dev.apiguard.gateway.BreakerConfig}); {@link dev.apiguard.gateway.BreakerRegistry} for breaker
 * snapshots and operator actions; {@link dev.apiguard.gateway.GatewayAdmin} for the admin API's handlers.
 * Scores come from any {@link dev.apiguard.score.ScoreSource}: the embedded scorer, or a remote one.
 *
 * <p>Inside: one {@code FrontendHandler} per client connection streams one request at a time to an
 * upstream connection owned by the same event loop ({@code UpstreamPool}), tees the first KiB of each
 * response for the classifier, and feeds the route's {@code RouteBreaker} and the metrics once per call.
 * A breaker's state is one of the {@code BreakerState} classes.
 */
package dev.apiguard.gateway;
