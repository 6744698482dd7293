package dev.apiguard.app.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./apiguard} takes JAVA_HOME as given only when it is Java 25 or newer, whatever its path
 * says; anything else is one line and exit 2, before it installs or builds anything.
 */
class LauncherJavaHomeTest {
    private static final Path LAUNCHER = Path.of("..").toAbsolutePath().normalize().resolve("apiguard");

    record Result(int exit, String output) {}

    private static Result launch(String javaHome) throws Exception {
        ProcessBuilder b = new ProcessBuilder("bash", LAUNCHER.toString(), "--help").redirectErrorStream(true);
        b.environment().put("JAVA_HOME", javaHome);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** A JDK directory whose java reports {@code version}; with a release file when {@code release} is not null. */
    private static Path fakeJdk(Path dir, String name, String version, String release) throws Exception {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"" + version + "\" 2025-01-01' >&2\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (release != null) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + release + "\"\n");
        }
        return home;
    }

    @Test
    void aPathThatSays25IsNotEnough(@TempDir Path dir) throws Exception {
        Path jdk = fakeJdk(dir, "temurin-25-jdk-amd64", "17.0.9", "17.0.9");
        Result r = launch(jdk.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).isEqualTo("apiguard: JAVA_HOME=" + jdk + " is Java 17; apiguard needs Java 25 or newer: "
                + "set JAVA_HOME to such a JDK, or unset it to use /usr/lib/jvm/temurin-25-jdk-amd64\n");
    }

    @Test
    void withoutAReleaseFileJavaItselfIsAsked(@TempDir Path dir) throws Exception {
        Result old = launch(fakeJdk(dir, "jdk-25", "21.0.2", null).toString());
        assertThat(old.exit()).isEqualTo(2);
        assertThat(old.output()).contains("is Java 21; apiguard needs Java 25 or newer").hasLineCount(1);
        Result ancient = launch(fakeJdk(dir, "jdk8-25", "1.8.0_392", null).toString());
        assertThat(ancient.output()).contains("is Java 8;").hasLineCount(1);
        assertThat(ancient.exit()).isEqualTo(2);
    }

    @Test
    void aJavaHomeWithoutJavaIsNotReplacedSilently(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("jdk-17");
        Files.createDirectories(empty);
        Result r = launch(empty.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).isEqualTo("apiguard: JAVA_HOME=" + empty + " has no runnable bin/java; apiguard needs a "
                + "Java 25+ JDK: set JAVA_HOME to one, or install /usr/lib/jvm/temurin-25-jdk-amd64\n");
    }
}
