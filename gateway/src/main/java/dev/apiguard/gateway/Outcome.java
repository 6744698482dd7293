package dev.apiguard.gateway;

/** How one proxied call ended, as far as its route's breaker is concerned. */
enum Outcome {
    SUCCESS("success"),
    SERVER_ERROR("5xx"),
    BUSINESS_ERROR("business error"),
    TIMEOUT("timeout"),
    CONNECT_FAILURE("connect failure"),
    /** The client went away first: says nothing about the route, counted nowhere. */
    CANCELLED("cancelled");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    boolean failure() {
        return this != SUCCESS && this != CANCELLED;
    }
}
