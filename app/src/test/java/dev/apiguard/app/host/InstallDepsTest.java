package dev.apiguard.app.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.apiguard.testkit.RealParts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/install-deps.sh} for real: apt-get installs a package while a process named
 * {@code nginx} runs, and nothing on the machine is stopped or started. The package is a probe
 * built here whose postinst records what {@code /usr/sbin/policy-rc.d} answers, the question every
 * Debian maintainer script asks (through invoke-rc.d or deb-systemd-invoke) before it starts a service.
 */
class InstallDepsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SCRIPT = ROOT.resolve("scripts/install-deps.sh");
    private static final Path POLICY = Path.of("/usr/sbin/policy-rc.d");
    private static final Path TMP_LOG = Path.of("/tmp/apiguard-apt.log");
    private static final String PROBE = "apiguard-test-probe";

    @Test
    void installingHoldsServicesBackAndStopsNothing(@TempDir Path dir) throws Exception {
        RealParts.requireRoot();
        Path dpkgDeb = RealParts.requireBinary("dpkg-deb");
        Path dpkg = RealParts.requireBinary("dpkg");
        RealParts.requireBinary("apt-get");
        boolean policyBefore = Files.exists(POLICY);
        byte[] policyContent = policyBefore ? Files.readAllBytes(POLICY) : null;
        FileTime tmpLogBefore = Files.exists(TMP_LOG) ? Files.getLastModifiedTime(TMP_LOG) : null;

        // A process whose name (comm) is nginx, as `pkill -x nginx` would match it.
        Path fakeNginx = dir.resolve("bin/nginx");
        Files.createDirectories(fakeNginx.getParent());
        Files.copy(Path.of("/bin/sleep"), fakeNginx);
        Files.setPosixFilePermissions(fakeNginx, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process nginx = new ProcessBuilder(fakeNginx.toString(), "600").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path comm = Path.of("/proc", Long.toString(nginx.pid()), "comm");
            assertThat(Files.readString(comm).trim()).isEqualTo("nginx");

            Path answer = dir.resolve("policy-answer");
            Path deb = buildProbe(dpkgDeb, dir, answer);
            Path state = dir.resolve("state");
            ProcessBuilder install = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
            install.environment().put("JAVA_HOME", System.getProperty("java.home"));
            install.environment().put("XDG_STATE_HOME", state.toString());
            // A marker that does not exist makes the probe "missing", so the install path runs.
            install.environment().put("APIGUARD_DEPS_EXTRA", dir.resolve("no-such-marker") + ":" + deb);
            Process p = install.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(600, TimeUnit.SECONDS)).as("install-deps.sh ends").isTrue();
            assertThat(p.exitValue()).as(output).isZero();

            // apt-get really installed it, and its postinst ran.
            assertThat(run(dpkg.toString(), "-s", PROBE)).contains("Status: install ok installed");
            assertThat(nginx.isAlive()).as("the process named nginx survives the install").isTrue();
            assertThat(Files.readString(comm).trim()).isEqualTo("nginx");
            if (policyBefore) {
                assertThat(Files.readAllBytes(POLICY)).as("the administrator's policy-rc.d is left as it was")
                        .isEqualTo(policyContent);
            } else {
                assertThat(Files.readString(answer).trim()).as("policy-rc.d during the install: 101 forbids starting services")
                        .isEqualTo("101");
                assertThat(POLICY).as("the policy-rc.d the script wrote is removed").doesNotExist();
            }
            Path log = state.resolve("apiguard/apt.log");
            assertThat(Files.readString(log)).contains("apt-get install").contains(deb.toString());
            assertThat(output).contains(log.toString()).doesNotContain("/tmp/apiguard-apt.log");
            if (tmpLogBefore == null) {
                assertThat(TMP_LOG).doesNotExist();
            } else {
                assertThat(Files.getLastModifiedTime(TMP_LOG)).isEqualTo(tmpLogBefore);
            }
        } finally {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
            run(dpkg.toString(), "--purge", PROBE);
        }
        assertThat(run(dpkg.toString(), "-s", PROBE)).doesNotContain("install ok installed");
    }

    @Test
    void noScriptStopsProcessesByName() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Stream.of(ROOT.resolve("scripts"), ROOT.resolve("bench"), ROOT.resolve(".ci"))
                .filter(Files::isDirectory)
                .flatMap(InstallDepsTest::walk)) {
            scripts = Stream.concat(files, Stream.of(ROOT.resolve("apiguard")))
                    .filter(f -> f.getFileName().toString().endsWith(".sh") || f.getFileName().toString().equals("run")
                            || f.getFileName().toString().equals("apiguard"))
                    .toList();
        }
        assertThat(scripts).contains(SCRIPT, ROOT.resolve("apiguard"));
        for (Path script : scripts) {
            for (String line : Files.readAllLines(script)) {
                String code = line.replaceAll("#.*", "");
                assertThat(code).as(script + ": processes are stopped by the PID the script started, never by name")
                        .doesNotContainPattern("\\b(pkill|killall)\\b")
                        .doesNotContainPattern("\\b(systemctl|service)\\s+\\S*\\s*(stop|restart|kill)\\b");
            }
        }
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir, 3).filter(Files::isRegularFile).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A package with no dependencies whose postinst writes policy-rc.d's answer to {@code answer}. */
    private static Path buildProbe(Path dpkgDeb, Path dir, Path answer) throws Exception {
        Path pkg = dir.resolve("probe");
        Path debian = pkg.resolve("DEBIAN");
        Files.createDirectories(debian);
        Files.writeString(debian.resolve("control"), """
                Package: %s
                Version: 1.0
                Architecture: all
                Maintainer: apiguard tests <tests@apiguard.invalid>
                Description: apiguard test probe
                 Records what policy-rc.d answers while apt-get installs it.
                """.formatted(PROBE));
        Path postinst = debian.resolve("postinst");
        Files.writeString(postinst, """
                #!/bin/sh
                set -e
                if [ -x /usr/sbin/policy-rc.d ]; then
                  rc=0; /usr/sbin/policy-rc.d %s start || rc=$?
                  echo "$rc" > '%s'
                else
                  echo none > '%s'
                fi
                """.formatted(PROBE, answer, answer));
        Files.setPosixFilePermissions(postinst, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path deb = dir.resolve(PROBE + ".deb");
        run(dpkgDeb.toString(), "--root-owner-group", "--build", pkg.toString(), deb.toString());
        assertThat(deb).exists();
        return deb;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end within 120 s");
        }
        return out;
    }
}
