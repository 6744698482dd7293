package dev.apiguard.app.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;

/**
 * Real servers and clients for integration tests, each its own process (the agent never traces the
 * JVM it runs in). Everything started here is killed by {@link #close()}.
 */
public final class TestProcesses implements AutoCloseable {
    private final List<Process> started = new ArrayList<>();
    private final java.util.Map<Process, Path> logs = new java.util.HashMap<>();
    private final Path workDir;

    public TestProcesses() throws IOException {
        this.workDir = Files.createTempDirectory("apiguard-it");
    }

    public Path workDir() {
        return workDir;
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    /** The text of {@code http://127.0.0.1:PORT/metrics}, or "" while nothing answers there (callers poll). */
    public static String scrapeMetrics(int port) {
        try {
            return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** A server listening on 127.0.0.1. */
    public record Server(String name, int port, Process process) {
        public String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }
    }

    public Server pythonHttpServer(Path root) throws IOException {
        Path python = RealParts.requireBinary("python3");
        int port = Ports.free();
        Process p = start(new ProcessBuilder(python.toString(), "-m", "http.server", "--bind", "127.0.0.1", String.valueOf(port))
                .directory(root.toFile()));
        Ports.awaitListening(port, Duration.ofSeconds(15));
        // The agent names a python process by its script or -m module.
        return new Server("http.server", port, p);
    }

    /**
     * test_server.py under the given process name (≤ 15 chars: the kernel's comm), which is also its
     * service name ({@code OTEL_SERVICE_NAME}: the agent would otherwise name it by its script).
     */
    public Server testServer(String processName) throws IOException {
        Path python = RealParts.requireBinary("python3");
        Path script = resource("traffic/test_server.py");
        int port = Ports.free();
        ProcessBuilder builder = new ProcessBuilder(python.toString(), script.toString(), String.valueOf(port), processName);
        builder.environment().put("OTEL_SERVICE_NAME", processName);
        Process p = start(builder);
        Ports.awaitListening(port, Duration.ofSeconds(15));
        return new Server(processName, port, p);
    }

    /** nginx-light with one worker, static files from root and a few fixed answers under /agentit/. */
    public Server nginx(Path root) throws IOException {
        Path nginx = RealParts.requireBinary("nginx");
        int port = Ports.free();
        Path dir = Files.createDirectories(workDir.resolve("nginx-" + port));
        Files.createDirectories(dir.resolve("tmp"));
        String conf = """
                user root;
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  sendfile on;
                  keepalive_requests 1000000;
                  client_body_temp_path %1$s/tmp; proxy_temp_path %1$s/tmp; fastcgi_temp_path %1$s/tmp;
                  uwsgi_temp_path %1$s/tmp; scgi_temp_path %1$s/tmp;
                  types { application/json json; text/plain txt; }
                  default_type application/octet-stream;
                  server {
                    listen 127.0.0.1:%2$d;
                    root %3$s;
                    location = /agentit/error { default_type application/json; return 500 '{"error":"boom"}'; }
                    location = /agentit/post { default_type application/json; return 201 '{"ok":true}'; }
                  }
                }
                """.formatted(dir, port, root);
        Files.writeString(dir.resolve("nginx.conf"), conf);
        Process p = start(new ProcessBuilder(nginx.toString(), "-e", dir.resolve("error.log").toString(),
                "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString()));
        Ports.awaitListening(port, Duration.ofSeconds(15));
        return new Server("nginx", port, p);
    }

    /** Runs curl with the given arguments; returns its stdout. */
    public String curl(String... args) throws IOException, InterruptedException {
        Path curl = RealParts.requireBinary("curl");
        List<String> command = new ArrayList<>(List.of(curl.toString(), "-s", "--max-time", "20"));
        command.addAll(List.of(args));
        return run(command, Duration.ofSeconds(30));
    }

    /** Runs TrafficClient.java in its own JVM (java.net.http or raw sockets); returns its one output line. */
    public String javaClient(String... args) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), resource("traffic/TrafficClient.java").toString()));
        command.addAll(List.of(args));
        return run(command, Duration.ofSeconds(120));
    }

    public String run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("failed (" + p.exitValue() + "): " + command + "\n" + out);
        }
        return out.trim();
    }

    public Process start(ProcessBuilder builder) throws IOException {
        Path log = workDir.resolve("proc-" + started.size() + ".log");
        Process p = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        logs.put(p, log);
        return p;
    }

    /** What a started process printed (stdout and stderr). */
    public String output(Process p) throws IOException {
        return Files.readString(logs.get(p));
    }

    public Path resource(String name) throws IOException {
        Path target = workDir.resolve(Path.of(name).getFileName());
        if (!Files.exists(target)) {
            try (InputStream in = TestProcesses.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException("test resource " + name + " missing");
                }
                Files.copy(in, target);
            }
        }
        return target;
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
