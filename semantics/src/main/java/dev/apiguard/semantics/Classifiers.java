package dev.apiguard.semantics;

/** Entry point for classifiers. */
public final class Classifiers {
    private Classifiers() {}

    /**
     * The built-in rules only. Placeholder until the semantics stage lands: flags a top-level
     * {@code "success":false} or {@code "ok":false} in a JSON 2xx body.
     */
    public static Classifier builtIn() {
        return response -> {
            boolean silent = response.status() >= 200 && response.status() < 300;
            String ct = response.contentType() == null ? "" : response.contentType();
            if (!ct.contains("json") || response.status() >= 500) {
                return new Verdict.Ok(silent);
            }
            String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8).replace(" ", "");
            if (body.startsWith("{\"success\":false") || body.startsWith("{\"ok\":false")) {
                return new Verdict.BusinessError(ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM, silent);
            }
            return new Verdict.Ok(silent);
        };
    }
}
