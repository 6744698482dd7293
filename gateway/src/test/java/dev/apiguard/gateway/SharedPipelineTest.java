package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.apiguard.metrics.ApiMetrics;
import dev.apiguard.metrics.InternalErrors;
import dev.apiguard.metrics.MetricsText;
import dev.apiguard.metrics.Observation;
import dev.apiguard.metrics.Pipeline;
import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;
import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.routes.RoutesConfig;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.Classifiers;
import dev.apiguard.semantics.ErrorType;
import dev.apiguard.semantics.Verdict;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The gateway feeds the shared pipeline: its listeners see the gateway's verdicts, the breaker gets
 * the pipeline's verdict, and a stage that fails is counted while proxying goes on.
 */
class SharedPipelineTest {
    private static final String DECLINED = "{\"ok\":false,\"error\":{\"code\":\"card_declined\",\"message\":\"declined\"}}";

    @Test
    void theListenersSeeTheGatewaysVerdictsAndAFailingClassifierIsCountedWhileProxyingGoesOn() throws Exception {
        // The backend answers every request with a silent 200 whose body says the payment failed.
        try (RawBackend backend = RawBackend.start(r -> RawBackend.response(200, DECLINED));
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            PrometheusRegistry registry = new PrometheusRegistry();
            List<Observation> seen = new CopyOnWriteArrayList<>();
            List<Exchange> classified = new CopyOnWriteArrayList<>();
            Classifier buggyOnBoom = sample -> {
                if ("/boom".equals(sample.route())) {
                    throw new IllegalStateException("classifier bug");
                }
                return Classifiers.builtIn().classify(sample);
            };
            InternalErrors errors = InternalErrors.of(registry);
            Pipeline pipeline = new Pipeline(RouteNormalizer.create(RoutesConfig.defaults()), buggyOnBoom,
                    new ApiMetrics(registry), errors, o -> {
                        seen.add(o);
                        classified.add(o.exchange());
                    });
            GatewayConfig config = GatewayConfig.builder(backend.uri()).listen("127.0.0.1", 0).noAdmin().build();
            try (Gateway gateway = Gateway.start(config, pipeline, List::of, Clock.systemUTC(), new Random(1))) {
                for (String path : List.of("/checkout/7", "/boom", "/boom", "/checkout/8?x=1")) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gateway.port() + path)).build(), BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo(DECLINED); // proxied untouched, also when classifying failed
                }
                assertThat(errors.count(InternalErrors.Stage.CLASSIFY)).isEqualTo(2);
                assertThat(seen).hasSize(4);
                assertThat(seen).extracting(Observation::route)
                        .containsExactly("/checkout/{id}", "/boom", "/boom", "/checkout/{id}");
                assertThat(seen).extracting(o -> o.exchange().side()).containsOnly(Side.GATEWAY);
                assertThat(seen).filteredOn(o -> o.route().startsWith("/checkout")).extracting(Observation::verdict)
                        .allSatisfy(v -> assertThat(v).isInstanceOfSatisfying(Verdict.BusinessError.class, e -> {
                            assertThat(e.silent()).isTrue();
                            assertThat(e.type()).isEqualTo(ErrorType.PAYMENT_FAILURE);
                        }));
                assertThat(seen).filteredOn(o -> o.route().equals("/boom")).extracting(Observation::verdict)
                        .containsOnly(new Verdict.Ok(true));
                // The classifier saw the whole (short) body; every exchange names its client connection.
                assertThat(classified).extracting(e -> new String(e.responsePrefix())).containsOnly(DECLINED);
                assertThat(classified).extracting(e -> e.connection().describe()).allMatch(d -> d.startsWith("gateway#"));
                // The breaker's outcome is the pipeline's verdict: two silent business errors on /checkout/{id}.
                String metrics = new String(MetricsText.render(registry));
                assertThat(metrics).contains("apiguard_internal_errors_total{stage=\"classify\"} 2.0")
                        .containsPattern("api_business_errors_total\\{error_type=\"payment_failure\",path=\"/checkout/\\{id}\","
                                + "service=\"[^\"]+\",severity=\"[a-z]+\",side=\"gateway\",silent=\"true\"} 2.0");
                assertThat(gateway.breakers().get("/checkout/{id}")).hasValueSatisfying(b -> {
                    assertThat(b.windowCalls()).isEqualTo(2);
                    assertThat(b.windowFailures()).isEqualTo(2);
                });
                assertThat(gateway.breakers().get("/boom")).hasValueSatisfying(b -> {
                    assertThat(b.windowCalls()).isEqualTo(2);
                    assertThat(b.windowFailures()).isZero(); // a missing verdict never trips a breaker
                });
            }
        }
    }
}
