package dev.apiguard.score;

import java.util.Locale;

/** Bands of the health score. UNKNOWN: not enough traffic or data to say. */
public enum HealthState {
    HEALTHY,
    DEGRADED,
    CRITICAL,
    UNKNOWN;

    /** Lower-case name, as in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HealthState fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
