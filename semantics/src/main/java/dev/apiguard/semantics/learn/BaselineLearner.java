package dev.apiguard.semantics.learn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import dev.apiguard.semantics.ErrorType;

/**
 * Per-route baselines learned from the traffic itself: which fields a route's 2xx JSON answers
 * (top level and one wrapper deep) always carry, and which value each outcome-like field
 * ({@code status}, {@code state}, {@code result}, {@code code}, {@code ok}, booleans, ...) takes in
 * the great majority of them.
 *
 * <p>Once a route has shown {@code min-samples} responses, a response is a learned business error
 * when an outcome field that is usually present with one dominant value departs from it (another
 * value, or missing) <em>and</em> the response looks like a failure: the new value reads like one
 * (the failure lexicon), an error-like member appears that the route usually lacks, a success flag
 * flips to false (or a failure flag to true), or a success code turns into another code. Rarity
 * alone never makes a failure. Responses judged failures (here or by the rules) are not learned
 * from, so an incident does not erode the baseline it is judged against.
 *
 * <p>Bounded: {@code max-routes} routes, {@code max-fields} fields per route, {@code max-values}
 * values per field; whatever does not fit is counted ({@link #overflowCounts()}). Memory only: a
 * baseline lives as long as the process, unless pinned as user rules ({@code rules suggest}).
 */
public final class BaselineLearner {
    private static final int MAX_DEPARTURES = 16;
    private static final Set<String> OUTCOME_NAMES = Set.of("status", "state", "result", "code", "resultcode",
            "returncode", "statuscode", "responsecode", "rc", "ret", "retcode", "errcode", "ok", "success",
            "successful", "succeeded", "ack", "acknowledged", "outcome", "decision", "verdict", "accepted", "approved",
            "authorized", "authorised", "valid", "completed", "processed", "done", "stat", "reasoncode", "respcode");
    private static final String[] OUTCOME_SUFFIXES = {"status", "state", "result", "resultcode", "returncode",
            "outcome", "decision"};
    private static final Set<String> POSITIVE_FLAGS = Set.of("ok", "success", "successful", "succeeded", "ack",
            "acknowledged", "accepted", "approved", "authorized", "authorised", "valid", "completed", "processed",
            "done", "result", "status", "passed", "issuccess", "issuccessful", "isvalid", "isok");
    private static final Set<String> NEGATIVE_FLAGS = Set.of("failed", "failure", "error", "iserror", "haserror",
            "haserrors", "errored", "fault", "rejected", "declined", "denied", "timedout", "aborted", "isfailure");
    private static final Set<String> CODE_NAMES = Set.of("code", "resultcode", "returncode", "statuscode",
            "responsecode", "rc", "ret", "retcode", "errcode", "reasoncode", "respcode");
    private static final Set<String> NUMERIC_STATUS_NAMES = Set.of("status", "stat", "state", "result");
    private static final Set<String> SUCCESS_CODES = Set.of("0", "00", "000", "0000", "200", "ok", "success",
            "succeeded", "successful", "s", "approved", "accepted");

    private final LearningSettings settings;
    private final ConcurrentHashMap<String, RouteBaseline> routes = new ConcurrentHashMap<>();
    private final LongAdder routeOverflow = new LongAdder();
    private final LongAdder fieldOverflow = new LongAdder();
    private final LongAdder valueOverflow = new LongAdder();

    public BaselineLearner(LearningSettings settings) {
        this.settings = settings;
    }

    public LearningSettings settings() {
        return settings;
    }

    /** A learned failure: where, what, and the type the lexicon suggests. */
    record Departure(String pointer, OutcomeScan.Value value, ErrorType type) {}

