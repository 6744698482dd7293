package dev.apiguard.model;

/** Who observed an exchange. The label value of {@code side} in every metric. */
public enum Side {
    /** The agent, on a server-side connection. */
    SERVER("server"),
    /** The agent, on a client-side connection. */
    CLIENT("client"),
    /** The gateway, on a request it proxied. */
    GATEWAY("gateway");

    private final String label;

    Side(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
