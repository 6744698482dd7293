package dev.apiguard.gateway;

/** What the score source says about one route right now. Only a fresh score may trip a breaker. */
sealed interface ScoreReading {
    record Fresh(double score) implements ScoreReading {}

    /** The scorer knows the route but could not refresh it lately, or says it does not know. */
    record Stale(String why) implements ScoreReading {}

    /** No score for the route (no scorer, unreachable, or not scored yet). */
    record Missing() implements ScoreReading {}

    ScoreReading MISSING = new Missing();
}
