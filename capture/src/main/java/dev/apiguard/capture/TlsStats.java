package dev.apiguard.capture;

import java.util.List;

/**
 * TLS capture's state.
 *
 * @param enabled TLS capture is on
 * @param callsFull TLS calls not followed: the kernel's per-thread table of calls in flight was full
 * @param unjoined TLS calls dropped because their session was never seen on a socket (a session
 *     older than the agent read from already-decrypted bytes, or a library doing its socket I/O
 *     elsewhere: memory BIOs, as in Node.js)
 * @param attached the files the probes are attached to: library, version, path, functions
 * @param skipped TLS library files found and not attached, each with its reason
 * @param strippedGoBinaries Go executables without .symtab (their crypto/tls cannot be located)
 * @param execs execs seen by the sched_process_exec tracepoint (each has its process scanned at once)
 * @param execSignalsLost execs not queued to user space (queue full): those processes wait for the
 *     periodic rescan, and one that exec'd in place (same pid) is not scanned again
 */
public record TlsStats(boolean enabled, long callsFull, long unjoined, List<String> attached, List<String> skipped,
        long strippedGoBinaries, long execs, long execSignalsLost) {}
