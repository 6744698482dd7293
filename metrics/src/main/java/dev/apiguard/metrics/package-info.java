/** Prometheus metric families of the public contract, fed by Exchanges and their Verdicts. */
package dev.apiguard.metrics;
