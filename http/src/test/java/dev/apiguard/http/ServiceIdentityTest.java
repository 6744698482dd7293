package dev.apiguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.tools.ToolProvider;

import dev.apiguard.testkit.RealParts;
import dev.apiguard.testkit.TestCgroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service identity of real processes, read from their real /proc files. */
class ServiceIdentityTest {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    /** Every process starts here, so the cgroup the test runner happens to be in (a CI service?) cannot name it. */
    private TestCgroup neutral;

    @BeforeEach
    void neutralCgroup() throws IOException {
        neutral = TestCgroup.create("apps.scope");
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
        }
        for (Process p : started) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
        neutral.close();
    }

    private ProcServiceIdentity identity(Map<String, String> names, int max) {
        return new ProcServiceIdentity(Path.of("/proc"), names, max, now::get);
    }

    private Process start(Map<String, String> env, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("OTEL_SERVICE_NAME");
        builder.environment().remove("SERVICE_NAME");
        builder.environment().putAll(env);
        Process p = builder.start();
        started.add(p);
        neutral.add(p.pid());
        awaitExec(p, command[0]);
        return p;
    }

    /** Process.start() may return while the child still runs the JDK's spawn helper: wait for the real exec. */
    private static void awaitExec(Process p, String program) throws IOException {
        Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        for (int i = 0; i < 500; i++) {
            List<String> argv = ProcServiceIdentity.arguments(Files.readAllBytes(cmdline));
            if (!argv.isEmpty() && argv.getFirst().equals(program)) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("process " + p.pid() + " did not exec " + program + " within 5 s");
    }

    private Path script(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "import time\ntime.sleep(120)\n");
    }

    /** The interpreter itself, not a wrapper such as pyenv's shim, which execs it later. */
    private static String realPython() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(RealParts.requireBinary("python3").toString(), "-c", "import sys; print(sys.executable)")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Path.of(out)).isExecutable();
        return out;
    }

    private static int pid(Process p) {
        return Math.toIntExact(p.pid());
    }

    @Test
    void eachRealProcessGetsItsOwnName() throws Exception {
        String python = realPython();
        Process orders = start(Map.of(), python, script("orders_api.py").toString());
        Process billing = start(Map.of(), python, "-u", "-W", "ignore", script("billing_worker.py").toString());
        Process otel = start(Map.of("OTEL_SERVICE_NAME", "checkout"), python, script("checkout_main.py").toString());
        Process legacy = start(Map.of("SERVICE_NAME", "legacy-billing"), python, script("run.py").toString());
        Path jar = tinyJar("inventory-service.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jarProcess = start(Map.of(), java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
        // A second JVM from another jar (the same main class inside): the jar names the service, not the class.
        Path otherJar = tinyJar("payments-api-2.4.1.jar");
        Process otherJarProcess = start(Map.of(), java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-jar", otherJar.toString());
        Process mainClass = start(Map.of(), java, "-Xmx32m", "-cp", dir.resolve("classes").toString(), "acme.shipping.ShippingMain");
        Process sleep = start(Map.of(), RealParts.requireBinary("sleep").toString(), "120");

        ProcServiceIdentity identity = identity(Map.of(), 64);
        assertThat(identity.serviceOf(pid(orders), "python3")).isEqualTo("orders_api");
        assertThat(identity.serviceOf(pid(billing), "python3")).isEqualTo("billing_worker");
        assertThat(identity.serviceOf(pid(otel), "python3")).isEqualTo("checkout");
        assertThat(identity.serviceOf(pid(legacy), "python3")).isEqualTo("legacy-billing");
        assertThat(identity.serviceOf(pid(jarProcess), "java")).isEqualTo("inventory-service");
        assertThat(identity.serviceOf(pid(otherJarProcess), "java")).isNotEqualTo("inventory-service").startsWith("payments-api");
        assertThat(identity.serviceOf(pid(mainClass), "java")).isEqualTo("ShippingMain");
        assertThat(identity.serviceOf(pid(sleep), "sleep")).isEqualTo("sleep");
        ServiceIdentity.Stats stats = identity.stats();
        assertThat(stats.bySource()).containsEntry(ServiceIdentity.Source.ENV, 2L)
                .containsEntry(ServiceIdentity.Source.CMDLINE, 5L).containsEntry(ServiceIdentity.Source.COMM, 1L)
                .containsEntry(ServiceIdentity.Source.SYSTEMD, 0L).containsEntry(ServiceIdentity.Source.CONFIG, 0L);
        // Remembered: asking again reads nothing and counts nothing.
        assertThat(identity.serviceOf(pid(orders), "python3")).isEqualTo("orders_api");
        assertThat(identity.stats().bySource().get(ServiceIdentity.Source.CMDLINE)).isEqualTo(5L);
        assertThat(identity.cachedPids()).isEqualTo(8);
    }

    @Test
    void aSystemdUnitNamesTheProcessBeforeItsScript() throws Exception {
        String python = realPython();
        Process p = start(Map.of(), python, script("server.py").toString());
        try (TestCgroup unit = TestCgroup.create("orders.service")) {
            unit.add(p.pid());
            assertThat(Files.readString(Path.of("/proc", Long.toString(p.pid()), "cgroup"))).contains(unit.path());
            ProcServiceIdentity identity = identity(Map.of(), 64);
            assertThat(identity.serviceOf(pid(p), "python3")).isEqualTo("orders");
            assertThat(identity.stats().bySource()).containsEntry(ServiceIdentity.Source.SYSTEMD, 1L);
            // The environment still wins over the unit.
            Process named = start(Map.of("OTEL_SERVICE_NAME", "orders-canary"), python, script("server2.py").toString());
            unit.add(named.pid());
            assertThat(identity.serviceOf(pid(named), "python3")).isEqualTo("orders-canary");
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            named.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theUsersMappingWins() throws Exception {
        String python = realPython();
        Process orders = start(Map.of(), python, script("orders_api.py").toString());
        Process otel = start(Map.of("OTEL_SERVICE_NAME", "checkout"), python, script("x.py").toString());
        // Keyed by a derived name: renames that one process only.
        ProcServiceIdentity byDerived = identity(Map.of("orders_api", "orders-v2", "checkout", "checkout-eu"), 64);
        assertThat(byDerived.serviceOf(pid(orders), "python3")).isEqualTo("orders-v2");
        assertThat(byDerived.serviceOf(pid(otel), "python3")).isEqualTo("checkout-eu");
        assertThat(byDerived.stats().bySource()).containsEntry(ServiceIdentity.Source.CONFIG, 2L);
        // Keyed by the process name: every python3 is one service, as before.
        ProcServiceIdentity byComm = identity(Map.of("python3", "shop"), 64);
        assertThat(byComm.serviceOf(pid(orders), "python3")).isEqualTo("shop");
        assertThat(byComm.serviceOf(pid(otel), "python3")).isEqualTo("shop");
    }

    @Test
    void anExitedProcessIsForgottenAndTheCacheIsBounded() throws Exception {
        String python = realPython();
        Process a = start(Map.of(), python, script("alpha.py").toString());
        Process b = start(Map.of(), python, script("beta.py").toString());
        Process c = start(Map.of(), python, script("gamma.py").toString());
        ProcServiceIdentity identity = identity(Map.of(), 2);
        assertThat(identity.serviceOf(pid(a), "python3")).isEqualTo("alpha");
        assertThat(identity.serviceOf(pid(b), "python3")).isEqualTo("beta");
        assertThat(identity.serviceOf(pid(c), "python3")).isEqualTo("gamma");
        assertThat(identity.cachedPids()).isEqualTo(2);
        assertThat(identity.stats().cacheOverflows()).isEqualTo(1);

        c.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        // Within a second the cached name is trusted; after it, the pid is checked and found gone.
        assertThat(identity.serviceOf(pid(c), "python3")).isEqualTo("gamma");
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertThat(identity.serviceOf(pid(c), "python3")).isEqualTo("python3");
        assertThat(identity.stats().pidsReused()).isEqualTo(1);
        assertThat(identity.cachedPids()).isEqualTo(1);
        // A live one is rechecked and kept.
        assertThat(identity.serviceOf(pid(b), "python3")).isEqualTo("beta");
        assertThat(identity.stats().pidsReused()).isEqualTo(1);
        // The periodic sweep drops exited processes even when nobody asks for them.
        b.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        now.addAndGet(TimeUnit.SECONDS.toNanos(31));
        assertThat(identity.serviceOf(pid(a), "python3")).isEqualTo("alpha");
        assertThat(identity.cachedPids()).isEqualTo(1);
        assertThat(identity.serviceOf(0, "python3")).isEqualTo("python3");
        assertThat(identity.serviceOf(0, null)).isEqualTo("unknown");
    }

    @Test
    void containerIdsFromEachRuntimesCgroup() {
        String id = "3f2a9c1b7d4e8f60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718";
        assertThat(ProcServiceIdentity.containerId("0::/system.slice/docker-" + id + ".scope\n")).isEqualTo("3f2a9c1b7d4e");
        assertThat(ProcServiceIdentity.containerId("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-" + id + ".scope"))
                .isEqualTo("3f2a9c1b7d4e");
        assertThat(ProcServiceIdentity.containerId("0::/machine.slice/libpod-" + id + ".scope/container")).isEqualTo("3f2a9c1b7d4e");
        assertThat(ProcServiceIdentity.containerId("0::/docker/" + id)).isEqualTo("3f2a9c1b7d4e");
        assertThat(ProcServiceIdentity.containerId("12:name=systemd:/kubepods/besteffort/pod9/" + id + "\n0::/")).isEqualTo("3f2a9c1b7d4e");
        assertThat(ProcServiceIdentity.containerId("0::/user.slice/user-1000.slice/session-3.scope")).isNull();
        // Only the v2 and name=systemd hierarchies count: a memory controller's path is no container.
        assertThat(ProcServiceIdentity.containerId("4:memory:/process_api/398edd79469612a0bd3205a5fc76e168\n0::/")).isNull();
        assertThat(ProcServiceIdentity.systemdUnit("0::/system.slice/orders.service")).isEqualTo("orders");
        assertThat(ProcServiceIdentity.systemdUnit("0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope")).isNull();
        assertThat(ProcServiceIdentity.systemdUnit("0::/system.slice/docker-" + id + ".scope")).isNull();
        assertThat(ProcServiceIdentity.systemdUnit(null)).isNull();
    }

    @Test
    void commandLines() {
        assertThat(ProcServiceIdentity.fromCommandLine(List.of("/usr/bin/python3.12", "-m", "uvicorn", "app:api"))).isEqualTo("uvicorn");
        assertThat(ProcServiceIdentity.fromCommandLine(List.of("python3", "-c", "print(1)"))).isNull();
        assertThat(ProcServiceIdentity.fromCommandLine(List.of("node", "-r", "dotenv/config", "/srv/web/server.js"))).isEqualTo("server");
        assertThat(ProcServiceIdentity.fromCommandLine(List.of("ruby", "-I", "lib", "bin/api.rb"))).isEqualTo("api");
        assertThat(ProcServiceIdentity.fromCommandLine(List.of("java", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", "a.jar:b.jar", "com.acme.Orders")))
                .isEqualTo("Orders");
        assertThat(ProcServiceIdentity.fromCommandLine(List.of("/opt/jdk/bin/java", "-m", "acme.orders/com.acme.orders.Main"))).isEqualTo("Main");
        assertThat(ProcServiceIdentity.fromCommandLine(List.of("nginx: worker process"))).isNull();
        assertThat(ProcServiceIdentity.fromCommandLine(List.of())).isNull();
        assertThat(ProcServiceIdentity.clean("a\u0001b" + "x".repeat(100))).hasSize(ProcServiceIdentity.MAX_NAME_CHARS).startsWith("abx");
    }

    /** A jar whose manifest runs acme.shipping.ShippingMain, which sleeps: compiled here with the JDK's compiler. */
    private Path tinyJar(String name) throws IOException {
        Path source = Files.createDirectories(dir.resolve("src/acme/shipping")).resolve("ShippingMain.java");
        Files.writeString(source, """
                package acme.shipping;
                public class ShippingMain {
                    public static void main(String[] args) throws Exception { Thread.sleep(120_000); }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString());
        assertThat(rc).isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "acme.shipping.ShippingMain");
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry("acme/shipping/ShippingMain.class"));
            jarOut.write(Files.readAllBytes(classes.resolve("acme/shipping/ShippingMain.class")));
            jarOut.closeEntry();
        }
        return jar;
    }
}
