package dev.apiguard.score;

/** Bands of the health score. UNKNOWN: not enough traffic or data to say. */
public enum HealthState {
    HEALTHY,
    DEGRADED,
    CRITICAL,
    UNKNOWN
}
