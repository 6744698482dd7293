package dev.apiguard.capture.libbpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * A libbpf ring buffer reader ({@code struct ring_buffer}) over a {@code BPF_MAP_TYPE_RINGBUF}
 * map. Records are delivered on the thread that calls {@link #poll} or {@link #consume}.
 */
public final class RingBuffer implements AutoCloseable {
    private final LibBpf bpf;
    private final MemorySegment ptr;
    private boolean closed;

    private RingBuffer(LibBpf bpf, MemorySegment ptr) {
        this.bpf = bpf;
        this.ptr = ptr;
    }

    /**
     * @param handler receives each record
     * @param failures receives whatever the handler throws; delivery goes on with the next record
     * @param arena holds the callback stub: keep it open until this ring buffer is closed
     */
    public static RingBuffer open(BpfMap map, LibBpf.RecordHandler handler, Consumer<Throwable> failures, Arena arena)
            throws LibBpfException {
        return new RingBuffer(map.bpf(), map.bpf().ringBufferNew(map.fd(), handler, failures, arena));
    }

    /** Consumes what is there, waiting up to timeoutMillis; returns records consumed or a negative errno. */
    public int poll(int timeoutMillis) {
        return bpf.poll(ptr, timeoutMillis);
    }

    /** Consumes every record available now, without waiting; returns records consumed or a negative errno. */
    public int consume() {
        return bpf.consume(ptr);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bpf.freeRingBuffer(ptr);
        }
    }
}
