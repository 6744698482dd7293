/**
 * The http stage: socket events in, {@link dev.apiguard.model.Exchange}s out.
 *
 * <p>Entry point: {@link dev.apiguard.http.HttpConnectionTracker}, built from an
 * {@link dev.apiguard.http.HttpTrackerConfig} and a sink; it reports its counters as an
 * {@link dev.apiguard.http.HttpTrackerStats} snapshot and names services through a
 * {@link dev.apiguard.http.ServiceNamer} and {@link dev.apiguard.http.ServiceIdentity}. Everything else here is package-private: the per-connection
 * state, and one incremental HTTP/1.x framer per direction that works on the captured bytes in place.
 */
package dev.apiguard.http;
