package dev.apiguard.semantics;

/** Decides whether a response reports a business failure. Thread-safe; never throws on bad input. */
public interface Classifier {
    Verdict classify(ResponseSample response);
}
