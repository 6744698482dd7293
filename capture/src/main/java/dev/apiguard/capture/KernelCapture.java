package dev.apiguard.capture;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.apiguard.capture.libbpf.BpfLink;
import dev.apiguard.capture.libbpf.BpfMap;
import dev.apiguard.capture.libbpf.BpfObject;
import dev.apiguard.capture.libbpf.BpfProgram;
import dev.apiguard.capture.libbpf.LibBpf;
import dev.apiguard.capture.libbpf.LibBpfException;
import dev.apiguard.capture.libbpf.RingBuffer;

/**
 * Loads the BPF programs, attaches them (socket-layer tracepoints) and delivers their events.
 *
 * <p>One thread calls {@link #poll}; the sink runs on that thread, in ring-buffer order. An
 * exception thrown while an event is decoded or consumed is counted ({@link #internalErrors}),
 * logged (rate-limited) and capture goes on with the next event. {@link #close} detaches every
 * program (also meant for a shutdown hook, so SIGTERM leaves nothing attached).
 */
public final class KernelCapture implements AutoCloseable {
    static final String OBJECT_RESOURCE = "/bpf/apiguard.bpf.o";
    private static final System.Logger LOG = System.getLogger("apiguard.capture");

    /** Guards the ring buffer and maps against close(); fair, since poll() re-takes it in a loop. */
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Resources resources;
    private final RingBuffer ringBuffer;
    private final BpfMap stats;
    private final int attachedPrograms;
    private final int ringBytes;
    private final int cpus;
    private final EventDecoder decoder;
    private final InternalErrors errors;
    private final TlsProbes tls; // null: TLS capture off
    private final BpfMap tlsStats;
    private final BpfMap h2Stats;
    private boolean closed; // guarded by lock
    private volatile long delivered; // written by the polling thread only

    private KernelCapture(Resources resources, RingBuffer ringBuffer, int ringBytes, BpfMap stats, int attachedPrograms, int cpus,
            EventDecoder decoder, InternalErrors errors, TlsProbes tls, BpfMap tlsStats, BpfMap h2Stats) {
        this.tls = tls;
        this.h2Stats = h2Stats;
        this.tlsStats = tlsStats;
        this.resources = resources;
        this.ringBuffer = ringBuffer;
        this.stats = stats;
        this.attachedPrograms = attachedPrograms;
        this.ringBytes = ringBytes;
        this.cpus = cpus;
        this.decoder = decoder;
        this.errors = errors;
    }

    /**
     * Checks prerequisites, loads and attaches the programs.
     *
     * @param sink receives every decoded event, on the polling thread; what it throws is counted in
     *     {@link #internalErrors} and does not stop capture. A {@link TransientEventSink} gets one data
     *     array for all events, refilled; any other sink an array per event
     * @throws CaptureException with a one-line reason when anything is missing or refused; nothing
     *     stays attached or loaded then
     */
    public static KernelCapture start(CaptureConfig config, Consumer<SocketEvent> sink) throws CaptureException {
        return start(config, sink, new InternalErrors("capture"), null);
    }

    /** As above, with the process's error counter for what the sink or the decoder throws. */
    public static KernelCapture start(CaptureConfig config, Consumer<SocketEvent> sink, InternalErrors errors)
            throws CaptureException {
        return start(config, sink, errors, null);
    }

    /**
     * Test only: a last attach, after every program is attached, that cannot succeed (a tracepoint
     * that does not exist), to prove that a late failure leaves nothing behind.
     *
     * @param beforeAttempt runs just before that attach (e.g. to see what is attached then)
     */
    record LateAttachFailure(String category, String tracepoint, Runnable beforeAttempt) {}

    static KernelCapture start(CaptureConfig config, Consumer<SocketEvent> sink, LateAttachFailure fault) throws CaptureException {
        return start(config, sink, new InternalErrors("capture"), fault);
    }

