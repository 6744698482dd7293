package dev.apiguard.capture.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The ring buffer's reader must run soon after it wakes: while it waits for a CPU behind the
 * workload, the ring fills, and what does not fit is lost. A lower nice value gives the calling
 * thread alone (Linux priorities are per thread) a larger scheduling weight: it is picked first when
 * it wakes, and it still uses only the CPU its events need.
 */
public final class ReaderPriority {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final int PRIO_PROCESS = 0; // with a thread id: that thread only

    private ReaderPriority() {}

    /**
     * Sets the calling thread's nice value; returns null when done, else the one-line reason (e.g.
     * EACCES without CAP_SYS_NICE).
     */
    public static String setForCurrentThread(int nice) {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle gettid = LINKER.downcallHandle(LINKER.defaultLookup().find("gettid").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT));
            MethodHandle setpriority = Errno.libc("setpriority", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
            int tid = (int) gettid.invokeExact();
            MemorySegment errno = arena.allocate(Errno.STATE);
            int rc = (int) setpriority.invokeExact(errno, PRIO_PROCESS, tid, nice);
            return rc == 0 ? null : "setpriority(" + nice + ") of thread " + tid + ": " + Errno.describe(Errno.read(errno));
        } catch (Throwable e) {
            return "setpriority: " + e;
        }
    }
}
