package dev.apiguard.app.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded, open-loop load on the shop through the gateway: a fixed rate of realistic requests
 * (checkout, users, search, graphql, health), each on a virtual thread, for a fixed time.
 */
public final class DemoLoad implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final URI base;
    private final int ratePerSecond;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private volatile boolean running = true;
    private Thread pacer;

    /** Requests in flight beyond this are skipped rather than queued (the load stays bounded). */
    static final int MAX_IN_FLIGHT = 200;

    public DemoLoad(URI base, int ratePerSecond) {
        this.base = base;
        this.ratePerSecond = ratePerSecond;
    }

    public void start(Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        pacer = Thread.ofPlatform().name("demo-load").daemon(true).start(() -> {
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
            long next = System.nanoTime();
            while (running && System.nanoTime() < end) {
                next += intervalNanos;
                if (inFlight.get() < MAX_IN_FLIGHT) {
                    inFlight.incrementAndGet();
                    workers.execute(this::oneRequest);
                }
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
    }

    private void oneRequest() {
        try {
            HttpResponse<Void> response = http.send(nextRequest(), HttpResponse.BodyHandlers.discarding());
            sent.incrementAndGet();
            if (response.statusCode() == 503) {
                shed.incrementAndGet();
            }
        } catch (Exception e) {
            failed.incrementAndGet();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private HttpRequest nextRequest() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int pick = random.nextInt(100);
        HttpRequest.Builder b;
        if (pick < 25) {
            b = post("/api/v1/checkout", "{\"cart\":\"c-" + random.nextInt(10_000) + "\",\"card\":\"tok_visa\"}");
        } else if (pick < 60) {
            b = HttpRequest.newBuilder(base.resolve("/api/v1/users/" + random.nextInt(1, 1000))).GET();
        } else if (pick < 80) {
            b = HttpRequest.newBuilder(base.resolve("/api/v1/search?q=item" + random.nextInt(50))).GET();
        } else if (pick < 95) {
            b = post("/graphql", "{\"query\":\"{ cart { items } recommendations { sku } }\"}");
        } else {
            b = HttpRequest.newBuilder(base.resolve("/health")).GET();
        }
        return b.timeout(Duration.ofSeconds(5)).build();
    }

    private HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    public long sent() {
        return sent.get();
    }

    public long shed() {
        return shed.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        running = false;
        if (pacer != null) {
            pacer.interrupt();
        }
        workers.shutdownNow();
    }
}