    private static KernelCapture start(CaptureConfig config, Consumer<SocketEvent> sink, InternalErrors errors,
            LateAttachFailure fault) throws CaptureException {
        Preflight.check();
        // Everything opened goes on this stack; a failure anywhere below closes it in reverse order
        // (ring buffer, links, object, then the memory libbpf was reading).
        Resources resources = new Resources();
        boolean started = false;
        try {
            Arena arena = resources.push(Arena.ofShared());
            LibBpf bpf = LibBpf.load();
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
            BpfObject object = resources.push(BpfObject.open(bpf, image));
            KernelStructs.check(object.btf());
            object.map("events").setMaxEntries(config.ringBufferBytes());
            object.map(".rodata.cfg").setInitialValue(configImage(arena, config));
            MemorySegment tlsConfig = arena.allocate(KernelStructs.TLS_CONFIG);
            KernelStructs.TLS_CONFIG_ENABLED.set(tlsConfig, 0L, config.tls() ? 1 : 0);
            object.map(".rodata.tls").setInitialValue(tlsConfig);
            object.load();
            List<BpfLink> links = new ArrayList<>();
            for (BpfProgram program : object.programs()) {
                // The TLS probes attach per library file, below; the exec signal only serves them.
                if (!program.isUprobe() && (config.tls() || !program.name().equals("tls_on_exec"))) {
                    links.add(resources.push(program.attach()));
                }
            }
            TlsProbes tls = null;
            if (config.tls()) {
                tls = resources.push(new TlsProbes(object.programs(), object.map("bio_tgids"), object.map("exec_tgids"),
                        CaptureConfig.TLS_RESCAN_MILLIS));
                tls.scanAll();
                if (tls.attached().isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "tls: no TLS library found to attach to (rescanning every "
                            + CaptureConfig.TLS_RESCAN_MILLIS + " ms)");
                }
            }
            if (fault != null) {
                fault.beforeAttempt().run();
                resources.push(object.programs().stream().filter(p -> !p.isUprobe()).toList().getLast().attachTracepoint(fault.category(), fault.tracepoint()));
            }
            EventDecoder decoder = new EventDecoder(sink instanceof TransientEventSink);
            RingBuffer ringBuffer = resources.push(RingBuffer.open(object.map("events"), config.ringBufferBytes(), (memory, offset, length) -> {
                SocketEvent event = decoder.decode(memory, offset, length);
                if (event != null) {
                    sink.accept(event);
                }
            }, errors::record, arena));
            KernelCapture capture = new KernelCapture(resources, ringBuffer, config.ringBufferBytes(), object.map("stats"), links.size(),
                    bpf.possibleCpus(), decoder, errors, tls, object.map("tls_stats_map"),
                    object.map("h2_stats_map"));
            started = true;
            return capture;
        } catch (LibBpfException e) {
            throw new CaptureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new CaptureException("cannot read the BPF object from the jar: " + e.getMessage(), e);
        } finally {
            if (!started) {
                resources.close();
            }
        }
    }

    static byte[] readObject() throws IOException {
        try (InputStream in = KernelCapture.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new IOException(OBJECT_RESOURCE + " missing (the build compiles it with clang)");
            }
            return in.readAllBytes();
        }
    }

    /** struct agent_config, as the programs' read-only data. */
    private static MemorySegment configImage(Arena arena, CaptureConfig config) {
        MemorySegment value = arena.allocate(KernelStructs.AGENT_CONFIG);
        KernelStructs.CONFIG_ENABLED.set(value, 0L, 1);
        KernelStructs.CONFIG_SELF_TGID.set(value, 0L, (int) ProcessHandle.current().pid()); // never trace ourselves
        KernelStructs.CONFIG_ONLY_TGID.set(value, 0L, config.onlyPid());
        KernelStructs.CONFIG_ONLY_PORT.set(value, 0L, config.onlyPort());
        KernelStructs.CONFIG_ONLY_NETNS.set(value, 0L, (int) config.onlyNetns()); // an inode number: u32 in the kernel
        byte[] comm = config.onlyComm().getBytes(StandardCharsets.UTF_8);
        int length = (int) Math.min(comm.length, KernelStructs.CONFIG_ONLY_COMM_SIZE - 1); // keeps the NUL
        MemorySegment.copy(comm, 0, value, ValueLayout.JAVA_BYTE, KernelStructs.CONFIG_ONLY_COMM_OFFSET, length);
        return value;
    }

    /**
     * Delivers what the kernel produced; when nothing is there, sleeps {@code timeoutMillis} (without
     * holding the lock, so close() and the stats never wait for it) and delivers what came meanwhile.
     * Returns events consumed.
     *
     * <p>The kernel side never wakes the reader (a wake-up per event costs an interrupt and a context
     * switch each): a caller polls with a short timeout, and events arrive in batches at most that
     * late. The ring must hold what arrives in that time, and in the time a batch takes to consume.
     */
    public int poll(int timeoutMillis) {
        int n = whileOpen(0, this::drain);
        if (n == 0 && timeoutMillis > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            n = whileOpen(0, this::drain);
        }
        return n;
    }

    private int drain() {
        if (tls != null) {
            tls.rescanIfDue();
        }
        int n = ringBuffer.consume();
        if (n > 0) {
            delivered += n;
        }
        return n;
    }

    /**
     * Runs {@code body} under the lock that close() takes, so the ring buffer and the maps are never
     * freed under a reader; returns {@code whenClosed} once closed. The lock is fair: a stats read is
     * not starved by the poll loop re-taking it.
     */
    private <T> T whileOpen(T whenClosed, Supplier<T> body) {
        lock.lock();
        try {
            return closed ? whenClosed : body.get();
        } finally {
            lock.unlock();
        }
    }

    /** The ring buffer's size in bytes. */
    public int ringBytes() {
        return ringBytes;
    }

    /**
     * Bytes of the ring consumed so far, as of the last poll (see {@link RingBuffer#position}); for the
     * polling thread, to pace itself ({@link PollPacer}).
     */
    public long consumedBytes() {
        return ringBuffer.position();
    }

    /** Bytes the kernel has written that no poll has consumed yet; 0 once closed. */
    public long pendingBytes() {
        return whileOpen(0L, ringBuffer::pending);
    }

    /** Counters summed over CPUs; zeros after close. */
    public KernelStats stats() {
        return whileOpen(new KernelStats(0, 0, 0, 0), () -> {
            long[] sums = perCpuSums(stats, KernelStructs.KERNEL_STATS, "kernel", KernelStructs.STATS_RINGBUF_FULL,
                    KernelStructs.STATS_CONNS_FULL, KernelStructs.STATS_NOT_HTTP);
            // Events are counted as they are read (the kernel side keeps no success counter).
            return new KernelStats(delivered, sums[0], sums[1], sums[2]);
        });
    }

    /**
     * Sums the given {@code u64} fields of a one-entry per-CPU array (key 0) over the CPUs; zeros, logged, when the
     * read fails. A per-CPU map's value is one struct per possible CPU, each rounded up to 8 bytes.
     */
    private long[] perCpuSums(BpfMap map, StructLayout layout, String what, VarHandle... fields) {
        long[] sums = new long[fields.length];
        long stride = (layout.byteSize() + 7) & ~7L;
        try (Arena local = Arena.ofConfined()) {
            MemorySegment key = local.allocate(ValueLayout.JAVA_INT); // the only key: 0
            MemorySegment values = local.allocate(stride * cpus, 8);
            if (map.lookup(key, values)) {
                for (int cpu = 0; cpu < cpus; cpu++) {
                    for (int f = 0; f < fields.length; f++) {
                        sums[f] += (long) fields[f].get(values, cpu * stride);
                    }
                }
            }
        } catch (LibBpfException e) {
            LOG.log(System.Logger.Level.WARNING, "reading " + what + " counters failed: " + e.getMessage());
        }
        return sums;
    }

    /**
     * Records the decoder refused: shorter than a header, an unknown kind or role, or more captured
     * bytes than the record holds. (A layout that differs from the object's fails start-up instead.)
     */
    public long malformedRecords() {
        return decoder.malformed();
    }

    /**
     * Exceptions thrown while an event was decoded or consumed (the sink: parse, classify, record),
     * each skipped while capture went on; the agent exports it as {@code
     * apiguard_internal_errors_total{stage="capture"}}.
     */
    public long internalErrors() {
        return errors.count();
    }

    /** The HTTP/2 frame walk's counters summed over CPUs; zeros when closed. */
    public H2Stats h2Stats() {
        return whileOpen(new H2Stats(0, 0, 0), () -> {
            long[] sums = perCpuSums(h2Stats, KernelStructs.H2_STATS, "HTTP/2", KernelStructs.H2_STATS_BLOCK_CUT,
                    KernelStructs.H2_STATS_PAYLOAD_CUT, KernelStructs.H2_STATS_LOST);
            return new H2Stats(sums[0], sums[1], sums[2]);
        });
    }

    /** TLS capture's counters summed over CPUs, and what its probes are attached to; zeros when off or closed. */
    public TlsStats tlsStats() {
        TlsStats off = new TlsStats(false, 0, 0, List.of(), List.of(), 0, 0, 0);
        return whileOpen(off, () -> {
            if (tls == null) {
                return off;
            }
            long[] sums = perCpuSums(tlsStats, KernelStructs.TLS_STATS, "TLS", KernelStructs.TLS_STATS_CALLS_FULL,
                    KernelStructs.TLS_STATS_UNJOINED, KernelStructs.TLS_STATS_EXECS, KernelStructs.TLS_STATS_EXEC_LOST);
            return new TlsStats(true, sums[0], sums[1],
                    tls.attached().stream().map(Object::toString).toList(),
                    tls.skipped().stream().map(Object::toString).toList(), tls.strippedGoBinaries(), sums[2], sums[3]);
        });
    }

    /** How many times TLS capture has read the process's maps since it last started or exec'd (tests). */
    int tlsScansOf(long pid) {
        return whileOpen(0, () -> tls == null ? 0 : tls.scansOf(pid));
    }

    /** The uprobes attached for TLS capture (an entry and a return probe per function and file). */
    public int tlsProbes() {
        return whileOpen(0, () -> tls == null ? 0 : tls.links());
    }

    public int attachedPrograms() {
        return attachedPrograms;
    }

    /** Detaches and unloads everything. Idempotent. Waits for a batch being delivered. */
    @Override
    public void close() {
        whileOpen(null, () -> {
            closed = true;
            resources.close();
            return null;
        });
    }

    /** What start-up opened, closed in reverse order, each close attempted even when one fails. */
    private static final class Resources {
        private final ArrayDeque<AutoCloseable> opened = new ArrayDeque<>();

        <T extends AutoCloseable> T push(T resource) {
            opened.push(resource);
            return resource;
        }

        void close() {
            while (!opened.isEmpty()) {
                AutoCloseable resource = opened.pop();
                try {
                    resource.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "closing " + resource + " failed: " + e);
                }
            }
        }
    }
}
