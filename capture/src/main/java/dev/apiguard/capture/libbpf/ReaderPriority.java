package dev.apiguard.capture.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The ring buffer's reader must run soon after it wakes: while it waits for a CPU behind the
 * workload, the ring fills, and what does not fit is lost. A lower nice value gives the calling
 * thread alone (Linux priorities are per thread) a larger scheduling weight: it is picked first when
 * it wakes, and it still uses only the CPU its events need.
 */
public final class ReaderPriority {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
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
            MethodHandle setpriority = LINKER.downcallHandle(LINKER.defaultLookup().find("setpriority").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.captureCallState("errno"));
            int tid = (int) gettid.invokeExact();
            MemorySegment errno = arena.allocate(ERRNO_STATE);
            int rc = (int) setpriority.invokeExact(errno, PRIO_PROCESS, tid, nice);
            return rc == 0 ? null : "setpriority(" + nice + ") of thread " + tid + ": " + Errno.describe((int) ERRNO.get(errno, 0L));
        } catch (Throwable e) {
            return "setpriority: " + e;
        }
    }
}
