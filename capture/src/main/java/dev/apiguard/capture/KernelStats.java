package dev.apiguard.capture;

/**
 * Counters kept by the kernel programs, summed over CPUs.
 *
 * @param events events read from the ring buffer
 * @param ringBufferDrops events lost because the ring buffer was full
 * @param connectionTableFull connections not tracked because the kernel had no memory for their state
 * @param notHttpConnections connections given up because 16 events did not start like HTTP/1.x
 */
public record KernelStats(long events, long ringBufferDrops, long connectionTableFull, long notHttpConnections) {}
