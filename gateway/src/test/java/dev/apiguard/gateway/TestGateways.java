package dev.apiguard.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.metrics.Pipeline;
import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.routes.RoutesConfig;
import dev.apiguard.score.ScoreSource;
import dev.apiguard.semantics.Classifiers;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Starts gateways on free loopback ports for tests. */
final class TestGateways {
    private TestGateways() {}

    static Gateway start(URI backend, UnaryOperator<GatewayConfig.Builder> options) {
        return start(backend, options, List::of);
    }

    static Gateway start(URI backend, UnaryOperator<GatewayConfig.Builder> options, ScoreSource scores) {
        GatewayConfig config = options.apply(GatewayConfig.builder(backend).listen("127.0.0.1", 0).admin("127.0.0.1", 0))
                .build();
        try {
            Pipeline pipeline = Pipeline.of(RouteNormalizer.create(RoutesConfig.defaults()), Classifiers.builtIn(),
                    new ApiMetrics(new PrometheusRegistry()));
            return Gateway.start(config, pipeline, scores, Clock.systemUTC(), new Random(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
