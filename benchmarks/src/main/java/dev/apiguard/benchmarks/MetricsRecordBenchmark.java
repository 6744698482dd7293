package dev.apiguard.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.model.ConnectionId;
import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;
import dev.apiguard.semantics.Verdict;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Cost of recording one exchange in the contract's metric families. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MetricsRecordBenchmark {

    /** Every synthetic exchange travels on this one connection. */
    private record TestConnection() implements ConnectionId {
        @Override
        public String describe() {
            return "test";
        }
    }

    private static final ConnectionId TEST_CONNECTION = new TestConnection();
    private final ApiMetrics metrics = new ApiMetrics(new PrometheusRegistry());
    private final Exchange exchange = new Exchange("shop", Side.SERVER, "GET", "/api/v1/users/42", 200,
            0, 1_500_000, 120, 900, "application/json", null, new byte[0], false, TEST_CONNECTION);
    private final Verdict ok = new Verdict.Ok(true);

    @Benchmark
    public void record() {
        metrics.record(exchange, "/api/v1/users/{id}", ok);
    }
}
