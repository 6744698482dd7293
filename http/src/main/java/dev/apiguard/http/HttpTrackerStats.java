package dev.apiguard.http;

/**
 * Counters of an {@link HttpConnectionTracker} since it started, as one consistent snapshot.
 *
 * @param openConnections connections tracked right now
 * @param connectionsOpened connections the tracker started to follow (accept, connect, or first bytes)
 * @param connectionsClosed connections ended by a close
 * @param connectionsEvicted connections dropped because the table was full (least recently used first)
 * @param nonHttpStreams connections recognised as something else (TLS, HTTP/2, binary) and ignored
 * @param parseErrors malformed HTTP after a valid start: the connection's state was dropped
 * @param unmatchedResponses responses with no request waiting for them
 * @param pipelineOverflows requests dropped because too many were waiting on one connection
 * @param lostSyncExchanges exchanges whose framing fell into a capture gap (ended by heuristics)
 * @param unansweredRequests requests discarded without a complete response (close, eviction, errors)
 * @param upgrades connections that switched protocol (101, or a tunnel after CONNECT)
 * @param invalidEvents events the tracker could not use at all (null kind)
 * @param exchangesEmitted exchanges handed to the sink
 */
public record HttpTrackerStats(
        long openConnections,
        long connectionsOpened,
        long connectionsClosed,
        long connectionsEvicted,
        long nonHttpStreams,
        long parseErrors,
        long unmatchedResponses,
        long pipelineOverflows,
        long lostSyncExchanges,
        long unansweredRequests,
        long upgrades,
        long invalidEvents,
        long exchangesEmitted) {}
