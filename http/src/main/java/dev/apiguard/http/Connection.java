package dev.apiguard.http;

import java.util.ArrayDeque;
import java.util.Arrays;

import dev.apiguard.capture.ConnectionKey;
import dev.apiguard.capture.SocketEvent;
import dev.apiguard.capture.SocketEvent.Role;
import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;

/**
 * One tracked connection: its role, a parser per direction, and the requests waiting for their
 * responses (FIFO, bounded). It turns completed responses into {@link Exchange}s.
 */
final class Connection {
    private static final byte[] NO_BYTES = new byte[0];
    /** Events a connection of unknown role may show without a request start before it is ignored (see inferRole). */
    private static final int SNIFF_EVENTS = 32;

    final ConnectionKey key;
    private final TrackerContext context;
    private final String comm;
    private final int localPort;
    private final int remotePort;
    private final boolean fresh;
    private final ArrayDeque<PendingRequest> waiting = new ArrayDeque<>(4);

    private Role role = Role.UNKNOWN;
    private String serverService;
    private RequestParser requests;
    private ResponseParser responses;
    /** Set once the connection speaks HTTP/2: from then on it takes every byte. */
    private Http2Session http2;
    private boolean ignored;
    private int sniffBudget = SNIFF_EVENTS;
    /** Responses still to come for requests the pipelining bound dropped. */
    private int owed;
    boolean inLostSet;
    /** Its events are TLS plaintext (from the TLS probes). */
    boolean tls;

    Connection(ConnectionKey key, Role role, String comm, int localPort, int remotePort, boolean fresh, TrackerContext context) {
        this.key = key;
        this.context = context;
        this.comm = comm;
        this.localPort = localPort;
        this.remotePort = remotePort;
        this.fresh = fresh;
        if (role == Role.SERVER || role == Role.CLIENT) {
            assignRole(role);
        }
    }

    private void assignRole(Role known) {
        role = known;
        // A connection we saw open starts at a message; an older one may be anywhere in a message.
        MessageFramer.State initial = fresh ? MessageFramer.State.START : MessageFramer.State.SYNC;
        requests = new RequestParser(this, context.strings, context.maxHeaderBytes, initial);
        responses = new ResponseParser(this, context.strings, context.maxHeaderBytes, context.prefixBytes, initial);
        if (known == Role.SERVER) {
            serverService = context.namer.serverService(key.tgid(), comm);
            context.namer.serverSeen(localPort, serverService);
        }
    }

    /** Bytes of one INGRESS or EGRESS event: {@code captured} of them in {@code b}, then {@code gap} unseen. */
    void onBytes(boolean ingress, byte[] b, int captured, long gap, long ts) {
        if (ignored) {
            return;
        }
        if (role == Role.UNKNOWN && !inferRole(ingress, b, captured)) {
            return;
        }
        boolean requestDirection = ingress == (role == Role.SERVER);
        if (http2 == null && !requests.sawStartLine && !responses.sawStartLine && looksLikeHttp2(requestDirection, b, captured)) {
            // Seen from its start only when the client's preface is here: the kernel also opens a
            // connection older than the agent, at its first HEADERS frame.
            startHttp2(requestDirection && Ascii.startsWith(b, 0, captured, Http2Framer.PREFACE));
        }
        if (http2 != null) {
            http2.onBytes(requestDirection, b, 0, captured, gap, ts);
            return;
        }
        MessageFramer parser = requestDirection ? requests : responses;
        if (parser.state == MessageFramer.State.SYNC && !requests.sawStartLine && !responses.sawStartLine
                && looksForeign(b, captured)) {
            notHttp();
            return;
        }
        parser.onData(b, 0, captured, ts);
        if (http2 != null) {
            // An h2c upgrade ended HTTP/1.x inside this event: the rest of it is HTTP/2's.
            if (gap > 0) {
                http2.onBytes(requestDirection, b, 0, 0, gap, ts);
            }
            return;
        }
        if (gap > 0) {
            parser.onGap(gap, ts);
        }
        if (requestDirection) {
            requests.flushBytes();
        }
    }

