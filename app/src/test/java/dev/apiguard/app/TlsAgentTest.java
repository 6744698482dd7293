package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.apiguard.config.ConfigNode;
import dev.apiguard.app.it.MetricsReader;
import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real agent with TLS capture on (agent.capture.tls: true) watching HTTPS: nginx with TLS
 * (started before the agent, with a kept-alive TLS connection already open then), a Python ssl
 * server started after the agent, curl and a Python ssl client. Every count is exact, per route and
 * side; silent 200s inside TLS are business errors; nothing is counted twice or as "not HTTP".
 */
class TlsAgentTest {
    private static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");
    private final TestProcesses processes;
    private Node node;

    TlsAgentTest() throws Exception {
        processes = new TestProcesses();
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        processes.close();
    }

    @Test
    void countsHttpsExchangesExactlyOnBothSides() throws Exception {
        RealParts.requireRoot();
        RealParts.require(Files.isExecutable(SYSTEM_PYTHON), "Debian's /usr/bin/python3");
        Path dir = processes.workDir();
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        processes.run(List.of(RealParts.requireBinary("openssl").toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost"), Duration.ofSeconds(30));
        Path www = Files.createDirectories(dir.resolve("www/tlsit"));
        Files.writeString(www.resolve("a.json"), "{\"ok\":true,\"items\":[1,2,3]}\n");
        Files.write(www.resolve("big.bin"), new byte[200_000]); // larger than any single TLS record or read
        int nginxPort = startNginx(www.getParent(), cert, key);

        // A kept-alive TLS connection opened and used before the agent starts.
        String client = String.join("\n",
                "import http.client, ssl, sys",
                "ctx = ssl._create_unverified_context()",
                "c = http.client.HTTPSConnection('127.0.0.1', int(sys.argv[1]), context=ctx)",
                "def get(p):",
                "    c.request('GET', p); r = c.getresponse(); r.read(); return r.status",
                "print(get('/tlsit/silent'), flush=True)",
                "sys.stdin.readline()",
                "print(get('/tlsit/silent'), get('/tlsit/a.json'), flush=True)",
                "sys.stdin.readline()");
        Process older = new ProcessBuilder(SYSTEM_PYTHON.toString(), "-c", client, String.valueOf(nginxPort)).redirectErrorStream(true).start();
        try {
            BufferedReader olderOut = new BufferedReader(new InputStreamReader(older.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(olderOut.readLine()).isEqualTo("200");

            Path config = dir.resolve("apiguard.yaml");
            Files.writeString(config, "agent:\n  capture:\n    tls: true\n");
            node = Node.start(NodeOptions.of(ConfigNode.load(config), "127.0.0.1:0", 0, "", 0), false);
            MetricsReader metrics = new MetricsReader(node.registry);

            // Its next requests are picked up like new ones.
            OutputStream olderIn = older.getOutputStream();
            olderIn.write('\n');
            olderIn.flush();
            assertThat(olderOut.readLine()).isEqualTo("200 200");

            // A TLS server started after the agent.
            int pyPort = startPythonServer(cert, key);
            processes.curl("-k", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                    "https://127.0.0.1:" + nginxPort + "/tlsit/a.json", "https://127.0.0.1:" + nginxPort + "/tlsit/silent",
                    "https://127.0.0.1:" + nginxPort + "/tlsit/big.bin", "https://127.0.0.1:" + nginxPort + "/tlsit/nope");
            processes.curl("-k", "-o", "/dev/null", "-o", "/dev/null", "https://127.0.0.1:" + pyPort + "/small",
                    "https://127.0.0.1:" + pyPort + "/small");

            Map<String, Long> expected = new LinkedHashMap<>();
            expected.put("nginx GET /tlsit/a 2xx", 2L);
            expected.put("nginx GET /tlsit/silent 2xx", 2L);
            expected.put("nginx GET /tlsit/big.bin 2xx", 1L);
            expected.put("nginx GET /tlsit/nope 4xx", 1L);
            expected.put("tlspy GET /small 2xx", 2L);
            MetricsReader.await(() -> actual(metrics, expected, "server").equals(expected)
                    && actual(metrics, expected, "client").equals(expected), 15_000);
            Thread.sleep(500); // anything late would be a double count
            for (String side : List.of("server", "client")) {
                assertThat(actual(metrics, expected, side)).as(side + " side").isEqualTo(expected);
                assertThat(metrics.counter("api_business_errors_total", Map.of("side", side, "path", "/tlsit/silent"))).as(side).isEqualTo(2);
                assertThat(metrics.counter("api_business_errors_total", Map.of("side", side, "path", "/small"))).as(side).isEqualTo(2);
                assertThat(metrics.counter("api_business_errors_total", Map.of("side", side, "path", "/tlsit/a"))).as(side).isZero();
            }
            // /api/v1/endpoints: every endpoint here was seen inside TLS only. (The agent sees the
            // whole machine: other tests' endpoints are left out by service.)
            var endpoints = dev.apiguard.metrics.EndpointsView.from(node.registry.scrape()).stream()
                    .filter(e -> e.service().equals("nginx") && e.path().startsWith("/tlsit/") || e.service().equals("tlspy"))
                    .toList();
            assertThat(endpoints).hasSize(10); // five routes, two sides
            assertThat(endpoints).allMatch(e -> e.transport().equals("tls"));
            assertThat(metrics.counter("apiguard_events_dropped_total", Map.of("reason", "tls_unjoined"))).isZero();
            assertThat(metrics.counter("apiguard_events_dropped_total", Map.of("reason", "tls_calls_full"))).isZero();
            olderIn.write('\n');
            olderIn.flush();
        } finally {
            older.destroy();
            older.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Long> actual(MetricsReader metrics, Map<String, Long> expected, String side) {
        Map<String, Long> actual = new LinkedHashMap<>();
        for (String key : expected.keySet()) {
            String[] k = key.split(" ");
            actual.put(key, metrics.requests(k[0], side, k[1], k[2], k[3]));
        }
        return actual;
    }

    /** nginx-light with TLS, one worker, static files (sendfile on) and a silent failure. */
    private int startNginx(Path root, Path cert, Path key) throws Exception {
        Path nginx = RealParts.requireBinary("nginx");
        int port = Ports.free();
        Path dir = Files.createDirectories(processes.workDir().resolve("nginx-" + port));
        Files.createDirectories(dir.resolve("tmp"));
        String conf = """
                user root;
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                  access_log off;
                  sendfile on;
                  client_body_temp_path %1$s/tmp; proxy_temp_path %1$s/tmp; fastcgi_temp_path %1$s/tmp;
                  uwsgi_temp_path %1$s/tmp; scgi_temp_path %1$s/tmp;
                  types { application/json json; }
                  default_type application/octet-stream;
                  server {
                    listen 127.0.0.1:%2$d ssl;
                    ssl_certificate %4$s;
                    ssl_certificate_key %5$s;
                    root %3$s;
                    location = /tlsit/silent { default_type application/json; return 200 '{"ok":false,"error":"denied"}'; }
                  }
                }
                """.formatted(dir, port, root, cert, key);
        Files.writeString(dir.resolve("nginx.conf"), conf);
        processes.start(new ProcessBuilder(nginx.toString(), "-e", dir.resolve("error.log").toString(),
                "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString()));
        Ports.awaitListening(port, Duration.ofSeconds(15));
        return port;
    }

    /** HTTP/1.1 keep-alive over TLS; /small answers a silent failure. Named tlspy (OTEL_SERVICE_NAME). */
    private int startPythonServer(Path cert, Path key) throws Exception {
        int port = Ports.free();
        String server = String.join("\n",
                "import http.server, ssl, sys",
                "class H(http.server.BaseHTTPRequestHandler):",
                "    protocol_version = 'HTTP/1.1'",
                "    def do_GET(self):",
                "        body = b'{\"ok\":false,\"error\":\"denied\"}'",
                "        self.send_response(200); self.send_header('Content-Type', 'application/json')",
                "        self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)",
                "    def log_message(self, *a): pass",
                "srv = http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H)",
                "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[2], sys.argv[3])",
                "srv.socket = ctx.wrap_socket(srv.socket, server_side=True)",
                "srv.serve_forever()");
        ProcessBuilder builder = new ProcessBuilder(SYSTEM_PYTHON.toString(), "-c", server, String.valueOf(port), cert.toString(), key.toString());
        builder.environment().put("OTEL_SERVICE_NAME", "tlspy");
        processes.start(builder);
        Ports.awaitListening(port, Duration.ofSeconds(15));
        return port;
    }
}
