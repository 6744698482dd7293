package dev.apiguard.score;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * Reads the contract families from a registry in this process and keeps, per endpoint, a ring of
 * per-evaluation increments (window/interval slots) with running sums, so a windowed delta costs
 * one subtraction per field.
 *
 * <p>Increments are taken per series between consecutive reads, like PromQL's {@code increase}:
 * a series whose value went down was reset, and its new value is the increment. The first read is
 * a baseline; a series that appears later was created since the previous read, so all of it counts.
 * Memory: slots × (6 + buckets) ints per endpoint, about 5.5 KB at the defaults.
 */
final class EmbeddedWindowSource implements WindowSource {
    static final String REQUESTS = "api_http_requests";
    static final String DURATION = "api_http_duration_seconds";
    static final String BUSINESS = "api_business_errors";
    private static final Set<String> NAMES = Set.of(REQUESTS, REQUESTS + "_total", DURATION, BUSINESS, BUSINESS + "_total");

    private static final int REQ = 0;
    private static final int SERVER_ERRORS = 1;
    private static final int CRITICAL = 2;
    private static final int HIGH = 3;
    private static final int MEDIUM = 4;
    private static final int LOW = 5;
    private static final int BUCKETS = 6;

    private record Key(String service, String path) {}

    /** A series: its family and labels, with the endpoint it belongs to. The hash is computed once. */
    private static final class Series {
        final int family;
        final Labels labels;
        final Key key;
        private final int hash;

        Series(int family, Labels labels, Key key) {
            this.family = family;
            this.labels = labels;
            this.key = key;
            this.hash = 31 * labels.hashCode() + family;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Series s && s.hash == hash && s.family == family && s.labels.equals(labels);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A series' values at the read that last saw it. */
    private static final class SeriesState {
        double[] values;
        long seenAt;

        SeriesState(double[] values, long seenAt) {
            this.values = values;
            this.seenAt = seenAt;
        }
    }

    /**
     * The labels the source needs, read in one pass ({@code Labels.get} normalises the name on
     * every call, which costs more than the rest of a read at 10k endpoints).
     */
    private record Picked(Key key, String side, String statusClass, String severity) {
        static Picked of(Labels labels) {
            String service = null;
            String path = null;
            String side = null;
            String statusClass = null;
            String severity = null;
            for (int i = 0; i < labels.size(); i++) {
                String value = labels.getValue(i);
                switch (labels.getName(i)) {
                    case "service" -> service = value;
                    case "path" -> path = value;
                    case "side" -> side = value;
                    case "status_class" -> statusClass = value;
                    case "severity" -> severity = value;
                    default -> {}
                }
            }
            return new Picked(new Key(service, path), side, statusClass, severity);
        }
    }

    /** One endpoint's increments per slot and their running sums. */
    private static final class Ring {
        final int width;
        final int[] slots;
        final long[] sums;

        Ring(int slotCount, int width) {
            this.width = width;
            this.slots = new int[slotCount * width];
            this.sums = new long[width];
        }

        void put(int slot, double[] increments) {
            int base = slot * width;
            for (int f = 0; f < width; f++) {
                int next = increments == null || f >= increments.length ? 0 : saturate(increments[f]);
                sums[f] += next - slots[base + f];
                slots[base + f] = next;
            }
        }

        boolean empty() {
            for (long s : sums) {
                if (s != 0) {
                    return false;
                }
            }
            return true;
        }

        private static int saturate(double v) {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, Math.round(v)));
        }
    }

    private final PrometheusRegistry registry;
    private final Set<String> sides;
    private final int slotCount;
    private final int maxEndpoints;
    private final Map<Key, Ring> rings = new HashMap<>();
    private final ArrayDeque<Instant> readTimes = new ArrayDeque<>();
    /** Every series' value at its last read, updated in place (a fresh map per read cost more than the rest). */
    private final Map<Series, SeriesState> previous = new HashMap<>();
    private double[] bounds;
    private long reads;

