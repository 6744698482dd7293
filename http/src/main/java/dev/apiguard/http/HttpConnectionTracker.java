package dev.apiguard.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import dev.apiguard.capture.ConnectionKey;
import dev.apiguard.capture.SocketEvent;
import dev.apiguard.capture.TransientEventSink;
import dev.apiguard.model.Exchange;

/**
 * Turns the socket events of the capture stage into {@link Exchange}s: follows each connection,
 * parses HTTP/1.x in both directions and matches responses to requests in order.
 *
 * <p>Handles messages split over any number of events, Content-Length, chunked and close-delimited
 * bodies, HEAD/1xx/204/304, keep-alive, pipelining, {@code Expect: 100-continue} and protocol
 * upgrades. Bytes past an event's captured prefix are a gap: bodies of known length are consumed
 * across gaps exactly; when framing itself falls into a gap the response "loses sync" and is ended by
 * the next request, by the close, or by {@link #expireIdle} after {@link HttpTrackerConfig#lostSyncTimeout()}.
 * Streams that are not HTTP/1.x are recognised from their first bytes and ignored. Input never makes
 * it throw; every structure is bounded and what does not fit is counted in {@link #stats()}.
 *
 * <p>It copies what it keeps of an event's bytes (lines that span events, a response's body prefix), so it
 * is a {@link TransientEventSink}: capture may refill one array for every event.
 *
 * <p><b>Not thread-safe, by design:</b> one thread (the one polling the capture ring buffer) calls
 * {@link #accept}, {@link #expireIdle} and {@link #stats}, and the sink runs on that thread. The sink
 * must not throw.
 */
public final class HttpConnectionTracker implements TransientEventSink {
    private final TrackerContext context;
    private final long lostSyncTimeoutNanos;
    private final LinkedHashMap<ConnectionKey, Connection> connections;
    /** The connection of the previous event: consecutive events mostly share one. */
    private Connection last;

    public HttpConnectionTracker(HttpTrackerConfig config, Consumer<Exchange> sink) {
        this(config, ServiceNamer.byComm(config.serviceNames()), sink);
    }

    public HttpConnectionTracker(HttpTrackerConfig config, ServiceNamer namer, Consumer<Exchange> sink) {
        Objects.requireNonNull(config, "config");
        this.context = new TrackerContext(config, Objects.requireNonNull(namer, "namer"), Objects.requireNonNull(sink, "sink"));
        this.lostSyncTimeoutNanos = config.lostSyncTimeout().toNanos();
        int max = config.maxConnections();
        // Access order: the eldest entry is the least recently used connection.
        this.connections = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ConnectionKey, Connection> eldest) {
                if (size() <= max) {
                    return false;
                }
                evicted(eldest.getValue());
                return true;
            }
        };
    }

    @Override
    public void accept(SocketEvent event) {
        if (event == null || event.kind() == null) {
            context.counters.invalidEvents++;
            return;
        }
        switch (event.kind()) {
            case OPEN_SERVER, OPEN_CLIENT -> open(event);
            case CLOSE -> close(event);
            case INGRESS, EGRESS -> bytes(event);
        }
    }

    /** Ends lost-sync responses whose last bytes are older than the timeout. Call it every few hundred ms. */
    public void expireIdle(long nowNanos) {
        if (context.lost.isEmpty()) {
            return;
        }
        List<Connection> candidates = new ArrayList<>(context.lost);
        for (Connection connection : candidates) {
            connection.expireLost(nowNanos, lostSyncTimeoutNanos);
        }
    }

    public HttpTrackerStats stats() {
        return context.counters.snapshot(connections.size());
    }

    /** Connections whose response lost sync, waiting to be ended (visible for tests). */
    int lostSyncConnections() {
        return context.lost.size();
    }

    private void open(SocketEvent event) {
        Connection previous = connections.remove(event.connection());
        if (previous != null) {
            previous.close(); // the same identity again: the old one must have ended unseen
            context.counters.closed++;
        }
        SocketEvent.Role role = event.kind() == SocketEvent.Kind.OPEN_SERVER ? SocketEvent.Role.SERVER : SocketEvent.Role.CLIENT;
        last = create(event, role, true);
    }

    private void close(SocketEvent event) {
        Connection connection = connections.remove(event.connection());
        if (last == connection) {
            last = null;
        }
        if (connection != null) {
            connection.close();
            context.counters.closed++;
        }
    }

    private void bytes(SocketEvent event) {
        byte[] data = event.data();
        int captured = data == null ? 0 : Math.max(0, Math.min(event.capturedLength(), data.length));
        long total = Math.max(event.totalLength(), captured);
        if (total == 0) {
            return; // a read of 0 bytes is the peer closing; the close event ends the connection
        }
        Connection connection = find(event);
        if (connection == null) {
            // Its open event was lost (ring buffer full) or it was evicted: the event's role still
            // says which side we are on (the kernel sends one with every event).
            connection = create(event, event.role(), false);
        }
        last = connection;
        if (event.tls()) {
            connection.markTls();
        }
        if (event.h2Walk()) {
            connection.onH2Walk(event.kind() == SocketEvent.Kind.INGRESS, event);
            return;
        }
        connection.onBytes(event.kind() == SocketEvent.Kind.INGRESS, data == null ? new byte[0] : data, captured,
                total - captured, event.timestampNanos());
    }

    private Connection find(SocketEvent event) {
        Connection cached = last;
        if (cached != null && cached.key.tgid() == event.tgid() && cached.key.fd() == event.fd()
                && cached.key.generation() == event.generation()) {
            return cached;
        }
        return connections.get(event.connection());
    }

    private Connection create(SocketEvent event, SocketEvent.Role role, boolean fresh) {
        Connection connection = new Connection(event.connection(), role == null ? SocketEvent.Role.UNKNOWN : role,
                event.comm(), event.localPort(), event.remotePort(), fresh, context);
        context.counters.opened++;
        connections.put(connection.key, connection);
        return connection;
    }

    private void evicted(Connection connection) {
        connection.evict();
        context.counters.evicted++;
        if (last == connection) {
            last = null;
        }
    }
}
