package dev.apiguard.http;

/** The tracker's counters: plain fields, written by the tracker's single thread. */
final class Counters {
    long opened;
    long closed;
    long evicted;
    long nonHttp;
    long parseErrors;
    long unmatchedResponses;
    long pipelineOverflows;
    long lostSync;
    long unanswered;
    long upgrades;
    long invalidEvents;
    long emitted;
    long http2Connections;
    long http2Resets;
    long http2GoAwayStreams;
    long http2FramesCut;
    long http2LostSync;
    long http2StreamOverflow;
    long http2UnknownRequests;
    long http2UnknownStatus;
    long hpackUnknown;

    HttpTrackerStats snapshot(long open) {
        return new HttpTrackerStats(open, opened, closed, evicted, nonHttp, parseErrors, unmatchedResponses,
                pipelineOverflows, lostSync, unanswered, upgrades, invalidEvents, emitted, http2Connections, http2Resets,
                http2GoAwayStreams, http2FramesCut, http2LostSync, http2StreamOverflow, http2UnknownRequests,
                http2UnknownStatus, hpackUnknown);
    }
}
