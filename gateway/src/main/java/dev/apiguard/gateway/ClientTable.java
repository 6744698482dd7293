package dev.apiguard.gateway;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;

/**
 * The clients of one route with their calls and failures in the route's sliding window, bounded:
 * when full, a new client pushes out the least active client that is not being shed (a bounded
 * least-active table; the heavy hitters stay). The window is bucketed like {@link OutcomeWindow}'s
 * so that both always cover the same calls. Not thread-safe; the route's breaker guards it.
 */
final class ClientTable {
    static final int BUCKETS = OutcomeWindow.BUCKETS;
    private static final Outcome[] KINDS = Outcome.values();

    /** One client. Counts are per bucket and outcome; {@code shedUntil} is epoch millis, 0 when not shed. */
    static final class Entry {
        final String client;
        private final long[] epochs = new long[BUCKETS];
        private final int[] calls = new int[BUCKETS];
        private final int[] failures = new int[BUCKETS];
        private final int[] byOutcome = new int[BUCKETS * KINDS.length];
        long shedUntil;
        long lastShedEnd;
        int consecutiveSheds;

        Entry(String client) {
            this.client = client;
            Arrays.fill(epochs, Long.MIN_VALUE);
        }

        int calls(long current) {
            int n = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (epochs[i] > current - BUCKETS && epochs[i] <= current) {
                    n += calls[i];
                }
            }
            return n;
        }

        int failures(long current) {
            int n = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (epochs[i] > current - BUCKETS && epochs[i] <= current) {
                    n += failures[i];
                }
            }
            return n;
        }

        private void record(long epoch, Outcome outcome) {
            int i = (int) Math.floorMod(epoch, BUCKETS);
            if (epochs[i] != epoch) {
                epochs[i] = epoch;
                calls[i] = 0;
                failures[i] = 0;
                Arrays.fill(byOutcome, i * KINDS.length, (i + 1) * KINDS.length, 0);
            }
            calls[i]++;
            if (outcome.failure()) {
                failures[i]++;
            }
            byOutcome[i * KINDS.length + outcome.ordinal()]++;
        }

        /** Takes this client's calls back out of the route's window, and forgets them. */
        void takeBackFrom(OutcomeWindow window) {
            for (int i = 0; i < BUCKETS; i++) {
                if (epochs[i] == Long.MIN_VALUE) {
                    continue;
                }
                for (Outcome o : KINDS) {
                    int n = byOutcome[i * KINDS.length + o.ordinal()];
                    if (n > 0) {
                        window.remove(epochs[i], o, n);
                    }
                }
            }
            clearCounts();
        }

        private void clearCounts() {
            Arrays.fill(epochs, Long.MIN_VALUE);
        }
    }

    private final int capacity;
    private final long bucketMillis;
    private final HashMap<String, Entry> entries;
    /** Active clients pushed out, per bucket: they still count as distinct clients of the window. */
    private final long[] evictedEpochs = new long[BUCKETS];
    private final int[] evicted = new int[BUCKETS];
    private final Runnable onOverflow;

    ClientTable(int capacity, Duration window, Runnable onOverflow) {
        this.capacity = capacity;
        this.onOverflow = onOverflow;
        this.bucketMillis = Math.max(1, window.toMillis() / BUCKETS);
        this.entries = HashMap.newHashMap(Math.min(capacity, 16));
        Arrays.fill(evictedEpochs, Long.MIN_VALUE);
    }

    long epoch(long nowMillis) {
        return nowMillis / bucketMillis;
    }

    Entry get(String client) {
        return entries.get(client);
    }

    Collection<Entry> entries() {
        return entries.values();
    }

    int size() {
        return entries.size();
    }

    /**
     * Counts one call of {@code client}; false when the table is full of clients being shed and the
     * call could not be tracked. Either that or pushing out a client with calls in the window runs
     * {@code onOverflow}.
     */
    boolean record(String client, long nowMillis, Outcome outcome) {
        long epoch = epoch(nowMillis);
        Entry e = entries.get(client);
        if (e == null) {
            e = admit(client, nowMillis, epoch);
            if (e == null) {
                return false;
            }
        }
        e.record(epoch, outcome);
        return true;
    }

    private Entry admit(String client, long nowMillis, long epoch) {
        if (entries.size() >= capacity) {
            Entry victim = null;
            int victimCalls = Integer.MAX_VALUE;
            for (Entry e : entries.values()) {
                if (e.shedUntil > nowMillis) {
                    continue; // a shed client must not escape by being pushed out
                }
                int c = e.calls(epoch);
                if (c < victimCalls) {
                    victim = e;
                    victimCalls = c;
                    if (c == 0) {
                        break;
                    }
                }
            }
            if (victim == null) {
                onOverflow.run();
                return null;
            }
            entries.remove(victim.client);
            if (victimCalls > 0) {
                onOverflow.run();
                int i = (int) Math.floorMod(epoch, BUCKETS);
                if (evictedEpochs[i] != epoch) {
                    evictedEpochs[i] = epoch;
                    evicted[i] = 0;
                }
                evicted[i]++;
            }
        }
        Entry e = new Entry(client);
        entries.put(client, e);
        return e;
    }

    /** Distinct clients with calls in the window, the pushed-out and the shed ones included. */
    int distinct(long nowMillis) {
        long current = epoch(nowMillis);
        int n = 0;
        for (Entry e : entries.values()) {
            if (e.shedUntil > nowMillis || e.calls(current) > 0) {
                n++;
            }
        }
        for (int i = 0; i < BUCKETS; i++) {
            if (evictedEpochs[i] > current - BUCKETS && evictedEpochs[i] <= current) {
                n += evicted[i];
            }
        }
        return n;
    }

    /** Forgets every count (the route's window starts afresh); clients with a shed history stay. */
    void clearCounts() {
        entries.values().removeIf(e -> e.consecutiveSheds == 0);
        entries.values().forEach(Entry::clearCounts);
        Arrays.fill(evictedEpochs, Long.MIN_VALUE);
    }

    /** Forgets everything, sheds included. */
    void clear() {
        entries.clear();
        Arrays.fill(evictedEpochs, Long.MIN_VALUE);
    }
}
