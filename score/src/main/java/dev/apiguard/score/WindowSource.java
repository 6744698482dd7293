package dev.apiguard.score;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where windowed per-endpoint traffic comes from: the per-endpoint totals of ApiMetrics in this
 * process, or Prometheus. Called by one evaluation at a time.
 */
public interface WindowSource {

    /** One reading. {@code window} is the span actually covered, {@code dropped} endpoints over the limit. */
    record Reading(Duration window, List<WindowStats> endpoints, long dropped) {
        public Reading {
            endpoints = List.copyOf(endpoints);
        }
    }

    /**
     * Reads the window ending at {@code at}.
     *
     * @throws SourceException when the source cannot answer; the scorer then keeps its last scores, stale
     */
    Reading read(Instant at) throws SourceException;

    /** For logs and JSON: {@code embedded} or {@code prometheus}. */
    String name();

    /** The source could not answer: unreachable, an error status, or an answer it could not read. */
    final class SourceException extends Exception {
        private static final long serialVersionUID = 1L;

        public SourceException(String message) {
            super(message);
        }

        public SourceException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