    /**
     * An event of the kernel's HTTP/2 frame walk: its segments in order, each copied bytes then
     * bytes that passed uncopied (inside payloads only, so the framer accounts for them by length).
     */
    void onH2Walk(boolean ingress, SocketEvent event) {
        if (ignored) {
            return;
        }
        long ts = event.timestampNanos();
        if (event.h2Lost() && http2 != null && role != Role.UNKNOWN) {
            http2.lost(ingress == (role == Role.SERVER));
        }
        boolean wellFormed = event.forEachSegment((b, off, len, gap) -> {
            if (http2 != null && role != Role.UNKNOWN) {
                http2.onBytes(ingress == (role == Role.SERVER), b, off, len, gap, ts);
            } else if (!ignored) {
                onBytes(ingress, Arrays.copyOfRange(b, off, off + len), len, gap, ts);
            }
        });
        if (!wellFormed) {
            context.counters.parseErrors++;
            if (http2 != null && role != Role.UNKNOWN) {
                http2.lost(ingress == (role == Role.SERVER));
            }
        }
    }

    /**
     * Events of unknown role: the first request tells which side we are on.
     *
     * <p>Why this repeats the kernel's sniffing: the kernel source never sends {@code UNKNOWN} (it
     * opens a connection at its first HTTP bytes and stamps their role on every event, also for a
     * connection older than the agent), so with it this never runs. But {@link Role#UNKNOWN} is
     * part of the {@code SocketEvent} contract, for a source that cannot tell (recorded or
     * replayed streams, or a source that joins a stream mid-way), and without it such a
     * connection's requests and responses would be parsed the wrong way round.
     */
    private boolean inferRole(boolean ingress, byte[] b, int captured) {
        if (looksForeign(b, captured)) {
            notHttp();
            return false;
        }
        if (Ascii.startsWith(b, 0, captured, Http2Framer.PREFACE)) {
            assignRole(ingress ? Role.SERVER : Role.CLIENT);
            return true;
        }
        if (!RequestParser.startsWithKnownMethod(b, 0, captured)) {
            if (--sniffBudget <= 0) {
                notHttp();
            }
            return false;
        }
        assignRole(ingress ? Role.SERVER : Role.CLIENT);
        return true;
    }

    private static boolean looksForeign(byte[] b, int len) {
        return len >= 2 && b[0] >= 0x14 && b[0] <= 0x17 && b[1] == 0x03; // a TLS record
    }

    /**
     * HTTP/2 before any HTTP/1.x: the client's preface, or (on a connection older than the agent,
     * or bytes the preface's event did not reach) a frame header. No HTTP/1.x start passes as a
     * frame header: its fourth byte, the frame type, would be printable ASCII.
     */
    private boolean looksLikeHttp2(boolean requestDirection, byte[] b, int captured) {
        if (requestDirection && Ascii.startsWith(b, 0, captured, Http2Framer.PREFACE)) {
            return true;
        }
        return Http2Framer.plausibleFrameHeader(b, 0, captured);
    }

    /** Its bytes were read as TLS plaintext: every exchange it carries, HTTP/1.x or HTTP/2, says so. */
    void markTls() {
        tls = true;
        if (http2 != null) {
            http2.tls = true;
        }
    }

    private void startHttp2(boolean fromPreface) {
        http2 = new Http2Session(context, key, role == Role.SERVER,
                role == Role.SERVER ? serverService : context.namer.clientService(remotePort), fromPreface);
        http2.tls = tls;
        context.counters.http2Connections++;
    }

    // ---- called by the parsers ----

    void requestStarted(PendingRequest request) {
        if (responses.state == MessageFramer.State.LOST) {
            // The client only sends its next request once it has the whole response: the lost one ends.
            responses.finish();
            context.counters.unanswered += waiting.size(); // older requests: their answers were in the lost bytes
            waiting.clear();
            owed = 0;
        }
    }

    void requestHead(PendingRequest request) {
        if (waiting.size() >= context.maxPipelined) {
            PendingRequest dropped = waiting.pollFirst();
            context.counters.pipelineOverflows++;
            if (!(responses.inMessage() && responses.request == dropped)) {
                owed++; // its response will still come, first in line: skip it
            }
        }
        waiting.addLast(request);
    }

    void requestLostSync(PendingRequest request) {
        markLost(request);
    }

