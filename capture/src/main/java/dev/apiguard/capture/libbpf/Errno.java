package dev.apiguard.capture.libbpf;

/** errno values libbpf reports, with the words an operator needs. */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int E2BIG = 7;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EOPNOTSUPP = 95;

    private Errno() {}

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
