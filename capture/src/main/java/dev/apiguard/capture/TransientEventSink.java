package dev.apiguard.capture;

import java.util.function.Consumer;

/**
 * A sink of socket events that is done with an event's {@link SocketEvent#data} array when
 * {@link #accept} returns (it copies whatever it keeps). {@link KernelCapture} hands such a sink the
 * same array for every event, refilled, instead of a new one per event: on nginx that was two arrays
 * of 100-260 bytes per request, a quarter of what the capture thread allocated. Any other sink gets
 * arrays of its own.
 */
public interface TransientEventSink extends Consumer<SocketEvent> {}
