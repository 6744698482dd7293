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

    static Backend start() {
        Path python = RealParts.requireBinary("python3");
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
