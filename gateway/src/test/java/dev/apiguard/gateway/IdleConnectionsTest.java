package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * 10,000 idle keep-alive client connections, held without error. The clients live in a python3
 * process: this JVM holds the gateway's 10,000 server-side sockets, and the fd limit (20,000) has
 * no room for both ends in one process.
 */
class IdleConnectionsTest {
    private static final int CONNECTIONS = 10_000;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void tenThousandIdleConnectionsAreHeldAndTheGatewayStillServes() throws Exception {
        Path python = Backend.python();
        try (Backend backend = Backend.start();
                Gateway gateway = TestGateways.start(backend.uri(), b -> b.clientIdleTimeout(Duration.ofSeconds(120)))) {
            Path dir = Files.createTempDirectory("apiguard-idle");
            Path script = dir.resolve("idle_clients.py");
            try (InputStream in = getClass().getResourceAsStream("/idle_clients.py")) {
                Files.copy(in, script);
            }
            Process clients = new ProcessBuilder(python.toString(), script.toString(), Integer.toString(gateway.port()),
                    Integer.toString(CONNECTIONS), "500").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo("opened " + CONNECTIONS);

                // while they are held: a fresh client is served
                try (RawHttp raw = new RawHttp(gateway.port())) {
                    assertThat(raw.exchange("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(200);
                }
                Thread.sleep(500);
                OutputStream in = clients.getOutputStream();
                in.write('\n');
                in.flush();
                JsonNode result = new ObjectMapper().readTree(out.readLine());
                assertThat(result.get("opened").asInt()).isEqualTo(CONNECTIONS);
                assertThat(result.get("closed_by_peer").asInt()).isZero();
                assertThat(result.get("sampled").asInt()).isEqualTo(20);
                assertThat(result.get("ok").asInt()).isEqualTo(20);
                assertThat(clients.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                clients.destroyForcibly();
            }
            try (RawHttp raw = new RawHttp(gateway.port())) {
                assertThat(raw.exchange("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(200);
            }
        }
    }
}
