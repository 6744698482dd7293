/**
 * The routes stage: raw request targets to bounded route templates ({@code /users/{id}}).
 *
 * <p>Entry point: {@link dev.apiguard.routes.RouteNormalizer#create(RoutesConfig)}. User templates from
 * {@link dev.apiguard.routes.RoutesConfig} win; otherwise numeric ids, UUIDs, long hex strings and
 * random-looking tokens become {@code {id}}, secret-looking segments (JWTs, e-mail addresses, API keys,
 * padded base64) {@code {token}} or {@code {email}}, and {@code ;param=value} path parameters are
 * dropped (see {@code Segments}); each service gets at most
 * {@link dev.apiguard.routes.RoutesConfig#maxRoutesPerService()} routes, the rest
 * {@link dev.apiguard.routes.RouteNormalizer#OVERFLOW_ROUTE}.
 */
package dev.apiguard.routes;
