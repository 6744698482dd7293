package dev.apiguard.score;

import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.model.ConnectionId;
import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;
import dev.apiguard.semantics.ErrorType;
import dev.apiguard.semantics.Severity;
import dev.apiguard.semantics.Verdict;

/** Records generated exchanges into ApiMetrics. */
final class Traffic {

    /** Every synthetic exchange travels on this one connection. */
    private record TestConnection() implements ConnectionId {
        @Override
        public String describe() {
            return "test";
        }
    }

    private static final ConnectionId TEST_CONNECTION = new TestConnection();
    private final ApiMetrics metrics;

    Traffic(ApiMetrics metrics) {
        this.metrics = metrics;
    }

    void ok(String path, int n, double seconds) {
        record(Side.SERVER, path, n, 200, seconds, new Verdict.Ok(true));
    }

    void serverErrors(String path, int n) {
        record(Side.SERVER, path, n, 503, 0.01, new Verdict.Ok(false));
    }

    void business(String path, int n, ErrorType type, Severity severity) {
        record(Side.SERVER, path, n, 200, 0.01, new Verdict.BusinessError(type, severity, true));
    }

    void record(Side side, String path, int n, int status, double seconds, Verdict verdict) {
        for (int i = 0; i < n; i++) {
            Exchange e = new Exchange("shop", side, "POST", path, status, 0, (long) (seconds * 1e9), 100, 100,
                    "application/json", null, new byte[0], false, TEST_CONNECTION);
            metrics.record(e, path, verdict);
        }
    }
}
