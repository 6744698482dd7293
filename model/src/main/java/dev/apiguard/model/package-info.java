/**
 * What flows through the pipeline, shared by its two sources (the agent's http stage and the
 * gateway) and every stage after them: {@link dev.apiguard.model.Exchange}, {@link dev.apiguard.model.Side}
 * and {@link dev.apiguard.model.ConnectionId}, plus the response prefix size
 * ({@link dev.apiguard.model.Exchange#RESPONSE_PREFIX_BYTES}). Immutable values; no dependencies.
 */
package dev.apiguard.model;
