package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.time.Clock;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.metrics.InternalErrors;
import dev.apiguard.metrics.InternalErrors.Stage;
import dev.apiguard.metrics.Pipeline;
import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.routes.RoutesConfig;
import dev.apiguard.semantics.Classifiers;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.embedded.EmbeddedChannel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** What reaches the handlers' exceptionCaught: a bug is counted, a peer's I/O error is not; both close the channel. */
class ChannelErrorsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Pipeline pipeline = Pipeline.of(RouteNormalizer.create(RoutesConfig.defaults()), Classifiers.builtIn(),
            new ApiMetrics(registry));
    private final InternalErrors errors = pipeline.internalErrors();
    private final GatewayConfig config = GatewayConfig.builder(URI.create("http://127.0.0.1:9")).listen("127.0.0.1", 0)
            .noAdmin().build();
    private final GatewayMetrics metrics = new GatewayMetrics(registry);
    private final ProxyContext px = new ProxyContext(config,
            new BreakerRegistry(config.breaker(), Clock.systemUTC(), new Random(1), metrics), metrics, pipeline,
            new InetSocketAddress("127.0.0.1", 9), new Bootstrap(), 1);

    private FrontendHandler frontend() {
        return new FrontendHandler(px);
    }

    @Test
    void theClientHandlerCountsABugAndClosesButIgnoresAReset() {
        EmbeddedChannel reset = new EmbeddedChannel(frontend());
        reset.pipeline().fireExceptionCaught(new SocketException("Connection reset"));
        assertThat(reset.isOpen()).isFalse();
        assertThat(errors.count(Stage.GATEWAY)).isZero();

        EmbeddedChannel bug = new EmbeddedChannel(frontend());
        bug.pipeline().fireExceptionCaught(new IllegalStateException("handler bug"));
        assertThat(bug.isOpen()).isFalse();
        assertThat(errors.count(Stage.GATEWAY)).isEqualTo(1);
    }

    @Test
    void theUpstreamHandlerDoesTheSame() {
        EmbeddedChannel reset = new EmbeddedChannel(new UpstreamHandler(errors, new RawResponseScanner(1024)));
        reset.pipeline().fireExceptionCaught(new IOException("Broken pipe"));
        assertThat(reset.isOpen()).isFalse();
        assertThat(errors.count(Stage.GATEWAY)).isZero();
        for (int i = 0; i < 2; i++) {
            EmbeddedChannel bug = new EmbeddedChannel(new UpstreamHandler(errors, new RawResponseScanner(1024)));
            bug.pipeline().fireExceptionCaught(new NullPointerException("upstream bug"));
            assertThat(bug.isOpen()).isFalse();
        }
        assertThat(errors.count(Stage.GATEWAY)).isEqualTo(2);
    }
}
