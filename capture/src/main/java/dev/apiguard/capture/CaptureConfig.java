package dev.apiguard.capture;

/**
 * Kernel-side capture options.
 *
 * <p>The kernel keeps a connection's state in its socket (socket-local storage, freed with the
 * socket), so there is no connection table to size here.
 *
 * @param ringBufferBytes size of the event ring buffer, a power of two (default 16 MiB, all of it resident: at
 *     nginx + wrk rates on a busy 2-vCPU node, 4 and 8 MiB lost events while the reader waited for a CPU;
 *     docs/benchmarks.md, "Agent capture and memory cuts")
 * @param onlyPid trace only this process id (default 0: every process but the agent)
 * @param onlyComm trace only processes with this name (default empty: all)
 * @param onlyPort trace only connections with this local or remote port (default 0: all)
 * @param onlyNetns trace only sockets of the network namespace with this inode (see
 *     {@link NetworkNamespace#inode}; default 0: every namespace)
 * @param tls capture TLS plaintext with uprobes on the TLS libraries of the node's processes
 *     (OpenSSL/BoringSSL libssl, GnuTLS, executables with OpenSSL linked in), default {@link #DEFAULT_TLS}
 */
public record CaptureConfig(int ringBufferBytes, int onlyPid, String onlyComm, int onlyPort, long onlyNetns, boolean tls) {
    public static final int DEFAULT_RING_BUFFER_BYTES = 16 * 1024 * 1024;
    public static final boolean DEFAULT_TLS = false;
    /** How often /proc is rescanned for TLS libraries of processes started since (TLS capture on). */
    public static final long TLS_RESCAN_MILLIS = 2000;

    public CaptureConfig withTls(boolean on) {
        return new CaptureConfig(ringBufferBytes, onlyPid, onlyComm, onlyPort, onlyNetns, on);
    }

    public CaptureConfig {
        if (ringBufferBytes < 4096 || Integer.bitCount(ringBufferBytes) != 1) {
            throw new IllegalArgumentException("capture.ring-buffer-bytes must be a power of two >= 4096, got " + ringBufferBytes);
        }
        if (onlyComm == null) {
            onlyComm = "";
        }
        if (onlyComm.length() > 15) {
            throw new IllegalArgumentException("capture.only-comm is at most 15 characters (the kernel's comm), got '" + onlyComm + "'");
        }
        if (onlyPort < 0 || onlyPort > 65535) {
            throw new IllegalArgumentException("capture.only-port must be 0..65535, got " + onlyPort);
        }
        if (onlyNetns < 0 || onlyNetns > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("capture.netns inode must be 0..2^32-1 (the kernel's ns.inum), got " + onlyNetns);
        }
    }

    /** Every network namespace, without TLS capture ({@link #DEFAULT_TLS}). */
    public CaptureConfig(int ringBufferBytes, int onlyPid, String onlyComm, int onlyPort) {
        this(ringBufferBytes, onlyPid, onlyComm, onlyPort, 0, DEFAULT_TLS);
    }

    public CaptureConfig withOnlyNetns(long inode) {
        return new CaptureConfig(ringBufferBytes, onlyPid, onlyComm, onlyPort, inode, tls);
    }

    public static CaptureConfig defaults() {
        return new CaptureConfig(DEFAULT_RING_BUFFER_BYTES, 0, "", 0, 0, DEFAULT_TLS);
    }
}
