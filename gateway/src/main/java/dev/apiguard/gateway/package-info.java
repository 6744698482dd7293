/** Reverse proxy with a circuit breaker per route. */
package dev.apiguard.gateway;
