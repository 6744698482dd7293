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

import dev.apiguard.metrics.EndpointTotals;
import dev.apiguard.metrics.EndpointTotalsSource;

/**
 * Reads the running totals that {@code ApiMetrics} keeps per (service, side, path) in this process
 * and keeps, per endpoint, a ring of per-evaluation increments (window/interval slots) with running
 * sums, so a windowed delta costs one subtraction per field. No scrape: the registry's snapshots of
 * every series cost more than the rest of an evaluation.
 *
 * <p>Increments are taken per endpoint and side between consecutive reads, like PromQL's
 * {@code increase}: totals of which any field went down were reset, and their new values are the
 * increment. The first read is a baseline; an endpoint that appears later was first recorded since
 * the previous read, so all of it counts. Sides outside {@link ScoreConfig#sides()} are skipped, the
 * others summed per (service, path). Memory: slots × (6 + buckets) ints per endpoint, about 5.5 KB at
 * the defaults, plus (6 + buckets) longs per endpoint and side for the previous totals.
 */
final class EmbeddedWindowSource implements WindowSource {
    private static final int REQ = 0;
    private static final int SERVER_ERRORS = 1;
    private static final int CRITICAL = 2;
    private static final int HIGH = 3;
    private static final int MEDIUM = 4;
    private static final int LOW = 5;
    private static final int BUCKETS = 6;

    private record Endpoint(String service, String path) {}

    private record SideKey(String service, String side, String path) {}

    /** One endpoint-and-side's totals at the read that last saw them, and the ring they feed. */
    private static final class SideState {
        final long[] totals;
        long seenAt;
        Ring ring; // null until the endpoint has a ring (it may have been dropped)

        SideState(long[] totals) {
            this.totals = totals;
        }
    }

    /** One endpoint's increments per slot, their running sums, and this read's increments so far. */
    private static final class Ring {
        final int width;
        final int[] slots;
        final long[] sums;
        final long[] pending;
        boolean touched;

        Ring(int slotCount, int width) {
            this.width = width;
            this.slots = new int[slotCount * width];
            this.sums = new long[width];
            this.pending = new long[width];
        }

        /** Adds one side's increments (sides of an endpoint are summed). */
        void add(long[] increments) {
            for (int f = 0; f < width; f++) {
                pending[f] += increments[f];
            }
            touched = true;
        }

        /** Moves this read's increments into {@code slot}, replacing the read that fell out of the window. */
        void commit(int slot) {
            int base = slot * width;
            for (int f = 0; f < width; f++) {
                int next = saturate(pending[f]);
                sums[f] += next - slots[base + f];
                slots[base + f] = next;
                pending[f] = 0;
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

        private static int saturate(long v) {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, v));
        }
    }

    private final EndpointTotalsSource source;
    private final Set<String> sides;
    private final int slotCount;
    private final int maxEndpoints;
    private final Map<Endpoint, Ring> rings = new HashMap<>();
    private final ArrayDeque<Instant> readTimes = new ArrayDeque<>();
    /** Every endpoint-and-side's totals at its last read, updated in place. */
    private final Map<SideKey, SideState> previous = new HashMap<>();
    private double[] bounds;
    private long reads;

