/**
 * Reverse proxy with a circuit breaker per route.
 *
 * <p>Entry points: {@link dev.apiguard.gateway.Gateway#start} with a {@link dev.apiguard.gateway.GatewayConfig}
 * (and its {@link dev.apiguard.gateway.BreakerConfig}); {@link dev.apiguard.gateway.BreakerRegistry} for breaker
 * snapshots and operator actions; {@link dev.apiguard.gateway.GatewayAdmin} for the admin API's handlers.
 * Scores come from any {@link dev.apiguard.score.ScoreSource}: the embedded scorer, or a remote one.
 *
 * <p>Inside: one {@code FrontendHandler} per client connection streams one request at a time to an
 * upstream connection owned by the same event loop ({@code UpstreamPool}). The shared
 * {@link dev.apiguard.metrics.Pipeline} names the request's route before it is proxied; the handler tees
 * the first KiB of the response ({@code ResponsePrefixBuffer}), hands the finished exchange to the
 * pipeline (classify, record, listeners) and feeds the verdict to the route's {@code RouteBreaker}, once
 * per call. Exceptions its Netty handlers catch, other than a peer's I/O errors, are counted in
 * {@code apiguard_internal_errors_total{stage="gateway"}}.
 * A breaker's state is one of the {@code BreakerState} classes.
 *
 * <p>HTTP/2 ({@code backend-protocol: h2c}): {@code PrefaceSniffer} switches a connection that opens
 * with the HTTP/2 preface to Netty's frame codec; one {@code H2StreamProxy} per client stream proxies
 * it to one stream on the loop's {@code H2UpstreamPool} connection; {@code GrpcStatus} turns a gRPC
 * call's {@code grpc-status} into the recorded status, verdict and breaker outcome; {@code H2Connection}
 * counts the connection's protocol errors.
 */
package dev.apiguard.gateway;
