package dev.apiguard.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.routes.RoutesConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Route lookup: a raw target seen before (cache hit) and fresh ones (templating, then a hit on the route set). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteNormalizerBenchmark {
    private final RouteNormalizer routes = RouteNormalizer.create(RoutesConfig.defaults());
    private final String[] fresh = new String[1 << 16];
    private int next;

    public RouteNormalizerBenchmark() {
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = "/api/v1/users/" + (1_000_000 + i) + "/orders/550e8400-e29b-41d4-a716-" + String.format("%012x", i) + "?page=2";
        }
    }

    @Benchmark
    public String cachedTarget() {
        return routes.route("shop", "/api/v1/users/42/orders?page=2");
    }

    @Benchmark
    public String freshTarget() {
        next = (next + 1) & (fresh.length - 1);
        return routes.route("shop", fresh[next]);
    }
}
