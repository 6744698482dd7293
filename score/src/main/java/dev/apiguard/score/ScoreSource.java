package dev.apiguard.score;

import java.util.List;

/** Where the gateway (and the dashboard) read scores from. Thread-safe. */
public interface ScoreSource {
    /** The latest scores; an empty list when none are known (which never trips anything). */
    List<EndpointScore> scores();
}
