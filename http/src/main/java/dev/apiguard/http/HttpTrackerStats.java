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
 * @param http2Connections connections followed as HTTP/2 (preface, or frames on a connection older than the agent)
 * @param http2StreamsReset HTTP/2 streams reset (RST_STREAM, either side) before their response ended: not emitted
 * @param http2StreamsGoAway HTTP/2 streams above a GOAWAY's last stream id: not emitted
 * @param http2FramesCut HTTP/2 frames whose kept payload (header block, first DATA bytes) a capture gap cut
 * @param http2LostSync times an HTTP/2 direction lost its frame boundaries in a gap (resynchronised at a later event)
 * @param http2StreamOverflow HTTP/2 streams not followed: too many open on one connection
 * @param http2UnknownRequests HTTP/2 streams whose :method or :path could not be decoded (emitted as unknown)
 * @param http2UnknownStatus HTTP/2 responses whose :status or grpc-status could not be decoded: not emitted
 * @param hpackUnknownBlocks header blocks HPACK could not decode in full (lost in a gap, malformed, or
 *     referring to dynamic table entries from before the agent)
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
        long exchangesEmitted,
        long http2Connections,
        long http2StreamsReset,
        long http2StreamsGoAway,
        long http2FramesCut,
        long http2LostSync,
        long http2StreamOverflow,
        long http2UnknownRequests,
        long http2UnknownStatus,
        long hpackUnknownBlocks) {}