    EmbeddedWindowSource(EndpointTotalsSource source, ScoreConfig config) {
        this.source = source;
        this.sides = new HashSet<>(config.sides());
        this.slotCount = config.slots();
        this.maxEndpoints = config.maxEndpoints();
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public synchronized Reading read(Instant at) throws SourceException {
        List<EndpointTotals> totals;
        try {
            if (bounds == null) {
                bounds = source.durationBucketBounds();
            }
            totals = source.endpointTotals();
        } catch (RuntimeException e) {
            throw new SourceException("cannot read the endpoint totals: " + e, e);
        }
        boolean baseline = reads == 0;
        int width = BUCKETS + bounds.length;
        long[] now = new long[width];
        long[] increments = new long[width];
        Set<Endpoint> dropped = new HashSet<>();
        for (EndpointTotals t : totals) {
            if (!sides.contains(t.side())) {
                continue;
            }
            fill(now, t);
            SideKey key = new SideKey(t.service(), t.side(), t.path());
            SideState state = previous.get(key);
            if (state == null) {
                state = new SideState(now.clone());
                previous.put(key, state);
                if (baseline) {
                    Arrays.fill(increments, 0);
                } else {
                    System.arraycopy(now, 0, increments, 0, width);
                }
            } else {
                delta(state.totals, now, increments);
                System.arraycopy(now, 0, state.totals, 0, width);
            }
            state.seenAt = reads;
            if (state.ring == null) {
                state.ring = ring(new Endpoint(t.service(), t.path()), width, dropped);
                if (state.ring == null) {
                    continue;
                }
            }
            state.ring.add(increments);
        }
        long read = reads;
        previous.values().removeIf(state -> state.seenAt != read); // totals that no longer exist
        advance();
        readTimes.addLast(at);
        while (readTimes.size() > slotCount + 1) {
            readTimes.removeFirst();
        }
        reads++;
        return new Reading(Duration.between(readTimes.getFirst(), at), stats(), dropped.size());
    }

    /** The endpoint's ring, created if there is room; null (and counted) when there is none. */
    private Ring ring(Endpoint endpoint, int width, Set<Endpoint> dropped) {
        Ring ring = rings.get(endpoint);
        if (ring == null) {
            if (rings.size() >= maxEndpoints) {
                dropped.add(endpoint);
                return null;
            }
            ring = new Ring(slotCount, width);
            rings.put(endpoint, ring);
        }
        return ring;
    }

    /** Pushes this read's increments into every ring (zeros for quiet endpoints). */
    private void advance() {
        int slot = (int) (reads % slotCount);
        Set<Endpoint> live = null;
        for (var it = rings.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Endpoint, Ring> e = it.next();
            Ring ring = e.getValue();
            boolean touched = ring.touched;
            ring.touched = false;
            ring.commit(slot);
            if (!touched && ring.empty()) {
                // Quiet for a whole window: forget it unless its totals still exist.
                if (live == null) {
                    live = liveEndpoints();
                }
                if (!live.contains(e.getKey())) {
                    it.remove();
                }
            }
        }
    }

    private List<WindowStats> stats() {
        List<WindowStats> out = new ArrayList<>(rings.size());
        double[] cumulative = new double[bounds.length];
        for (Map.Entry<Endpoint, Ring> e : rings.entrySet()) {
            long[] s = e.getValue().sums;
            double running = 0;
            for (int b = 0; b < bounds.length; b++) {
                running += s[BUCKETS + b];
                cumulative[b] = running;
            }
            double p99 = bounds.length == 0 ? Double.NaN : HistogramQuantile.quantile(0.99, bounds, cumulative);
            out.add(new WindowStats(e.getKey().service(), e.getKey().path(),
                    s[REQ], s[SERVER_ERRORS], s[CRITICAL], s[HIGH], s[MEDIUM], s[LOW], p99));
        }
        return out;
    }

    /** The fields of one totals entry; no latency when its buckets do not match the bounds. */
    private void fill(long[] now, EndpointTotals t) {
        now[REQ] = t.requests();
        now[SERVER_ERRORS] = t.serverErrors();
        now[CRITICAL] = t.critical();
        now[HIGH] = t.high();
        now[MEDIUM] = t.medium();
        now[LOW] = t.low();
        boolean matches = t.bucketCountsLength() == bounds.length;
        for (int b = 0; b < bounds.length; b++) {
            now[BUCKETS + b] = matches ? t.bucketCount(b) : 0;
        }
    }

    /** The increments since {@code before}, reset-aware: if any total went down, all of {@code now} is new. */
    private static void delta(long[] before, long[] now, long[] out) {
        for (int f = 0; f < now.length; f++) {
            if (now[f] < before[f]) {
                System.arraycopy(now, 0, out, 0, now.length);
                return;
            }
            out[f] = now[f] - before[f];
        }
    }

    private Set<Endpoint> liveEndpoints() {
        Set<Endpoint> endpoints = new HashSet<>();
        previous.keySet().forEach(k -> endpoints.add(new Endpoint(k.service(), k.path())));
        return endpoints;
    }
}
