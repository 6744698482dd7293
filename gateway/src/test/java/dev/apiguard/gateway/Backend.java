package dev.apiguard.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;

/** The python3 test backend (src/test/resources/backend.py) as a real process on 127.0.0.1. */
final class Backend implements AutoCloseable {
    final int port;
    private final Process process;

    private Backend(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    private static volatile Path python;

    /**
     * The python3 interpreter itself: PATH may hold a version-manager shim that costs seconds per
     * start on a loaded machine, so it is asked once where the real one is.
     */
    static Path python() {
        if (python == null) {
            Path onPath = RealParts.requireBinary("python3");
            try {
                Process p = new ProcessBuilder(onPath.toString(), "-c", "import sys; print(sys.executable)").start();
                String exe = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                p.waitFor(10, TimeUnit.SECONDS);
                python = exe.isEmpty() ? onPath : Path.of(exe);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                python = onPath;
            }
        }
        return python;
    }

    static Backend start() {
        Path python = python();
        try {
            Path dir = Files.createTempDirectory("apiguard-backend");
            Path script = dir.resolve("backend.py");
            try (InputStream in = Backend.class.getResourceAsStream("/backend.py")) {
                Files.copy(in, script);
            }
            int port = Ports.free();
            Process p = new ProcessBuilder(python.toString(), script.toString(), Integer.toString(port))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("ready")) {
                p.destroyForcibly();
                throw new IllegalStateException("backend.py did not start: " + line);
            }
            Ports.awaitListening(port, Duration.ofSeconds(5));
            return new Backend(port, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
