package dev.apiguard.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.apiguard.capture.libbpf.LibBpf;

/**
 * Checks what eBPF capture needs before anything is loaded, so that a missing piece is one clear
 * line (and exit code 2), not a libbpf error later.
 */
public final class Preflight {
    static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");
    static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    /** The tracepoints the BPF programs attach to (apiguard.bpf.c). */
    static final List<String> TRACEPOINTS = List.of("sock_recv_length", "sock_send_length", "inet_sock_set_state", "tcp_destroy_sock");
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    private Preflight() {}

    /** Runs every check, mounting tracefs when it is missing; throws on the first failure. */
    public static void check() throws CaptureException {
        checkPrivileges();
        if (!Files.isReadable(BTF)) {
            throw new CaptureException("no BTF at " + BTF + ": this kernel lacks CONFIG_DEBUG_INFO_BTF; use a kernel with BTF (5.8+)");
        }
        List<String> missing;
        try {
            missing = missingTracepoints(Files.readAllBytes(BTF));
        } catch (IOException e) {
            throw new CaptureException("cannot read " + BTF + ": " + e.getMessage());
        }
        if (!missing.isEmpty()) {
            throw new CaptureException("this kernel has no " + String.join(", ", missing)
                    + " tracepoint, which the agent attaches to: use Linux 6.3 or later");
        }
        if (!LibBpf.available()) {
            throw new CaptureException("libbpf.so.1 not found: apt-get install libbpf1");
        }
        ensureTracefs();
    }

    /**
     * The tracepoints of {@link #TRACEPOINTS} that the kernel's BTF does not describe: a BTF-typed
     * tracepoint exists where its {@code btf_trace_<name>} type does, and BTF names are
     * NUL-terminated strings in one string section, so a byte search is enough.
     */
    static List<String> missingTracepoints(byte[] btf) {
        List<String> missing = new ArrayList<>();
        for (String name : TRACEPOINTS) {
            byte[] wanted = ("\0btf_trace_" + name + "\0").getBytes(StandardCharsets.US_ASCII);
            if (indexOf(btf, wanted) < 0) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static void checkPrivileges() throws CaptureException {
        long effective = effectiveCapabilities();
        boolean root = "root".equals(System.getProperty("user.name")) && (effective & (1L << 21)) != 0; // CAP_SYS_ADMIN
        boolean caps = (effective & (1L << CAP_BPF)) != 0 && (effective & (1L << CAP_PERFMON)) != 0;
        if (!root && !caps) {
            throw new CaptureException("eBPF capture needs root (or CAP_BPF + CAP_PERFMON): run with sudo, or setcap cap_bpf,cap_perfmon+ep on java");
        }
    }

    private static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through: no capabilities known
        }
        return 0;
    }

    /**
     * Mounts tracefs when it is missing. The BTF-typed programs attach without it, but the tools an
     * operator reaches for next (bpftool's and perf's tracepoint listings) read it.
     */
    static void ensureTracefs() throws CaptureException {
        if (Files.isDirectory(TRACEFS.resolve("events"))) {
            return;
        }
        try {
            Files.createDirectories(TRACEFS);
            Process mount = new ProcessBuilder(List.of("mount", "-t", "tracefs", "nodev", TRACEFS.toString()))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(mount.getInputStream().readAllBytes()).trim();
            if (!mount.waitFor(10, TimeUnit.SECONDS) || mount.exitValue() != 0 || !Files.isDirectory(TRACEFS.resolve("events"))) {
                throw new CaptureException("tracefs is not mounted and mounting it failed (" + output
                        + "): run mount -t tracefs nodev " + TRACEFS);
            }
        } catch (IOException e) {
            throw new CaptureException("tracefs is not mounted and mounting it failed (" + e.getMessage()
                    + "): run mount -t tracefs nodev " + TRACEFS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("interrupted while mounting tracefs");
        }
    }
}
