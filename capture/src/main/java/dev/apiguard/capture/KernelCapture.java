package dev.apiguard.capture;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.apiguard.capture.libbpf.LibBpf;
import dev.apiguard.capture.libbpf.LibBpfException;

/**
 * Loads the BPF programs, attaches them (socket-layer tracepoints) and delivers their events.
 *
 * <p>One thread calls {@link #poll}; the sink runs on that thread, in ring-buffer order. {@link
 * #close} detaches every program (also meant for a shutdown hook, so SIGTERM leaves nothing
 * attached).
 */
public final class KernelCapture implements AutoCloseable {
    static final String OBJECT_RESOURCE = "/bpf/apiguard.bpf.o";
    private static final System.Logger LOG = System.getLogger("apiguard.capture");
    private static final int STAT_COUNT = 3;

    private final LibBpf bpf;
    private final Arena arena;
    private final MemorySegment object;
    private final List<MemorySegment> links;
    private final MemorySegment ringBuffer;
    private final int statsFd;
    private final int cpus;
    private final EventDecoder decoder;
    private volatile boolean closed;
    private volatile long delivered; // written by the polling thread only

    private KernelCapture(LibBpf bpf, Arena arena, MemorySegment object, List<MemorySegment> links,
            MemorySegment ringBuffer, int statsFd, EventDecoder decoder) {
        this.bpf = bpf;
        this.arena = arena;
        this.object = object;
        this.links = links;
        this.ringBuffer = ringBuffer;
        this.statsFd = statsFd;
        this.cpus = bpf.possibleCpus();
        this.decoder = decoder;
    }

    /**
     * Checks prerequisites, loads and attaches the programs.
     *
     * @param sink receives every decoded event, on the polling thread
     * @throws CaptureException with a one-line reason when anything is missing or refused
     */
    public static KernelCapture start(CaptureConfig config, Consumer<SocketEvent> sink) throws CaptureException {
        Preflight.check();
        Arena arena = Arena.ofShared();
        LibBpf bpf;
        MemorySegment object = null;
        List<MemorySegment> links = new ArrayList<>();
        try {
            bpf = LibBpf.load();
            bpf.setLogger((level, line) -> {
                // 0 warn, 1 info, 2 debug: verifier logs arrive as warnings, keep them visible.
                if (level == 0) {
                    LOG.log(System.Logger.Level.WARNING, "libbpf: " + line);
                } else if (level == 1) {
                    LOG.log(System.Logger.Level.DEBUG, "libbpf: " + line);
                }
            });
            byte[] elf = readObject();
            MemorySegment image = arena.allocate(elf.length, 8);
            MemorySegment.copy(elf, 0, image, ValueLayout.JAVA_BYTE, 0, elf.length);
            object = bpf.openMem(image);
            bpf.setMaxEntries(bpf.findMap(object, "events"), config.ringBufferBytes());
            bpf.setInitialValue(bpf.findMap(object, ".rodata.cfg"), configImage(arena, config));
            bpf.load(object);
            for (MemorySegment p = bpf.nextProgram(object, MemorySegment.NULL);
                    !p.equals(MemorySegment.NULL);
                    p = bpf.nextProgram(object, p)) {
                links.add(bpf.attach(p));
            }
            EventDecoder decoder = new EventDecoder();
            MemorySegment rb = bpf.ringBufferNew(bpf.mapFd(bpf.findMap(object, "events")), (data, size) -> {
                SocketEvent event = decoder.decode(data);
                if (event != null) {
                    sink.accept(event);
                }
                return 0;
            }, arena);
            int statsFd = bpf.mapFd(bpf.findMap(object, "stats"));
            return new KernelCapture(bpf, arena, object, links, rb, statsFd, decoder);
        } catch (LibBpfException e) {
            cleanup(null, object, links);
            arena.close();
            throw new CaptureException(e.getMessage(), e);
        } catch (IOException e) {
            arena.close();
            throw new CaptureException("cannot read the BPF object from the jar: " + e.getMessage(), e);
        }
    }

    private static byte[] readObject() throws IOException {
        try (InputStream in = KernelCapture.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new IOException(OBJECT_RESOURCE + " missing (the build compiles it with clang)");
            }
            return in.readAllBytes();
        }
    }

    /** struct agent_config (apiguard.h), as the programs' read-only data. */
    private static MemorySegment configImage(Arena arena, CaptureConfig config) {
        MemorySegment value = arena.allocate(32, 8);
        value.set(ValueLayout.JAVA_INT, 0, 1); // enabled
        value.set(ValueLayout.JAVA_INT, 4, (int) ProcessHandle.current().pid()); // never trace ourselves
        value.set(ValueLayout.JAVA_INT, 8, config.onlyPid());
        value.set(ValueLayout.JAVA_INT, 12, config.onlyPort());
        byte[] comm = config.onlyComm().getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(comm, 0, value, ValueLayout.JAVA_BYTE, 16, Math.min(comm.length, 15));
        return value;
    }

    /**
     * Delivers what the kernel produced; when nothing is there, waits up to {@code timeoutMillis} for
     * a backlog wake-up first. Returns events consumed.
     *
     * <p>The kernel side does not wake the reader per event (that costs a context switch each), so
     * a caller polls with a short timeout: events then arrive in batches at most that late.
     */
    public int poll(int timeoutMillis) {
        if (closed) {
            return 0;
        }
        int n = bpf.consume(ringBuffer);
        if (n == 0) {
            int woken = bpf.poll(ringBuffer, timeoutMillis); // returns early only on a backlog wake-up
            n = Math.max(0, woken) + Math.max(0, bpf.consume(ringBuffer));
        }
        if (n > 0) {
            delivered += n;
        }
        return n; // negative: EINTR from a signal, harmless
    }

    /** Counters summed over CPUs; zeros after close. */
    public KernelStats stats() {
        if (closed) {
            return new KernelStats(0, 0, 0, 0);
        }
        long[] sums = new long[STAT_COUNT];
        try (Arena local = Arena.ofConfined()) {
            MemorySegment key = local.allocate(ValueLayout.JAVA_INT);
            MemorySegment values = local.allocate(8L * cpus, 8);
            for (int stat = 0; stat < STAT_COUNT; stat++) {
                key.set(ValueLayout.JAVA_INT, 0, stat);
                if (bpf.lookup(statsFd, key, values)) {
                    for (int cpu = 0; cpu < cpus; cpu++) {
                        sums[stat] += values.getAtIndex(ValueLayout.JAVA_LONG, cpu);
                    }
                }
            }
        } catch (LibBpfException e) {
            LOG.log(System.Logger.Level.WARNING, "reading kernel counters failed: " + e.getMessage());
        }
        // Events are counted as they are read (the kernel side keeps no success counter).
        return new KernelStats(delivered, sums[0], sums[1], sums[2]);
    }

    /** Records the decoder refused (a layout mismatch would show here). */
    public long malformedRecords() {
        return decoder.malformed();
    }

    public int attachedPrograms() {
        return links.size();
    }

    /** Detaches and unloads everything. Idempotent. Call after the polling thread stopped. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cleanup(bpf, object, links);
        bpf.freeRingBuffer(ringBuffer);
        bpf.close(object);
    }

    private static void cleanup(LibBpf bpf, MemorySegment object, List<MemorySegment> links) {
        if (bpf == null) {
            return;
        }
        for (MemorySegment link : links) {
            bpf.destroyLink(link);
        }
        links.clear();
    }
}