    EmbeddedWindowSource(PrometheusRegistry registry, ScoreConfig config) {
        this.registry = registry;
        this.sides = new HashSet<>(config.sides()); // null-tolerant: a series without a side is skipped
        this.slotCount = config.slots();
        this.maxEndpoints = config.maxEndpoints();
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public synchronized Reading read(Instant at) throws SourceException {
        Iterable<MetricSnapshot> snapshots;
        try {
            snapshots = registry.scrape(NAMES::contains);
        } catch (RuntimeException e) {
            throw new SourceException("cannot read the registry: " + e, e);
        }
        boolean baseline = reads == 0;
        Map<Key, double[]> increments = new HashMap<>();
        for (MetricSnapshot snapshot : snapshots) {
            switch (snapshot) {
                case CounterSnapshot c when c.getMetadata().getName().equals(REQUESTS) -> {
                    for (CounterSnapshot.CounterDataPointSnapshot dp : c.getDataPoints()) {
                        Picked l = Picked.of(dp.getLabels());
                        if (!sides.contains(l.side)) {
                            continue;
                        }
                        double inc = delta(new Series(0, dp.getLabels(), l.key), new double[] {dp.getValue()}, baseline)[0];
                        double[] e = increments.computeIfAbsent(l.key, k -> fields());
                        e[REQ] += inc;
                        if ("5xx".equals(l.statusClass)) {
                            e[SERVER_ERRORS] += inc;
                        }
                    }
                }
                case CounterSnapshot c when c.getMetadata().getName().equals(BUSINESS) -> {
                    for (CounterSnapshot.CounterDataPointSnapshot dp : c.getDataPoints()) {
                        Picked l = Picked.of(dp.getLabels());
                        int field = severityField(l.severity);
                        if (!sides.contains(l.side) || field < 0) {
                            continue;
                        }
                        double inc = delta(new Series(1, dp.getLabels(), l.key), new double[] {dp.getValue()}, baseline)[0];
                        increments.computeIfAbsent(l.key, k -> fields())[field] += inc;
                    }
                }
                case HistogramSnapshot h when h.getMetadata().getName().equals(DURATION) -> {
                    for (HistogramSnapshot.HistogramDataPointSnapshot dp : h.getDataPoints()) {
                        Picked l = Picked.of(dp.getLabels());
                        if (!sides.contains(l.side) || !dp.hasClassicHistogramData()) {
                            continue;
                        }
                        double[] counts = bucketCounts(dp.getClassicBuckets());
                        if (counts == null) {
                            continue;
                        }
                        double[] inc = delta(new Series(2, dp.getLabels(), l.key), counts, baseline);
                        double[] e = increments.computeIfAbsent(l.key, k -> fields());
                        if (e.length < BUCKETS + inc.length) {
                            // Counters of this endpoint came before the first histogram fixed the bounds.
                            e = Arrays.copyOf(e, BUCKETS + inc.length);
                            increments.put(l.key, e);
                        }
                        for (int b = 0; b < inc.length; b++) {
                            e[BUCKETS + b] += inc[b];
                        }
                    }
                }
                default -> {}
            }
        }
        long read = reads;
        previous.values().removeIf(state -> state.seenAt != read); // series that no longer exist
        long dropped = advance(increments);
        readTimes.addLast(at);
        while (readTimes.size() > slotCount + 1) {
            readTimes.removeFirst();
        }
        reads++;
        return new Reading(Duration.between(readTimes.getFirst(), at), stats(), dropped);
    }

    /** Pushes this read's increments into every ring (zeros for quiet endpoints). */
    private long advance(Map<Key, double[]> increments) {
        int slot = (int) (reads % slotCount);
        Set<Key> dropped = new HashSet<>();
        for (Map.Entry<Key, double[]> e : increments.entrySet()) {
            if (!rings.containsKey(e.getKey())) {
                if (rings.size() >= maxEndpoints) {
                    dropped.add(e.getKey());
                    continue;
                }
                rings.put(e.getKey(), new Ring(slotCount, BUCKETS + (bounds == null ? 0 : bounds.length)));
            }
        }
        Set<Key> live = null;
        for (var it = rings.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Ring> e = it.next();
            double[] inc = increments.get(e.getKey());
            e.getValue().put(slot, inc);
            if (inc == null && e.getValue().empty()) {
                // Quiet for a whole window: forget it unless its series still exist.
                if (live == null) {
                    live = liveKeys();
                }
                if (!live.contains(e.getKey())) {
                    it.remove();
                }
            }
        }
        return dropped.size();
    }

    private List<WindowStats> stats() {
        List<WindowStats> out = new ArrayList<>(rings.size());
        for (Map.Entry<Key, Ring> e : rings.entrySet()) {
            long[] s = e.getValue().sums;
            double p99 = Double.NaN;
            if (bounds != null && s.length == BUCKETS + bounds.length) {
                double[] cumulative = new double[bounds.length];
                double running = 0;
                for (int b = 0; b < bounds.length; b++) {
                    running += s[BUCKETS + b];
                    cumulative[b] = running;
                }
                p99 = HistogramQuantile.quantile(0.99, bounds, cumulative);
            }
            out.add(new WindowStats(e.getKey().service(), e.getKey().path(),
                    s[REQ], s[SERVER_ERRORS], s[CRITICAL], s[HIGH], s[MEDIUM], s[LOW], p99));
        }
        return out;
    }

    /** The increment of one series since the previous read, reset-aware; records its new value. */
    private double[] delta(Series series, double[] now, boolean baseline) {
        SeriesState state = previous.get(series);
        if (state == null) {
            previous.put(series, new SeriesState(now, reads));
            return baseline ? new double[now.length] : now;
        }
        double[] before = state.values;
        state.values = now;
        state.seenAt = reads;
        if (before.length != now.length || sum(now) < sum(before)) {
            return now;
        }
        double[] inc = new double[now.length];
        for (int i = 0; i < now.length; i++) {
            inc[i] = Math.max(0, now[i] - before[i]);
        }
        return inc;
    }

    /** Per-bucket (non-cumulative) counts, or null when the bounds differ from the first histogram seen. */
    private double[] bucketCounts(ClassicHistogramBuckets buckets) {
        if (bounds == null) {
            bounds = new double[buckets.size()];
            for (int i = 0; i < bounds.length; i++) {
                bounds[i] = buckets.getUpperBound(i);
            }
        }
        if (buckets.size() != bounds.length) {
            return null;
        }
        double[] counts = new double[bounds.length];
        for (int i = 0; i < counts.length; i++) {
            if (buckets.getUpperBound(i) != bounds[i]) {
                return null;
            }
            counts[i] = buckets.getCount(i);
        }
        return counts;
    }

    private double[] fields() {
        return new double[BUCKETS + (bounds == null ? 0 : bounds.length)];
    }

    private Set<Key> liveKeys() {
        Set<Key> keys = new HashSet<>();
        previous.keySet().forEach(s -> keys.add(s.key));
        return keys;
    }

    private static int severityField(String severity) {
        if (severity == null) {
            return -1;
        }
        return switch (severity) {
            case "critical" -> CRITICAL;
            case "high" -> HIGH;
            case "medium" -> MEDIUM;
            case "low" -> LOW;
            default -> -1;
        };
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
