package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.apiguard.config.ConfigNode;
import dev.apiguard.gateway.GatewayConfig;
import dev.apiguard.score.ScoreConfig;

/**
 * {@code run}'s single port, where the admin API lives beside the dashboard: the same rules as the
 * gateway's admin port (Host, Origin, token, JSON), the token file private and reused on restart.
 * A real all-in-one in front of a real backend, raw sockets.
 */
class RunAdminApiTest {
    @TempDir
    Path dir;
    private HttpServer backend;

    @BeforeEach
    void startBackend() throws IOException {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        backend.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        backend.createContext("/", exchange -> {
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
    }

    @AfterEach
    void stopBackend() {
        backend.stop(0);
    }

    private AllInOne start(Path config) throws Exception {
        NodeOptions options = NodeOptions.of(ConfigNode.load(config), "127.0.0.1:0", 0, "", backend.getAddress().getPort());
        return AllInOne.start(options, ScoreConfig.defaults(),
                GatewayConfig.builder(URI.create("http://127.0.0.1:" + backend.getAddress().getPort())).listen("127.0.0.1", 0)
                        .noAdmin().build(),
                Clock.systemUTC());
    }

    private static int proxied(AllInOne all, String path) throws IOException {
        return raw(all.gateway.port(), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").status;
    }

    record Answer(int status, String head, String body) {}

    private static Answer raw(int port, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(text.split(" ")[1]), text.substring(0, end), text.substring(end + 4));
        }
    }

    private static Answer call(AllInOne all, String method, String path, String headers, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return raw(all.node.port(), method + " " + path + " HTTP/1.1\r\n" + headers + "Content-Length: " + b.length
                + "\r\nConnection: close\r\n\r\n" + body);
    }

    @Test
    void runsPortRefusesCrossSiteAndRebindingCallsAndNeedsTheTokenForChanges() throws Exception {
        Path tokenFile = dir.resolve("state/admin-token");
        Path config = dir.resolve("apiguard.yaml");
        Files.writeString(config, "admin:\n  token-file: " + tokenFile + "\n  allowed-hosts: [apiguard.internal]\n"
                + "routes:\n  max-per-service: 3\n");
        String token;
        try (AllInOne all = start(config)) {
            assertThat(all.adminTokenNote()).isEqualTo("; admin token (Authorization: Bearer) in " + tokenFile);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
            token = Files.readString(tokenFile).strip();
            int port = all.node.port();
            String host = "Host: 127.0.0.1:" + port + "\r\n";
            String bearer = "Authorization: Bearer " + token + "\r\n";
            String json = "Content-Type: application/json\r\n";
            assertThat(proxied(all, "/checkout")).isEqualTo(200);

            // reads stay open on loopback: the dashboard, its data, the metrics, the breakers
            for (String path : List.of("/", "/api/v1/dashboard", "/metrics", "/api/v1/breakers")) {
                assertThat(call(all, "GET", path, host, "").status).as(path).isEqualTo(200);
                assertThat(call(all, "GET", path, "Host: localhost:" + port + "\r\n", "").status).as(path).isEqualTo(200);
                assertThat(call(all, "GET", path, "Host: evil.example:" + port + "\r\n", "").status).as(path).isEqualTo(403);
                assertThat(call(all, "GET", path, "Host: apiguard.internal:" + port + "\r\n", "").status).as(path).isEqualTo(200);
            }
            // a cross-site form post, and a rebinding page's post
            assertThat(call(all, "POST", "/api/v1/breakers/%2Fcheckout/force-open",
                    host + "Origin: http://evil.example\r\nContent-Type: text/plain\r\n", "{}").status).isEqualTo(403);
            assertThat(call(all, "POST", "/api/v1/breakers/force-open",
                    host + "Origin: http://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\n", "route=/checkout")
                    .status).isEqualTo(403);
            assertThat(call(all, "POST", "/api/v1/breakers/%2Fcheckout/force-open",
                    "Host: evil.example:" + port + "\r\n" + bearer + json, "{}").status).isEqualTo(403);
            // no token, a wrong one, a form body
            Answer none = call(all, "POST", "/api/v1/breakers/%2Fcheckout/force-open", host + json, "{}");
            assertThat(none.status).isEqualTo(401);
            assertThat(none.head).containsIgnoringCase("WWW-Authenticate: Bearer");
            assertThat(call(all, "POST", "/api/v1/breakers/%2Fcheckout/force-open",
                    host + "Authorization: Bearer " + token.substring(1) + "x\r\n" + json, "{}").status).isEqualTo(401);
            assertThat(call(all, "POST", "/api/v1/breakers/%2Fcheckout/force-open",
                    host + bearer + "Content-Type: application/x-www-form-urlencoded\r\n", "a=b").status).isEqualTo(415);
            assertThat(proxied(all, "/checkout")).isEqualTo(200);

            // the operator's call works and the breaker sheds
            Answer forced = call(all, "POST", "/api/v1/breakers/%2Fcheckout/force-open", host + bearer + json, "{}");
            assertThat(forced.status).as(forced.body).isEqualTo(200);
            assertThat(forced.body).contains("\"state\":\"forced_open\"");
            assertThat(proxied(all, "/checkout")).isEqualTo(503);

            // past the route budget (3): a route first named now would map to /{overflow}
            assertThat(proxied(all, "/cart")).isEqualTo(200);
            assertThat(proxied(all, "/search")).isEqualTo(200);
            assertThat(proxied(all, "/late")).isEqualTo(200); // the 4th route: overflow
            Answer refused = call(all, "POST", "/api/v1/breakers/%2Fnever-seen/force-open", host + bearer + json, "{}");
            assertThat(refused.status).as(refused.body).isEqualTo(409);
            assertThat(proxied(all, "/never-seen")).isEqualTo(200);
            assertThat(proxied(all, "/other")).isEqualTo(200);
        }

        // a restart reuses the stored token
        try (AllInOne again = start(config)) {
            assertThat(Files.readString(tokenFile).strip()).isEqualTo(token);
            String host = "Host: 127.0.0.1:" + again.node.port() + "\r\n";
            Answer forced = call(again, "POST", "/api/v1/breakers/force-open",
                    host + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n", "{\"route\":\"/checkout\"}");
            assertThat(forced.status).as(forced.body).isEqualTo(200);
            assertThat(proxied(again, "/checkout")).isEqualTo(503);
        }
    }

    @Test
    void aRunWithoutBackendHasNoAdminTokenAndWritesNothing() throws Exception {
        Path tokenFile = dir.resolve("state/admin-token");
        Path config = dir.resolve("apiguard.yaml");
        Files.writeString(config, "admin:\n  token-file: " + tokenFile + "\n");
        NodeOptions options = NodeOptions.of(ConfigNode.load(config), "127.0.0.1:0", 0, "", backend.getAddress().getPort());
        try (AllInOne all = AllInOne.start(options, ScoreConfig.defaults(), null, Clock.systemUTC())) {
            assertThat(all.adminTokenNote()).isEmpty();
            assertThat(tokenFile).doesNotExist();
            assertThat(call(all, "GET", "/api/v1/breakers", "Host: 127.0.0.1:" + all.node.port() + "\r\n", "").status)
                    .isEqualTo(404);
        }
    }
}
