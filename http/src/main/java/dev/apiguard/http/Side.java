package dev.apiguard.http;

/** Who observed an exchange. The label value of {@code side} in every metric. */
public enum Side {
    SERVER("server"),
    CLIENT("client"),
    GATEWAY("gateway");

    private final String label;

    Side(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
