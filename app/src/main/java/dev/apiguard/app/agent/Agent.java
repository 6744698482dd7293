package dev.apiguard.app.agent;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.apiguard.capture.CaptureException;
import dev.apiguard.capture.H2Stats;
import dev.apiguard.capture.KernelCapture;
import dev.apiguard.capture.KernelStats;
import dev.apiguard.capture.PollPacer;
import dev.apiguard.capture.TlsStats;
import dev.apiguard.capture.libbpf.ReaderPriority;
import dev.apiguard.http.HttpConnectionTracker;
import dev.apiguard.http.HttpTrackerStats;
import dev.apiguard.http.ServiceIdentity;
import dev.apiguard.http.ServiceNamer;
import dev.apiguard.model.Exchange;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The node agent's capture loop: kernel events → HTTP reassembly → the shared pipeline (routes, semantics,
 * metrics). One platform thread polls the ring buffer and runs the parser, so the parser needs no
 * locks.
 */
public final class Agent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("apiguard.agent");
    private static final long EXPIRE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private final KernelCapture capture;
    private final HttpConnectionTracker tracker;
    private final ServiceIdentity identity;
    private final Thread poller;
    private volatile boolean running = true;
    private volatile HttpTrackerStats trackerStats;

    private final int readerNice;

    private Agent(KernelCapture capture, HttpConnectionTracker tracker, ServiceIdentity identity, int readerNice) {
        this.capture = capture;
        this.readerNice = readerNice;
        this.identity = identity;
        this.tracker = tracker;
        this.trackerStats = tracker.stats();
        this.poller = Thread.ofPlatform().name("apiguard-capture").daemon(true).unstarted(this::pollLoop);
    }

    /**
     * Loads the BPF programs and starts capturing.
     *
     * @param pipeline receives each reassembled exchange, on the capture thread (the node's {@code Pipeline})
     * @throws CaptureException when a prerequisite is missing or the kernel refuses (one-line reason)
     */
    public static Agent start(AgentSettings settings, Consumer<Exchange> pipeline, PrometheusRegistry registry)
            throws CaptureException {
        // Capture's caught exceptions go to the process's one apiguard_internal_errors_total{stage="capture"}.
        dev.apiguard.metrics.InternalErrors shared = dev.apiguard.metrics.InternalErrors.of(registry);
        dev.apiguard.capture.InternalErrors captureErrors = new dev.apiguard.capture.InternalErrors("capture",
                e -> shared.report(dev.apiguard.metrics.InternalErrors.Stage.CAPTURE, e));
        // Services are named per process identity, not per process name: two python3 apps are two services.
        ServiceIdentity identity = ServiceIdentity.fromProc(settings.http().serviceNames(), ServiceIdentity.DEFAULT_MAX_CACHED_PIDS);
        HttpConnectionTracker tracker = new HttpConnectionTracker(settings.http(), ServiceNamer.by(identity), pipeline);
        KernelCapture capture = KernelCapture.start(settings.capture(), tracker, captureErrors);
        Agent agent = new Agent(capture, tracker, identity, settings.readerNice());
        AgentSelfMetrics.register(registry, agent);
        agent.poller.start();
        long netns = settings.capture().onlyNetns();
        LOG.log(System.Logger.Level.INFO, "capturing HTTP/1.x and HTTP/2 on every process but this one{0} ({1} BPF programs attached)",
                netns == 0 ? "" : ", sockets of network namespace net:[" + netns + "] only", capture.attachedPrograms());
        TlsStats tls = capture.tlsStats();
        if (tls.enabled()) {
            LOG.log(System.Logger.Level.INFO, "TLS plaintext capture: {0} library files attached {1}, {2} skipped {3}",
                    tls.attached().size(), tls.attached(), tls.skipped().size(), tls.skipped());
        }
        return agent;
    }

    private void pollLoop() {
        String unchanged = readerNice == 0 ? null : ReaderPriority.setForCurrentThread(readerNice);
        if (unchanged != null) {
            LOG.log(System.Logger.Level.WARNING, "the capture thread keeps the default priority (" + unchanged
                    + "): on a busy node the ring buffer may fill while it waits for a CPU");
        }
        // Drain, then sleep as long as the ring can hold what arrives meanwhile (PollPacer): on this kind of VM
        // every wake-up costs the thread 50-120 µs of CPU, so fewer wake-ups are most of what an idle agent saves.
        PollPacer pacer = new PollPacer(capture.ringBytes());
        long lastWake = System.nanoTime();
        long lastPosition = capture.consumedBytes();
        long nextExpiry = lastWake + EXPIRE_EVERY_NANOS;
        while (running) {
            try {
                long wake = System.nanoTime();
                capture.poll(0);
                long position = capture.consumedBytes();
                long period = pacer.periodNanos(position - lastPosition, wake - lastWake, capture.pendingBytes());
                lastWake = wake;
                lastPosition = position;
                long now = System.nanoTime();
                if (now >= nextExpiry) {
                    // bpf_ktime_get_ns and System.nanoTime both read CLOCK_MONOTONIC on Linux.
                    tracker.expireIdle(now);
                    trackerStats = tracker.stats();
                    nextExpiry = now + EXPIRE_EVERY_NANOS;
                }
                long sleep = Math.min(wake + period, nextExpiry) - System.nanoTime();
                if (sleep > 0) {
                    LockSupport.parkNanos(sleep);
                }
            } catch (RuntimeException e) {
                // A bug in one event must not stop capture: log it (no payload) and go on.
                LOG.log(System.Logger.Level.ERROR, "capture loop error, continuing: " + e);
            }
        }
    }

    public KernelStats kernelStats() {
        return capture.stats();
    }

    /** The kernel HTTP/2 frame walk's cuts and losses of frame boundaries. */
    public H2Stats h2Stats() {
        return capture.h2Stats();
    }

    /** TLS capture's drops and the library files its probes are attached to. */
    public TlsStats tlsStats() {
        return capture.tlsStats();
    }

    public HttpTrackerStats trackerStats() {
        return trackerStats;
    }

    public ServiceIdentity.Stats serviceIdentityStats() {
        return identity.stats();
    }

    public long malformedRecords() {
        return capture.malformedRecords();
    }

    /** Stops polling and detaches every BPF program. Idempotent. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            poller.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        capture.close();
        // stderr, not the logger: on SIGTERM this runs in a shutdown hook, after logging may be gone.
        System.err.println("apiguard: BPF programs detached");
    }
}
