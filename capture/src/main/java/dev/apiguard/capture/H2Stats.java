package dev.apiguard.capture;

/**
 * The kernel's HTTP/2 frame walk counters (h2.bpf.h), summed over CPUs: what it did not copy or
 * follow, never silently.
 *
 * @param blockCut header-block frames (HEADERS, CONTINUATION, PUSH_PROMISE) longer than the
 *     per-frame copy bound (16 KiB): the rest was not copied, the block is lost to HPACK
 * @param payloadCut payloads to copy that ended in a syscall without a user buffer (sendfile)
 * @param lostSync times a connection direction lost its frame boundaries (more frames in one
 *     syscall than the walk's bound, a syscall without a user buffer across frames, a full ring
 *     buffer); it resynchronises at the next syscall that starts with a plausible frame header
 */
public record H2Stats(long blockCut, long payloadCut, long lostSync) {}
