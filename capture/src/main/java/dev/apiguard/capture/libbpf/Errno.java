package dev.apiguard.capture.libbpf;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * errno values libbpf and the C library report, with the words an operator needs, and the one way
 * a downcall here captures errno: the handle takes a {@link #STATE} segment as its first argument.
 */
final class Errno {
    /** The segment a downcall made with {@link #CAPTURE} writes errno into: allocate one per call. */
    static final MemoryLayout STATE = Linker.Option.captureStateLayout();
    static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    private static final VarHandle VALUE = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker LINKER = Linker.nativeLinker();

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int E2BIG = 7;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EOPNOTSUPP = 95;

    private Errno() {}

    /** The errno a call captured into {@code state}. */
    static int read(MemorySegment state) {
        return (int) VALUE.get(state, 0L);
    }

    /** A C library function, capturing errno ({@link #STATE} first, then its own arguments). */
    static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, CAPTURE);
    }

    static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (operation not permitted: run as root or grant CAP_BPF and CAP_PERFMON)";
            case ENOENT -> "ENOENT (not found: is tracefs mounted at /sys/kernel/tracing?)";
            case E2BIG -> "E2BIG (program or map too large for this kernel)";
            case ENOMEM -> "ENOMEM (out of memory, or RLIMIT_MEMLOCK too low)";
            case EACCES -> "EACCES (the verifier rejected a program)";
            case EINVAL -> "EINVAL (invalid argument: kernel too old or BTF mismatch?)";
            case ENOSPC -> "ENOSPC (no space)";
            case EOPNOTSUPP -> "EOPNOTSUPP (not supported by this kernel)";
            default -> "errno " + errno;
        };
    }
}
