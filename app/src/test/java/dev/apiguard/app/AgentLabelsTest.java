package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.ToolProvider;

import dev.apiguard.app.it.MetricsReader;
import dev.apiguard.app.it.TestProcesses;
import dev.apiguard.testkit.Ports;
import dev.apiguard.testkit.RealParts;
import dev.apiguard.testkit.TestCgroup;
import org.junit.jupiter.api.Test;

/**
 * {@code ./apiguard agent} as its own process (real BPF) watching real servers: the hostile path
 * corpus leaves no secret in its /metrics, and every server gets its own {@code service} label —
 * two python3 apps by their scripts, a JVM by its jar, one by OTEL_SERVICE_NAME, one by the systemd
 * unit of its cgroup, and one renamed by the config.
 */
class AgentLabelsTest {
    private static final Path CORPUS = Path.of("../routes/src/test/resources/dev/apiguard/routes/hostile-paths.tsv");
    private static final Pattern SAMPLE = Pattern.compile("^api_http_requests_total\\{(.*)\\} ([0-9.eE+]+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Case(String target, String route, String secret) {}

    @Test
    void noSecretInTheAgentsMetricsAndOneServicePerAppNotPerProcessName() throws Exception {
        RealParts.requireRoot();
        String python = realPython();
        List<Case> corpus = Files.readAllLines(CORPUS, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\t", -1)).map(f -> new Case(f[0], f[1], f[2])).toList();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(30);
        try (TestProcesses processes = new TestProcesses();
                // Apps start in a neutral cgroup, so the runner's own systemd unit (if any) cannot name them.
                TestCgroup neutral = TestCgroup.create("apps.scope");
                TestCgroup unit = TestCgroup.create("orders.service")) {
            Path work = processes.workDir();
            Path app = processes.resource("traffic/echo_app.py");
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("orders_api", startPython(processes, neutral, python, Files.copy(app, work.resolve("orders_api.py")), Map.of()));
            ports.put("billing_api", startPython(processes, neutral, python, Files.copy(app, work.resolve("billing_api.py")), Map.of()));
            ports.put("checkout", startPython(processes, neutral, python, Files.copy(app, work.resolve("otel_app.py")),
                    Map.of("OTEL_SERVICE_NAME", "checkout")));
            ports.put("orders", startPython(processes, unit, python, Files.copy(app, work.resolve("unit_app.py")), Map.of()));
            ports.put("catalog", startPython(processes, neutral, python, Files.copy(app, work.resolve("renamed_app.py")), Map.of()));
            ports.put("inventory-service", startJar(processes, neutral, tinyServerJar(processes, "inventory-service.jar")));

            // A route budget that orders_api's corpus and /ping fill exactly: budgets are per service, so
            // billing_api (also python3) still gets its own routes.
            Set<String> ordersRoutes = new LinkedHashSet<>();
            corpus.forEach(c -> ordersRoutes.add(c.route()));
            ordersRoutes.add("/ping");
            Path config = Files.writeString(work.resolve("apiguard.yaml"), """
                    agent:
                      services:
                        renamed_app: catalog
                    routes:
                      max-per-service: %d
                    """.formatted(ordersRoutes.size()));
            int metricsPort = Ports.free();
            Process agent = processes.start(AgentProcessTest.agentCommand("--listen", "127.0.0.1:" + metricsPort,
                    "--config", config.toString()));
            Ports.awaitListening(metricsPort, Duration.ofSeconds(60));
            assertThat(MetricsReader.await(() -> TestProcesses.scrapeMetrics(metricsPort).contains("apiguard_kernel_events_total"), 10_000)).isTrue();

            // The hostile corpus to one python app, three plain requests to every app, each over one keep-alive connection.
            send(ports.get("orders_api"), corpus.stream().map(Case::target).toList());
            for (int port : ports.values()) {
                send(port, List.of("/ping", "/ping", "/ping"));
            }
            send(ports.get("orders_api"), List.of("/one-too-many"));
            send(ports.get("billing_api"), List.of("/billing-only"));

            Map<String, Long> expected = new LinkedHashMap<>();
            ports.keySet().forEach(service -> expected.put(service, 3L));
            expected.put("orders_api", 3L + corpus.size() + 1);
            expected.put("billing_api", 4L);
            MetricsReader.await(() -> serverRequests(TestProcesses.scrapeMetrics(metricsPort), expected.keySet()).equals(expected), 15_000);
            Thread.sleep(500); // anything late would be a double count
            String text = TestProcesses.scrapeMetrics(metricsPort);
            assertThat(serverRequests(text, expected.keySet())).isEqualTo(expected);
            assertThat(text).as("no service is named by the process name alone")
                    .doesNotContain("service=\"python3\"").doesNotContain("service=\"java\"");

            // Every corpus request got its placeholder route, under its own service.
            for (Case c : corpus) {
                assertThat(text).as("route of " + c.target())
                        .containsPattern("api_http_requests_total\\{[^}]*path=\"" + Pattern.quote(c.route()) + "\",service=\"orders_api\",side=\"server\"");
            }
            // One request past the budget, seen on both sides (this JVM is a traced client): 2.
            assertThat(text).contains("apiguard_routes_overflow_total{service=\"orders_api\"} 2.0")
                    .doesNotContain("apiguard_routes_overflow_total{service=\"billing_api\"}")
                    .containsPattern("api_http_requests_total\\{[^}]*path=\"/billing-only\",service=\"billing_api\",side=\"server\"[^}]*\\} 1.0")
                    .containsPattern("api_http_requests_total\\{[^}]*path=\"/\\{overflow\\}\",service=\"orders_api\",side=\"server\"[^}]*\\} 1.0");
            for (Case c : corpus) {
                for (String form : forms(c.secret())) {
                    assertThat(text).as("secret of " + c.target()).doesNotContain(form);
                }
            }
            assertThat(text).containsPattern("apiguard_service_identities_total\\{source=\"cmdline\"\\} [1-9]")
                    .containsPattern("apiguard_service_identities_total\\{source=\"systemd\"\\} [1-9]")
                    .containsPattern("apiguard_service_identities_total\\{source=\"env\"\\} [1-9]")
                    .containsPattern("apiguard_service_identities_total\\{source=\"config\"\\} [1-9]")
                    .contains("apiguard_service_identity_cache_evictions_total{reason=\"overflow\"} 0.0");
            agent.destroy();
            assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** The secret as sent, percent-decoded, and percent-encoded. */
    private static Set<String> forms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        String decoded = URLDecoder.decode(secret.replace("+", "%2B"), StandardCharsets.UTF_8);
        forms.add(decoded);
        forms.add(URLEncoder.encode(decoded, StandardCharsets.UTF_8));
        return forms;
    }

    /** Server-side requests per service, summed over every other label. */
    private static Map<String, Long> serverRequests(String text, Set<String> services) {
        Map<String, Long> counts = new LinkedHashMap<>();
        services.forEach(s -> counts.put(s, 0L));
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            Matcher label = LABEL.matcher(sample.group(1));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            if ("server".equals(labels.get("side")) && counts.containsKey(labels.get("service"))) {
                counts.merge(labels.get("service"), (long) Double.parseDouble(sample.group(2)), Long::sum);
            }
        }
        return counts;
    }

    /** Sends GETs with these raw targets over one keep-alive connection; every answer must be 200. */
    private static void send(int port, List<String> targets) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (String target : targets) {
                out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String head = readHead(in);
                assertThat(head).as(target).startsWith("HTTP/1.1 200");
                Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
                assertThat(length.find()).as(target).isTrue();
                in.readNBytes(Integer.parseInt(length.group(1)));
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 16_384 && (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n"))) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the response head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static int startPython(TestProcesses processes, TestCgroup cgroup, String python, Path script,
            Map<String, String> env) throws IOException {
        int port = Ports.free();
        ProcessBuilder builder = new ProcessBuilder(python, script.toString(), String.valueOf(port));
        builder.environment().remove("OTEL_SERVICE_NAME");
        builder.environment().remove("SERVICE_NAME");
        builder.environment().putAll(env);
        Process p = processes.start(builder);
        cgroup.add(p.pid()); // before it listens: no connection can reach it outside its cgroup
        Ports.awaitListening(port, Duration.ofSeconds(15));
        return port;
    }

    private static int startJar(TestProcesses processes, TestCgroup cgroup, Path jar) throws IOException {
        int port = Ports.free();
        Process p = processes.start(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), String.valueOf(port)));
        cgroup.add(p.pid());
        Ports.awaitListening(port, Duration.ofSeconds(30));
        return port;
    }

    /** EchoJar.java compiled with the JDK's compiler and packed into a runnable jar. */
    private static Path tinyServerJar(TestProcesses processes, String name) throws IOException {
        Path source = processes.resource("traffic/EchoJar.java");
        Path classes = Files.createDirectories(processes.workDir().resolve("jar-classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
        assertThat(rc).isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "acme.inventory.EchoJar");
        Path jar = processes.workDir().resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (Path file : Files.walk(classes).filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The interpreter itself, not a wrapper such as pyenv's shim. */
    private static String realPython() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(RealParts.requireBinary("python3").toString(), "-c", "import sys; print(sys.executable)")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

}
