package dev.apiguard.metrics;

import java.util.Objects;
import java.util.function.Consumer;

import dev.apiguard.metrics.InternalErrors.Stage;
import dev.apiguard.model.Exchange;
import dev.apiguard.routes.RouteNormalizer;
import dev.apiguard.semantics.Classifier;
import dev.apiguard.semantics.GrpcVerdicts;
import dev.apiguard.semantics.ResponseSample;
import dev.apiguard.semantics.Verdict;

/**
 * The one path every Exchange takes after its source, whichever it is (the agent's http stage or
 * the gateway): route → classify → record → listeners. The agent hands over whole exchanges
 * ({@link #accept}); the gateway asks for the route before proxying ({@link #route}, its breaker
 * needs it) and hands over the finished exchange after ({@link #complete}, its breaker needs the
 * verdict). Listeners therefore see both sources' verdicts alike.
 *
 * <p>A failing stage never stops the process: its exception is counted in
 * {@code apiguard_internal_errors_total{stage}} and logged (rate limited), and the exchange goes on
 * with a neutral result ({@link #UNROUTED}, an Ok verdict) or, when recording fails, is dropped.
 * Thread-safe when its stages are.
 */
public final class Pipeline implements Consumer<Exchange> {
    /** The route of a request whose route template could not be computed (an internal error). */
    public static final String UNROUTED = "/{unrouted}";

    private final RouteNormalizer routes;
    private final Classifier classifier;
    private final ApiMetrics metrics;
    private final InternalErrors errors;
    private final Consumer<Observation> listener;

    /**
     * @param errors where caught exceptions are counted; the registry's shared instance
     * @param listener sees every observation after it is recorded (dashboard events, verdict log); must
     *     be fast
     */
    public Pipeline(RouteNormalizer routes, Classifier classifier, ApiMetrics metrics, InternalErrors errors,
            Consumer<Observation> listener) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** A pipeline without listeners, counting its errors in the metrics' registry. */
    public static Pipeline of(RouteNormalizer routes, Classifier classifier, ApiMetrics metrics) {
        return new Pipeline(routes, classifier, metrics, InternalErrors.of(metrics.registry()), observation -> {});
    }

    /** The agent's entry: routes, classifies and records a whole exchange. */
    @Override
    public void accept(Exchange exchange) {
        boolean grpc = exchange.grpcStatus() != Exchange.NO_GRPC_STATUS
                || exchange.contentType() != null && exchange.contentType().regionMatches(true, 0, "application/grpc", 0, 16);
        complete(exchange, route(exchange.service(), exchange.rawPath(), grpc));
    }

    /** The route template of a request; {@link #UNROUTED} when the routes stage fails. Never null. */
    public String route(String service, String rawPath) {
        return route(service, rawPath, false);
    }

    /** As {@link #route(String, String)}; a gRPC call's route keeps its method's name exactly (the contract's {@code /package.Service/Method}). */
    public String route(String service, String rawPath, boolean grpc) {
        try {
            String route = grpc ? routes.grpcRoute(service, rawPath) : routes.route(service, rawPath);
            return route == null ? UNROUTED : route;
        } catch (RuntimeException e) {
            errors.report(Stage.ROUTE, e);
            return UNROUTED;
        }
    }

    /**
     * Classifies a finished exchange's response prefix, records it under {@code route} and tells the
     * listeners.
     *
     * @return the verdict (Ok when the classifier failed)
     */
    public Verdict complete(Exchange exchange, String route) {
        Verdict verdict;
        try {
            // A gRPC call's outcome is its grpc-status, not its body (a protobuf message).
            verdict = exchange.grpcStatus() != Exchange.NO_GRPC_STATUS
                    ? GrpcVerdicts.verdict(exchange.grpcStatus(), exchange.status())
                    : classifier.classify(new ResponseSample(route, exchange.status(), exchange.contentType(),
                    exchange.contentEncoding(), exchange.responsePrefix(), exchange.responsePrefixTruncated(),
                    exchange.method()));
            if (verdict == null) {
                throw new NullPointerException("the classifier returned no verdict");
            }
        } catch (RuntimeException e) {
            errors.report(Stage.CLASSIFY, e);
            verdict = neutral(exchange.status());
        }
        record(exchange, route, verdict);
        return verdict;
    }

    /**
     * Records an exchange whose response never completed (timeout, reset, refused connection): there
     * is no whole prefix to judge, so its verdict is Ok.
     */
    public void recordUnjudged(Exchange exchange, String route) {
        record(exchange, route, neutral(exchange.status()));
    }

    /**
     * Records an exchange whose verdict the caller already knows from the protocol itself (a gRPC
     * response's {@code grpc-status}): the body is not classified.
     */
    public void recordJudged(Exchange exchange, String route, Verdict verdict) {
        record(exchange, route, verdict);
    }

    public RouteNormalizer routes() {
        return routes;
    }

    public ApiMetrics metrics() {
        return metrics;
    }

    public InternalErrors internalErrors() {
        return errors;
    }

    private void record(Exchange exchange, String route, Verdict verdict) {
        try {
            metrics.record(exchange, route, verdict);
        } catch (RuntimeException e) {
            errors.report(Stage.RECORD, e);
            return;
        }
        try {
            listener.accept(new Observation(exchange, route, verdict));
        } catch (RuntimeException e) {
            errors.report(Stage.LISTENER, e);
        }
    }

    private static Verdict neutral(int status) {
        return new Verdict.Ok(status >= 200 && status < 300);
    }
}