    boolean responseOwed() {
        return owed > 0;
    }

    PendingRequest waitingRequest() {
        return waiting.peekFirst();
    }

    void responseLost(ResponseParser response) {
        markLost(response.request);
        if (!inLostSet) {
            inLostSet = true;
            context.lost.add(this);
        }
    }

    private void markLost(PendingRequest request) {
        if (request == null) {
            context.counters.lostSync++;
        } else if (!request.lostSync) {
            request.lostSync = true;
            context.counters.lostSync++;
        }
    }

    void responseComplete(ResponseParser response, long endNanos, boolean lost) {
        if (lost) {
            leaveLostSet();
        }
        PendingRequest request = response.request;
        if (response.owed) {
            owed--;
        } else if (request == null) {
            context.counters.unmatchedResponses++;
        } else {
            if (waiting.peekFirst() == request) {
                waiting.pollFirst();
            }
            if (request.method != null && response.status > 0 && !response.upgradeH2c) { // h2c: answered on stream 1
                emit(request, response, endNanos);
            }
        }
        if (response.upgrade) {
            context.counters.upgrades++;
            if (response.upgradeH2c && request != null && request.method != null) {
                // RFC 7540 3.2: the upgraded request is stream 1, answered in HTTP/2.
                startHttp2(false);
                http2.upgradedRequest(request.method, request.target, request.startNanos, request.bytes);
            } else {
                stop();
            }
        } else if (request != null && request.connect) {
            requests.resume(); // the tunnel was refused: HTTP goes on
        }
    }

    private void emit(PendingRequest request, ResponseParser response, long endNanos) {
        byte[] prefix = response.prefix == null ? NO_BYTES
                : response.prefixLength == response.prefix.length ? response.prefix
                : Arrays.copyOf(response.prefix, response.prefixLength);
        response.prefix = null; // the exchange owns it now
        boolean server = role == Role.SERVER;
        Exchange exchange = new Exchange(
                server ? serverService : context.namer.clientService(remotePort),
                server ? Side.SERVER : Side.CLIENT,
                request.method,
                request.target,
                response.status,
                request.startNanos,
                endNanos,
                request.bytes,
                response.messageBytes,
                response.contentType,
                response.contentEncoding,
                prefix,
                response.truncated,
                key,
                tls);
        context.counters.emitted++;
        context.sink.accept(exchange);
    }

    /** Bytes after a 101 in the same event: HTTP/2's when the upgrade was to h2c, nobody's otherwise. */
    void afterUpgrade(boolean requestDirection, byte[] b, int off, int len, long ts) {
        if (http2 != null) {
            http2.onBytes(requestDirection, b, off, len, 0, ts);
        }
    }

    void malformed() {
        if (!requests.sawStartLine && !responses.sawStartLine) {
            notHttp();
            return;
        }
        context.counters.parseErrors++;
        dropWaiting();
        requests.reset(MessageFramer.State.SYNC);
        requests.forgetCurrent();
        responses.reset(MessageFramer.State.SYNC);
    }

    // ---- lifecycle ----

    /** Ends a lost response that stayed silent for {@code timeoutNanos}. */
    void expireLost(long nowNanos, long timeoutNanos) {
        if (responses != null && responses.state == MessageFramer.State.LOST
                && nowNanos - responses.lastDataNanos >= timeoutNanos) {
            responses.finish();
        }
    }

    void close() {
        if (http2 != null) {
            http2.close();
            return;
        }
        if (!ignored && responses != null) {
            responses.finish();
        }
        dropWaiting();
    }

    void evict() {
        if (http2 != null) {
            http2.close();
        }
        dropWaiting();
    }

    private void notHttp() {
        context.counters.nonHttp++;
        stop();
    }

    private void stop() {
        ignored = true;
        dropWaiting();
        if (requests != null) {
            requests.reset(MessageFramer.State.STOPPED);
            responses.reset(MessageFramer.State.STOPPED);
        }
    }

    private void dropWaiting() {
        context.counters.unanswered += waiting.size();
        waiting.clear();
        owed = 0;
        leaveLostSet();
    }

    private void leaveLostSet() {
        if (inLostSet) {
            inLostSet = false;
            context.lost.remove(this);
        }
    }
}
