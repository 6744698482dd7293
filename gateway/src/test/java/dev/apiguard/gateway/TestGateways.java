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

    /** The admin port's own Host header: the admin API refuses any other (DNS rebinding). */
    static String adminHost(Gateway g) {
        return "Host: 127.0.0.1:" + g.adminPort() + "\r\n";
    }

    /** The gateway's /metrics, read from its admin port. */
    static String metrics(Gateway g) throws IOException {
        try (RawHttp raw = new RawHttp(g.adminPort())) {
            return raw.exchange("GET /metrics HTTP/1.1\r\n" + adminHost(g) + "\r\n").text();
        }
    }

    /** A state-changing admin call as an operator makes it: the token and a JSON body. */
    static RawHttp.Response admin(Gateway g, String method, String path) throws IOException {
        try (RawHttp raw = new RawHttp(g.adminPort())) {
            return raw.exchange(method + " " + path + " HTTP/1.1\r\n" + adminHost(g) + "Authorization: Bearer "
                    + g.adminAuth().token().value() + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        }
    }
}
