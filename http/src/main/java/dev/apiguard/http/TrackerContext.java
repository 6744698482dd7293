package dev.apiguard.http;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import dev.apiguard.model.Exchange;

/** What all connections of one tracker share. Single-threaded, like the tracker. */
final class TrackerContext {
    final int maxPipelined;
    final int maxHeaderBytes;
    final int prefixBytes;
    final Counters counters = new Counters();
    final StringCache strings = new StringCache();
    final ServiceNamer namer;
    final Consumer<Exchange> sink;
    /** Connections with a response in {@link MessageFramer.State#LOST}, for idle expiry. */
    final Set<Connection> lost = new HashSet<>();

    TrackerContext(HttpTrackerConfig config, ServiceNamer namer, Consumer<Exchange> sink) {
        this.maxPipelined = config.maxPipelinedRequests();
        this.maxHeaderBytes = config.maxHeaderBytes();
        this.prefixBytes = config.responsePrefixBytes();
        this.namer = namer;
        this.sink = sink;
    }
}
