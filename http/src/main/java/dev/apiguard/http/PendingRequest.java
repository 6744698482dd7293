package dev.apiguard.http;

/** A request seen on a connection, waiting for its response. Mutable while it is being read. */
final class PendingRequest {
    final long startNanos;
    /** Null when the request line fell into a capture gap: the exchange cannot be reported. */
    String method;
    String target;
    long bytes;
    boolean head;
    boolean connect;
    boolean lostSync;

    PendingRequest(long startNanos) {
        this.startNanos = startNanos;
    }

    void method(String method) {
        this.method = method;
        this.head = "HEAD".equals(method);
        this.connect = "CONNECT".equals(method);
    }
}
