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

    HttpTrackerStats snapshot(long open) {
        return new HttpTrackerStats(open, opened, closed, evicted, nonHttp, parseErrors, unmatchedResponses,
                pipelineOverflows, lostSync, unanswered, upgrades, invalidEvents, emitted);
    }
}
