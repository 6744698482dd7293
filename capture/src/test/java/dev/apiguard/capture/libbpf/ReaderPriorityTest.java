package dev.apiguard.capture.libbpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** The nice value is set for the calling thread only, as the kernel reports it in /proc. */
class ReaderPriorityTest {

    @Test
    void setsTheCallingThreadsNiceValueAndNoOtherThreads() throws Exception {
        AtomicReference<String> failure = new AtomicReference<>("not run");
        AtomicReference<Integer> seen = new AtomicReference<>();
        // Raising the nice value (a lower priority) needs no privilege.
        Thread thread = Thread.ofPlatform().start(() -> {
            failure.set(ReaderPriority.setForCurrentThread(7));
            seen.set(nice(Path.of("/proc/thread-self/stat")));
        });
        thread.join(10_000);
        assertThat(failure.get()).isNull();
        assertThat(seen.get()).isEqualTo(7);
        assertThat(nice(Path.of("/proc/thread-self/stat"))).isNotEqualTo(7);
    }

    /** Field 19 of stat, counted after the command name's closing parenthesis (the name may hold spaces). */
    private static int nice(Path stat) {
        try {
            String text = Files.readString(stat);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[19 - 3]);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