    /** Whether a member name, already normalized ({@link OutcomeScan#normalized}), is outcome-like. */
    static boolean outcomeNormalized(String n) {
        if (OUTCOME_NAMES.contains(n)) {
            return true;
        }
        for (String suffix : OUTCOME_SUFFIXES) {
            if (n.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Learns from one 2xx JSON-object response and judges it.
     *
     * @param failureElsewhere the configured rules already call it a failure (or partial): not learned
     *     from, not judged
     * @return the departure that makes it a learned business error, or null
     */
    Departure observe(String route, OutcomeScan.Observed observed, boolean failureElsewhere) {
        RouteBaseline baseline = routes.get(route);
        if (baseline == null) {
            // Checked inside the map's own atomic step, so concurrent callers cannot pass the bound together.
            baseline = routes.computeIfAbsent(route, r -> routes.size() >= settings.maxRoutes() ? null : new RouteBaseline());
            if (baseline == null) {
                routeOverflow.increment();
                return null;
            }
        }
        synchronized (baseline) {
            if (failureElsewhere) {
                baseline.failuresElsewhere++;
                return null;
            }
            Departure departure = baseline.samples >= settings.minSamples() ? baseline.judge(observed) : null;
            if (departure != null) {
                baseline.flagged++;
                baseline.recordDeparture(departure);
                return departure;
            }
            baseline.learn(observed);
            return null;
        }
    }

    /** Undoes a flag the config's allow-list overrides: it was a normal response after all. */
    void allowed(String route, OutcomeScan.Observed observed, Departure departure) {
        RouteBaseline baseline = routes.get(route);
        if (baseline == null) {
            return;
        }
        synchronized (baseline) {
            baseline.flagged--;
            baseline.unrecordDeparture(departure);
            baseline.learn(observed);
        }
    }

    /** Things that did not fit, by what: routes, fields, values. */
    public Map<String, Long> overflowCounts() {
        Map<String, Long> m = new TreeMap<>();
        m.put("fields", fieldOverflow.sum());
        m.put("routes", routeOverflow.sum());
        m.put("values", valueOverflow.sum());
        return m;
    }

    public BaselineSnapshot snapshot() {
        List<BaselineSnapshot.Route> out = new ArrayList<>();
        new TreeMap<>(routes).forEach((route, baseline) -> {
            synchronized (baseline) {
                out.add(baseline.view(route));
            }
        });
        LearningSettings s = settings;
        return new BaselineSnapshot(new BaselineSnapshot.Settings(s.enabled(), s.minSamples(), s.dominance(),
                s.maxRoutes(), s.maxFields(), s.maxValues()), out, overflowCounts());
    }

    private static final class FieldStats {
        final String name;
        final boolean outcome;
        long present;
        final LinkedHashMap<OutcomeScan.Value, long[]> values = new LinkedHashMap<>();
        long otherValues;

        FieldStats(String name, boolean outcome) {
            this.name = name;
            this.outcome = outcome;
        }
    }

    private final class RouteBaseline {
        long samples;
        long flagged;
        long failuresElsewhere;
        long errorObjectSamples;
        final LinkedHashMap<String, FieldStats> fields = new LinkedHashMap<>();
        final LinkedHashMap<String, Object[]> departures = new LinkedHashMap<>(); // key → {Departure, long[]}

        void learn(OutcomeScan.Observed o) {
            samples++;
            if (o.errorObject) {
                errorObjectSamples++;
            }
            // Outcome-like fields first: they get the field budget before plain data does.
            for (int pass = 0; pass < 2; pass++) {
                for (OutcomeScan.Field f : o.fields) {
                    boolean outcome = f.outcomeNamed() || f.kind() == OutcomeScan.Kind.BOOLEAN;
                    if ((pass == 0) != outcome) {
                        continue;
                    }
                    FieldStats stats = fields.get(f.pointer());
                    if (stats == null) {
                        if (fields.size() >= settings.maxFields()) {
                            fieldOverflow.increment();
                            continue;
                        }
                        stats = new FieldStats(f.name(), outcome);
                        fields.put(f.pointer(), stats);
                    }
                    stats.present++;
                    if (stats.outcome) {
                        long[] count = stats.values.get(f.value());
                        if (count != null) {
                            count[0]++;
                        } else if (stats.values.size() < settings.maxValues()) {
                            stats.values.put(f.value(), new long[] {1});
                        } else {
                            stats.otherValues++;
                            valueOverflow.increment();
                        }
                    }
                }
            }
        }

        Departure judge(OutcomeScan.Observed o) {
            boolean errorUsuallyAbsent = errorObjectSamples <= (1 - settings.dominance()) * samples;
            boolean errorAppears = o.errorObject && errorUsuallyAbsent;
            for (Map.Entry<String, FieldStats> e : fields.entrySet()) {
                FieldStats stats = e.getValue();
                OutcomeScan.Value usual = usual(stats);
                if (usual == null) {
                    continue;
                }
                OutcomeScan.Field now = o.field(e.getKey());
                if (now != null && now.value().equals(usual)) {
                    continue;
                }
                boolean cue = errorAppears
                        || (now != null && now.kind() == OutcomeScan.Kind.STRING && FailureLexicon.looksLikeFailure(now.text()))
                        || (now != null && flagFlip(stats.name, usual, now))
                        || (now != null && codeDeparture(stats.name, usual, now));
                if (cue) {
                    OutcomeScan.Value value = now == null ? new OutcomeScan.Value("absent", null) : now.value();
                    return new Departure(e.getKey(), value, type(now, o));
                }
            }
            return null;
        }

        /** The usual value: the field is almost always present, with one value almost always. */
        OutcomeScan.Value usual(FieldStats stats) {
            if (!stats.outcome || stats.present < settings.minSamples()
                    || stats.present < settings.dominance() * samples) {
                return null;
            }
            for (Map.Entry<OutcomeScan.Value, long[]> v : stats.values.entrySet()) {
                if (v.getValue()[0] >= settings.dominance() * stats.present) {
                    return v.getKey();
                }
            }
            return null;
        }

        void recordDeparture(Departure d) {
            String key = d.pointer() + '\0' + d.value().kind() + '\0' + d.value().text() + '\0' + d.type();
            Object[] entry = departures.get(key);
            if (entry != null) {
                ((long[]) entry[1])[0]++;
            } else if (departures.size() < MAX_DEPARTURES) {
                departures.put(key, new Object[] {d, new long[] {1}});
            } else {
                valueOverflow.increment();
            }
        }

        void unrecordDeparture(Departure d) {
            String key = d.pointer() + '\0' + d.value().kind() + '\0' + d.value().text() + '\0' + d.type();
            Object[] entry = departures.get(key);
            if (entry != null && --((long[]) entry[1])[0] <= 0) {
                departures.remove(key);
            }
        }

        BaselineSnapshot.Route view(String route) {
            List<BaselineSnapshot.Field> fieldViews = new ArrayList<>();
            fields.forEach((pointer, stats) -> {
                List<BaselineSnapshot.ValueCount> values = new ArrayList<>();
                stats.values.forEach((v, n) -> values.add(new BaselineSnapshot.ValueCount(v.kind(), v.text(), n[0])));
                OutcomeScan.Value usual = usual(stats);
                BaselineSnapshot.ValueCount usualView = usual == null ? null
                        : new BaselineSnapshot.ValueCount(usual.kind(), usual.text(), stats.values.get(usual)[0]);
                fieldViews.add(new BaselineSnapshot.Field(pointer, stats.present,
                        samples > 0 && stats.present >= settings.dominance() * samples, stats.outcome, values,
                        usualView, stats.otherValues));
            });
            List<BaselineSnapshot.Departure> departureViews = new ArrayList<>();
            departures.values().forEach(entry -> {
                Departure d = (Departure) entry[0];
                departureViews.add(new BaselineSnapshot.Departure(d.pointer(), d.value().kind(), d.value().text(),
                        d.type().label(), ((long[]) entry[1])[0]));
            });
            return new BaselineSnapshot.Route(route, samples, samples >= settings.minSamples(), flagged,
                    failuresElsewhere, errorObjectSamples, fieldViews, departureViews);
        }
    }

    private static boolean flagFlip(String name, OutcomeScan.Value usual, OutcomeScan.Field now) {
        if (!"boolean".equals(usual.kind()) || now.kind() != OutcomeScan.Kind.BOOLEAN) {
            return false;
        }
        String n = OutcomeScan.normalized(name);
        return ("true".equals(usual.text()) && "false".equals(now.text()) && POSITIVE_FLAGS.contains(n))
                || ("false".equals(usual.text()) && "true".equals(now.text()) && NEGATIVE_FLAGS.contains(n));
    }

    /** A success code (0, 200, "00", "OK") turned into another code. */
    private static boolean codeDeparture(String name, OutcomeScan.Value usual, OutcomeScan.Field now) {
        String n = OutcomeScan.normalized(name);
        if ("number".equals(usual.kind()) && now.kind() == OutcomeScan.Kind.NUMBER
                && (CODE_NAMES.contains(n) || NUMERIC_STATUS_NAMES.contains(n))) {
            return successNumber(usual.text()) && !successNumber(now.text());
        }
        if ("string".equals(usual.kind()) && now.kind() == OutcomeScan.Kind.STRING && CODE_NAMES.contains(n)) {
            return SUCCESS_CODES.contains(usual.text().trim().toLowerCase(Locale.ROOT))
                    && !SUCCESS_CODES.contains(now.text().trim().toLowerCase(Locale.ROOT));
        }
        return false;
    }

    private static boolean successNumber(String text) {
        try {
            double d = Double.parseDouble(text);
            return d == 0 || (d >= 200 && d <= 299);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static ErrorType type(OutcomeScan.Field now, OutcomeScan.Observed o) {
        String text = (now == null || now.text() == null ? "" : now.text()) + " " + o.errorText;
        ErrorType type = FailureLexicon.type(text);
        if (type == ErrorType.GENERIC_BUSINESS_ERROR && now != null && now.kind() == OutcomeScan.Kind.NUMBER) {
            type = switch (now.text()) {
                case "401", "403" -> ErrorType.AUTH_FAILURE;
                case "402" -> ErrorType.PAYMENT_FAILURE;
                case "404" -> ErrorType.NOT_FOUND;
                case "429" -> ErrorType.RATE_LIMIT;
                case "400", "422" -> ErrorType.VALIDATION;
                default -> ErrorType.GENERIC_BUSINESS_ERROR;
            };
        }
        return type;
    }
}
