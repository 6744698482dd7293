package dev.apiguard.semantics;

import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Entry point for classifiers.
 *
 * <p>The built-in rules read only the top-level envelope of a JSON body (or a SOAP/XML fault) and
 * report a business error for: a success flag set to false ({@code ok}, {@code success}, ...); a
 * non-empty {@code error}/{@code errors} member (not null, 0, false, "" or []); a status or result
 * field holding a failure word ({@code "fail"}, {@code "error"}, {@code "REQUEST_DENIED"}); a
 * non-zero {@code errcode}/{@code error_code}; a non-zero, non-2xx {@code code} beside a message; a
 * JSON-RPC 2.0 {@code error}; GraphQL {@code errors} without {@code data} (with {@code data} it is a
 * partial success); an RFC 7807/9457 problem document; JSend {@code fail}/{@code error}; an AWS
 * {@code __type}; a SOAP 1.1/1.2 Fault or an XML {@code <Error>} document. Beyond the top level:
 * payment decisions, one wrapper object down, vendor result codes, GraphQL all-null data and
 * {@code userErrors}, batch items, XML-RPC/Ack/stat="fail" answers, form-encoded answers and NDJSON
 * streams; each verdict names its {@link Verdict.Family}. An explicit success flag wins. A body that
 * is a resource (it has an {@code id}/{@code object}) keeps its {@code status} as data. 5xx responses are system errors, never business errors; 4xx responses with a
 * recognisable error body are business errors that are not silent.
 *
 * <p>A classifier never throws. An exception inside it is a bug: the verdict reads as Ok, and the
 * exception goes to the {@code onInternalError} callback (this module depends on no metrics
 * library; the node counts them in {@code apiguard_internal_errors_total{stage="classify"}}). The
 * classifiers made without a callback log it.
 */
public final class Classifiers {
    private static final System.Logger LOG = System.getLogger(Classifiers.class.getPackageName());
    private static final Consumer<RuntimeException> LOG_IT =
            e -> LOG.log(Level.ERROR, "classifier internal error, the verdict reads as ok: " + e, e);
    private static final Classifier BUILT_IN = new EnvelopeClassifier(SemanticsConfig.empty(), LOG_IT);

    private Classifiers() {}

    /** The built-in rules only, with default severities. Thread-safe, shared. */
    public static Classifier builtIn() {
        return BUILT_IN;
    }

    /** User rules first (allow-list rules win), then the built-in ones, with the config's severities. */
    public static Classifier create(SemanticsConfig config) {
        return config.rules().isEmpty() && config.severity() == SeverityPolicy.DEFAULTS
                ? BUILT_IN
                : new EnvelopeClassifier(config, LOG_IT);
    }

    /** As {@link #create(SemanticsConfig)}, telling {@code onInternalError} of every exception it caught. */
    public static Classifier create(SemanticsConfig config, Consumer<RuntimeException> onInternalError) {
        return new EnvelopeClassifier(config, Objects.requireNonNull(onInternalError, "onInternalError"));
    }
}
