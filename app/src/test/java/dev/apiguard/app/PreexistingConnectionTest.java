package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.apiguard.app.it.MetricsReader;
import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.app.it.TestProcesses.Server;
import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;

/** A keep-alive connection opened before the agent started is picked up from its next request. */
class PreexistingConnectionTest {

    @Test
    void countsTheRequestsSentAfterTheAgentStartedOnAnOlderConnection() throws Exception {
        RealParts.requireRoot();
        Path python = RealParts.requireBinary("python3");
        try (TestProcesses processes = new TestProcesses()) {
            Path www = Files.createDirectories(processes.workDir().resolve("www/agentit"));
            Files.writeString(www.resolve("old.json"), "{\"ok\":true}\n");
            Server nginx = processes.nginx(www.getParent());
            Process client = new ProcessBuilder(python.toString(),
                    processes.resource("traffic/keepalive_client.py").toString(), String.valueOf(nginx.port()),
                    "/agentit/old.json", "3").redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            try {
                assertThat(out.readLine()).isEqualTo("ready"); // one exchange done before the agent exists
                try (Node node = Node.start(NodeOptions.of("127.0.0.1:0", 0, "", nginx.port()), false)) {
                    MetricsReader metrics = new MetricsReader(node.registry);
                    Writer in = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8);
                    in.write("go\n");
                    in.flush();
                    assertThat(out.readLine()).isEqualTo("done 3");
                    MetricsReader.await(() -> metrics.requests("nginx", "server", "GET", "/agentit/old", "2xx") == 3
                            && metrics.requests("nginx", "client", "GET", "/agentit/old", "2xx") == 3, 10_000);
                    Thread.sleep(300);
                    // Exactly the three sent after the start: not the one before, and nothing twice.
                    assertThat(metrics.requests("nginx", "server", "GET", "/agentit/old", "2xx")).isEqualTo(3);
                    assertThat(metrics.requests("nginx", "client", "GET", "/agentit/old", "2xx")).isEqualTo(3);
                }
            } finally {
                client.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
