package dev.apiguard.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.apiguard.semantics.Verdict;

/**
 * The last business-error events, for the dashboard: type and route only, never bodies. Bounded;
 * older events are dropped first.
 */
public final class RecentBusinessErrors implements Consumer<Observation> {
    /** One event as shown to people. */
    public record Event(Instant at, String service, String side, String path, String errorType, String severity,
            boolean silent, int status) {}

    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final int capacity;
    private final Clock clock;

    public RecentBusinessErrors(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public void accept(Observation observation) {
        if (observation.verdict() instanceof Verdict.BusinessError e) {
            Event event = new Event(clock.instant(), observation.exchange().service(), observation.exchange().side().label(),
                    observation.route(), e.type().label(), e.severity().label(), e.silent(), observation.exchange().status());
            synchronized (events) {
                if (events.size() == capacity) {
                    events.removeFirst();
                }
                events.addLast(event);
            }
        }
    }

    /** Newest first. */
    public List<Event> latest(int max) {
        synchronized (events) {
            List<Event> out = new ArrayList<>(Math.min(max, events.size()));
            var it = events.descendingIterator();
            while (it.hasNext() && out.size() < max) {
                out.add(it.next());
            }
            return out;
        }
    }
}
