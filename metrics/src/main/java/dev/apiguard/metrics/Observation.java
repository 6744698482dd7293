package dev.apiguard.metrics;

import dev.apiguard.model.Exchange;
import dev.apiguard.semantics.Verdict;

/** An exchange after the routes and semantics stages. Stays in the process (it holds the body prefix). */
public record Observation(Exchange exchange, String route, Verdict verdict) {}
