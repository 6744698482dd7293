package dev.apiguard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.apiguard.app.config.ApiguardConfig;
import dev.apiguard.config.ConfigException;

/** --netns NAME|PATH and agent.capture.netns: resolved to the namespace's inode, or one line and exit 2. */
class NetnsOptionTest {
    @Test
    void theConfigKeyResolvesToTheNamespacesInode(@TempDir Path dir) throws Exception {
        String link = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(); // net:[INODE]
        long own = Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        Path file = dir.resolve("apiguard.yaml");
        Files.writeString(file, "agent:\n  capture:\n    netns: /proc/self/ns/net\n");
        assertThat(ApiguardConfig.load(file).agent().capture().onlyNetns()).isEqualTo(own);
        assertThat(ApiguardConfig.defaults().agent().capture().onlyNetns()).isZero();

        Files.writeString(file, "agent:\n  capture:\n    netns: apiguard-test-no-such-ns\n");
        assertThatThrownBy(() -> ApiguardConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage("config error: agent.capture.netns: 'apiguard-test-no-such-ns': no such namespace"
                        + " (/run/netns/apiguard-test-no-such-ns does not exist; see ip netns list)");
    }

    @Test
    void aBadFlagIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "not a namespace");
        for (String command : List.of("agent", "run")) {
            CommandLineValidationTest.Result missing = CommandLineValidationTest.inProcess(command,
                    List.of("--netns", "apiguard-test-no-such-ns", "--listen", "127.0.0.1:0"));
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.err().strip()).isEqualTo("apiguard " + command + ": --netns 'apiguard-test-no-such-ns': no such namespace"
                    + " (/run/netns/apiguard-test-no-such-ns does not exist; see ip netns list)");
            CommandLineValidationTest.Result notNs = CommandLineValidationTest.inProcess(command,
                    List.of("--netns", plain.toString(), "--listen", "127.0.0.1:0"));
            assertThat(notNs.exit()).isEqualTo(2);
            assertThat(notNs.err().strip()).isEqualTo("apiguard " + command + ": --netns '" + plain + "': " + plain
                    + " is not a namespace file (expected /run/netns/NAME or /proc/PID/ns/net)");
        }
    }
}
