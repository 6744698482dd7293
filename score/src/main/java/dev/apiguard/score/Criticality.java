package dev.apiguard.score;

import java.util.Locale;

/** How much an endpoint matters: multiplies every penalty weight of its score. */
public enum Criticality {
    CRITICAL(1.5),
    HIGH(1.25),
    NORMAL(1.0),
    LOW(0.5);

    private final double multiplier;

    Criticality(double multiplier) {
        this.multiplier = multiplier;
    }

    public double multiplier() {
        return multiplier;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Criticality fromLabel(String label) {
        for (Criticality c : values()) {
            if (c.label().equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown criticality '" + label + "' (critical, high, normal, low)");
    }
}
