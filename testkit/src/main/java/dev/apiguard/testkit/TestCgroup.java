package dev.apiguard.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A cgroup (v2) a test creates under its own slice, such as {@code apiguard-test-1a2b.slice/orders.service},
 * moves processes into, and removes again: the real way a process gets a systemd unit or a neutral
 * cgroup, without systemd. Needs root and a writable cgroup2 mount ({@link RealParts}).
 */
public final class TestCgroup implements AutoCloseable {
    private final Path root;
    private final Path slice;
    private final Path leaf;

    private TestCgroup(Path root, Path slice, Path leaf) {
        this.root = root;
        this.slice = slice;
        this.leaf = leaf;
    }

    /** Creates {@code <cgroup2>/apiguard-test-<random>.slice/<leafName>}. */
    public static TestCgroup create(String leafName) throws IOException {
        RealParts.requireRoot();
        Path root = cgroup2Mount();
        RealParts.require(root != null && Files.isWritable(root), "a writable cgroup2 mount (for a test cgroup)");
        Path slice = Files.createDirectory(root.resolve("apiguard-test-" + UUID.randomUUID().toString().substring(0, 8) + ".slice"));
        Path leaf = Files.createDirectory(slice.resolve(leafName));
        return new TestCgroup(root, slice, leaf);
    }

    /** The path as {@code /proc/PID/cgroup} shows it, e.g. {@code /apiguard-test-1a2b.slice/orders.service}. */
    public String path() {
        return "/" + root.relativize(leaf);
    }

    public void add(long pid) throws IOException {
        Files.writeString(leaf.resolve("cgroup.procs"), Long.toString(pid), StandardCharsets.US_ASCII);
    }

    /** Moves any process still inside back to the root cgroup, then removes the leaf and the slice. */
    @Override
    public void close() throws IOException {
        for (int attempt = 0; attempt < 50 && Files.exists(leaf); attempt++) {
            for (String pid : Files.readAllLines(leaf.resolve("cgroup.procs"))) {
                if (!pid.isBlank()) {
                    try {
                        Files.writeString(root.resolve("cgroup.procs"), pid.strip(), StandardCharsets.US_ASCII);
                    } catch (IOException gone) {
                        // the process exited in between: nothing to move
                    }
                }
            }
            try {
                Files.delete(leaf);
            } catch (IOException busy) {
                sleep(); // a killed process leaves its cgroup a moment after it is reaped
            }
        }
        Files.deleteIfExists(leaf);
        Files.deleteIfExists(slice);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where cgroup2 is mounted ({@code /sys/fs/cgroup}, or {@code /sys/fs/cgroup/unified} on hybrid hosts), or null. */
    static Path cgroup2Mount() throws IOException {
        List<Path> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            int separator = line.indexOf(" - ");
            if (separator < 0) {
                continue;
            }
            String[] after = line.substring(separator + 3).split(" ");
            String[] before = line.substring(0, separator).split(" ");
            if (after.length > 0 && after[0].equals("cgroup2") && before.length > 4) {
                found.add(Path.of(before[4]));
            }
        }
        return found.isEmpty() ? null : found.getFirst();
    }
}
