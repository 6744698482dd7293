package dev.apiguard.metrics;

import java.util.function.Consumer;

import dev.apiguard.http.Exchange;
import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.ResponseSample;
import dev.apiguard.semantics.Verdict;

/**
 * Runs an Exchange through the routes and semantics stages and records it: the tail of the
 * pipeline that the agent and the gateway share.
 */
public final class ExchangeRecorder implements Consumer<Exchange> {
    private final RouteNormalizer routes;
    private final Classifier classifier;
    private final ApiMetrics metrics;
    private final Consumer<Observation> listener;

    /**
     * @param listener sees every observation after it is recorded (dashboard events, logs); must be
     *     fast and must not throw
     */
    public ExchangeRecorder(RouteNormalizer routes, Classifier classifier, ApiMetrics metrics, Consumer<Observation> listener) {
        this.routes = routes;
        this.classifier = classifier;
        this.metrics = metrics;
        this.listener = listener;
    }

    @Override
    public void accept(Exchange exchange) {
        String route = routes.route(exchange.service(), exchange.rawPath());
        Verdict verdict = classifier.classify(new ResponseSample(route, exchange.status(), exchange.contentType(),
                exchange.contentEncoding(), exchange.responsePrefix(), exchange.responsePrefixTruncated()));
        metrics.record(exchange, route, verdict);
        listener.accept(new Observation(exchange, route, verdict));
    }
}
