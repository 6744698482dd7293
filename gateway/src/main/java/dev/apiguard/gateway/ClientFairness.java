package dev.apiguard.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The fairness policy of one route. Before the route's failure ratio trips its breaker, it asks
 * whether a few clients explain the failures: if shedding at most {@code max-culprit-share} of the
 * window's distinct clients (at least one) brings the others' failure ratio below the trip ratio,
 * those clients are the culprits. They are shed on this route alone for a backed-off time and the
 * route stays closed; otherwise the route trips as before. Not thread-safe: the route's breaker
 * calls it under its lock, except {@link #mayShed}, the lock-free admission fast path.
 */
final class ClientFairness {
    /** Metrics of the policy. */
    interface Hooks {
        void culpritsShed(String route, int clients);

        void tableOverflow();
    }

    /** Culprits found: the clients shed and why, for the log and the 429's body. */
    record Verdict(List<String> clients, String reason) {}

    private final String route;
    private final FairnessConfig config;
    private final double failureRatio;
    private final Duration windowLength;
    private final IntFunction<Duration> shedTime;
    private final Hooks hooks;
    private final ClientTable table;
    /** The latest end of any shed, epoch millis; 0 when nobody was ever shed (or after a reset). */
    private volatile long shedUntilMax;

    ClientFairness(String route, FairnessConfig config, BreakerConfig breaker, IntFunction<Duration> shedTime,
            Hooks hooks) {
        this.route = route;
        this.config = config;
        this.failureRatio = breaker.failureRatio();
        this.windowLength = breaker.window();
        this.shedTime = shedTime;
        this.hooks = hooks;
        this.table = new ClientTable(config.maxClientsPerRoute(), breaker.window(), hooks::tableOverflow);
    }

    /** Lock-free: false while no client of this route was ever shed (or since a reset), without a clock read. */
    boolean everShed() {
        return shedUntilMax != 0;
    }

    /** Lock-free: false means no client of this route is shed at {@code nowMillis}. */
    boolean mayShed(long nowMillis) {
        long until = shedUntilMax;
        return until != 0 && nowMillis < until;
    }

    /** How long {@code client} stays shed, or null when it is not. */
    Duration shedRemaining(String client, long nowMillis) {
        ClientTable.Entry e = client == null ? null : table.get(client);
        if (e == null || e.shedUntil == 0) {
            return null;
        }
        if (nowMillis >= e.shedUntil) {
            e.lastShedEnd = e.shedUntil;
            e.shedUntil = 0;
            return null;
        }
        return Duration.ofMillis(e.shedUntil - nowMillis);
    }

    /** Counts one settled call of {@code client} (null: an unknown client, not tracked). */
    void record(String client, long nowMillis, Outcome outcome) {
        if (client != null) {
            table.record(client, nowMillis, outcome);
        }
    }

    /**
     * Called when the route's window meets the trip condition with {@code calls} calls of which
     * {@code failures} failed. Returns the culprits, now shed and their calls taken back out of
     * {@code window}, or null when the route must trip.
     */
    Verdict judge(long nowMillis, int calls, int failures, OutcomeWindow window) {
        int distinct = table.distinct(nowMillis);
        if (distinct < config.minClients()) {
            return null; // too few clients to tell one from the route: trip as before
        }
        long current = table.epoch(nowMillis);
        int maxCulprits = Math.max(1, (int) Math.floor(config.maxCulpritShare() * distinct));
        List<ClientTable.Entry> failing = new ArrayList<>();
        for (ClientTable.Entry e : table.entries()) {
            if (e.failures(current) > 0) {
                failing.add(e);
            }
        }
        failing.sort(Comparator.comparingInt((ClientTable.Entry e) -> e.failures(current)).reversed()
                .thenComparingInt(e -> e.calls(current)));
        int restCalls = calls;
        int restFailures = failures;
        for (int n = 1; n <= Math.min(maxCulprits, failing.size()); n++) {
            ClientTable.Entry e = failing.get(n - 1);
            restCalls -= e.calls(current);
            restFailures -= e.failures(current);
            if (restCalls > 0 && restFailures < failureRatio * restCalls) {
                Verdict verdict = shed(failing.subList(0, n), nowMillis, current, distinct, restCalls, restFailures);
                failing.subList(0, n).forEach(culprit -> culprit.takeBackFrom(window));
                return verdict;
            }
        }
        return null; // the failures are spread over the clients: a real incident
    }

    private Verdict shed(List<ClientTable.Entry> culprits, long nowMillis, long current, int distinct, int restCalls,
            int restFailures) {
        List<String> clients = new ArrayList<>(culprits.size());
        StringBuilder who = new StringBuilder();
        long max = shedUntilMax;
        for (ClientTable.Entry e : culprits) {
            long previousEnd = e.shedUntil != 0 ? e.shedUntil : e.lastShedEnd; // an ended shed not yet cleared
            boolean again = previousEnd != 0 && nowMillis - previousEnd <= windowLength.toMillis();
            e.consecutiveSheds = again ? e.consecutiveSheds + 1 : 1;
            e.shedUntil = nowMillis + shedTime.apply(e.consecutiveSheds).toMillis();
            max = Math.max(max, e.shedUntil);
            clients.add(e.client);
            who.append(who.isEmpty() ? "" : ", ").append(e.client).append(' ')
                    .append(e.failures(current)).append('/').append(e.calls(current));
        }
        shedUntilMax = max;
        hooks.culpritsShed(route, culprits.size());
        String reason = culprits.size() + " of " + distinct + " clients caused the failures (" + who
                + " failed); the other clients: " + restFailures + "/" + restCalls + " failed";
        return new Verdict(clients, reason);
    }

    /** The JSON body of the 429 a shed client gets. */
    static String refusal(String route) {
        return "{\"route\":" + Json.quote(route) + ",\"state\":\"client_shed\",\"reason\":\"this client's calls on"
                + " this route were failing while other clients' were not; shed on this route alone\"}";
    }

    /** The route's window starts afresh: so do the clients' counts (sheds stay). */
    void clearCounts() {
        table.clearCounts();
    }

    /** An operator's reset: every shed ends. */
    void clear() {
        table.clear();
        shedUntilMax = 0;
    }

    int trackedClients() {
        return table.size();
    }
}
