package dev.apiguard.capture.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * A reader of a {@code BPF_MAP_TYPE_RINGBUF} map that reads the ring's memory directly (FFM), in
 * batches, on the thread that calls {@link #consume} or {@link #poll}: no libbpf ring buffer, no
 * upcall per record.
 *
 * <p>The kernel's layout (kernel/bpf/ringbuf.c): the map's first page holds the consumer position
 * (the only page user space may write), the second the producer position, then the data pages.
 * Each record is an 8-byte header ({@code u32 len} with a busy and a discard bit, {@code u32
 * pg_off}) followed by {@code len} bytes, the whole rounded up to 8 bytes; positions only grow and
 * are taken modulo the ring's size.
 *
 * <p>libbpf maps the data pages twice in a row, so that a record that wraps past the end reads as
 * one piece, and the kernel populates the whole mapping at mmap time: twice the ring's size of
 * resident memory from the first second. This reader maps them once and copies the rare record
 * that wraps into a scratch buffer instead.
 */
public final class RingBuffer implements AutoCloseable {
    private static final int BUSY_BIT = 1 << 31;
    private static final int DISCARD_BIT = 1 << 30;
    private static final int HEADER = 8;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final int MAX_WRAPPED = 64 * 1024;
    // The consumer position is published every this many records (and at the end of a batch), not
    // after each: the kernel gets the space back soon enough, and the store is not on every record.
    private static final int RELEASE_EVERY = 64;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = Errno.libc("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("munmap").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle PAGE_SIZE = LINKER.downcallHandle(LINKER.defaultLookup().find("getpagesize").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT));
    // Acquire and release accesses: the kernel publishes a record by clearing its busy bit, and
    // reuses its space once the consumer position has moved past it.
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final RecordHandler handler;
    private final Consumer<Throwable> failures;
    private final MemorySegment consumerPage; // RW, the consumer position at 0
    private final MemorySegment producerMapping; // RO: the producer position page, then the data once
    private final MemorySegment data;
    private final long size;
    private final long mask;
    private final MemorySegment wrapped; // a record that wraps past the end, copied into one piece
    private boolean closed;
    /** The consumer position after the last {@link #consume}: bytes consumed since the map was created. */
    private long position;
    private boolean mapped = true; // false: memory of a test's, not ours to unmap

    /**
     * Receives each record: {@code length} bytes of {@code memory} from {@code offset}, valid during the
     * call only. (Offsets rather than a slice: a slice per record is an allocation per record.)
     */
    @FunctionalInterface
    public interface RecordHandler {
        void onRecord(MemorySegment memory, long offset, int length);
    }

    private RingBuffer(RecordHandler handler, Consumer<Throwable> failures, MemorySegment consumerPage,
            MemorySegment producerMapping, long pageSize, long size, MemorySegment wrapped) {
        this.handler = handler;
        this.failures = failures;
        this.consumerPage = consumerPage;
        this.producerMapping = producerMapping;
        this.data = producerMapping.asSlice(pageSize, size);
        this.size = size;
        this.mask = size - 1;
        this.wrapped = wrapped;
    }

    /**
     * @param ringBytes the map's size (its max_entries: a power of two, a multiple of the page size)
     * @param handler receives each record
     * @param failures receives whatever the handler throws; delivery goes on with the next record
     * @param arena holds the scratch buffer for wrapped records: keep it open until this ring buffer is closed
     */
    public static RingBuffer open(BpfMap map, int ringBytes, RecordHandler handler, Consumer<Throwable> failures,
            Arena arena) throws LibBpfException {
        int fd = map.fd();
        long page = pageSize();
        if (Integer.bitCount(ringBytes) != 1 || ringBytes < page) {
            throw new LibBpfException("ring buffer size " + ringBytes + " is not a power of two of at least a page");
        }
        MemorySegment consumer = mmap(page, PROT_READ | PROT_WRITE, fd, 0, "consumer page");
        MemorySegment producer;
        try {
            producer = mmap(page + ringBytes, PROT_READ, fd, page, "data pages");
        } catch (LibBpfException e) {
            munmap(consumer);
            throw e;
        }
        // apiguard's programs write records of at most a header and an HTTP/2 walk (8 KiB).
        MemorySegment wrapped = arena.allocate(Math.min(ringBytes, MAX_WRAPPED), 8);
        return new RingBuffer(handler, failures, consumer, producer, page, ringBytes, wrapped);
    }

    /**
     * A reader over memory laid out as the kernel's mapping (tests: records written by hand, a wrap at
     * the end of the data area); close() leaves the memory alone.
     */
    static RingBuffer overMemory(MemorySegment consumerPage, MemorySegment producerMapping, long pageSize, int ringBytes,
            RecordHandler handler, Consumer<Throwable> failures, Arena arena) {
        RingBuffer ring = new RingBuffer(handler, failures, consumerPage, producerMapping, pageSize, ringBytes,
                arena.allocate(Math.min(ringBytes, MAX_WRAPPED), 8));
        ring.mapped = false;
        return ring;
    }

    private static long pageSize() {
        try {
            return (int) PAGE_SIZE.invokeExact();
        } catch (Throwable e) {
            return 4096;
        }
    }

    private static MemorySegment mmap(long length, int prot, int fd, long offset, String what) throws LibBpfException {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment errno = local.allocate(Errno.STATE);
            MemorySegment at = (MemorySegment) MMAP.invokeExact(errno, MemorySegment.NULL, length, prot, MAP_SHARED, fd, offset);
            if (at.address() == -1L || at.address() == 0L) {
                throw new LibBpfException("mmap of the ring buffer's " + what + " failed: "
                        + Errno.describe(Errno.read(errno)));
            }
            return at.reinterpret(length);
        } catch (LibBpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new LibBpfException("mmap: " + e);
        }
    }

    private static void munmap(MemorySegment mapping) {
        try {
            int ignored = (int) MUNMAP.invokeExact(mapping, mapping.byteSize());
        } catch (Throwable ignored) {
            // best effort on shutdown
        }
    }

    /** Bytes the kernel has written and this reader not yet consumed. */
    public long pending() {
        return (long) LONG.getAcquire(producerMapping, 0L) - (long) LONG.getAcquire(consumerPage, 0L);
    }

    /**
     * Consumes the records available now, at most one ring's worth (so a producer that keeps up
     * cannot hold the caller here), without waiting. Returns the records delivered.
     */
    public int consume() {
        if (closed) {
            return 0;
        }
        long consumed = (long) LONG.getAcquire(consumerPage, 0L);
        long producedAt = (long) LONG.getAcquire(producerMapping, 0L);
        long limit = consumed + size;
        int records = 0;
        while (consumed < producedAt && consumed < limit) {
            long at = consumed & mask;
            int len = (int) INT.getAcquire(data, at);
            if ((len & BUSY_BIT) != 0) {
                break; // reserved, not yet committed: the records after it wait too (kernel order)
            }
            int length = len & ~(BUSY_BIT | DISCARD_BIT);
            if ((len & DISCARD_BIT) == 0) {
                deliver(at, length);
                records++;
            }
            consumed += (length + HEADER + 7) & ~7L;
            if ((records & (RELEASE_EVERY - 1)) == 0) {
                LONG.setRelease(consumerPage, 0L, consumed);
            }
            if (consumed >= producedAt) {
                producedAt = (long) LONG.getAcquire(producerMapping, 0L);
            }
        }
        LONG.setRelease(consumerPage, 0L, consumed);
        position = consumed;
        return records;
    }

    /**
     * Bytes of the ring consumed so far (records, headers and padding), as of the last {@link #consume}:
     * the difference between two readings is what a drain took. Read on the consuming thread; no memory access.
     */
    public long position() {
        return position;
    }

    private void deliver(long at, int length) {
        long start = (at + HEADER) & mask;
        try {
            if (start + length <= size) {
                handler.onRecord(data, start, length);
            } else if (length > wrapped.byteSize()) {
                throw new IllegalStateException("a ring buffer record of " + length + " bytes wraps past the end: skipped");
            } else {
                long first = size - start;
                MemorySegment.copy(data, start, wrapped, 0, first);
                MemorySegment.copy(data, 0, wrapped, first, length - first);
                handler.onRecord(wrapped, 0, length);
            }
        } catch (Throwable e) {
            try {
                failures.accept(e);
            } catch (Throwable reportingFailed) {
                System.err.println("apiguard: ring buffer record failed (" + e + "), and so did its report: " + reportingFailed);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (!mapped) {
                return;
            }
            munmap(producerMapping);
            munmap(consumerPage);
        }
    }
}
