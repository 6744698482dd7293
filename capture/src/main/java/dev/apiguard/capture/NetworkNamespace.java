package dev.apiguard.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Resolves {@code --netns NAME|PATH} to the namespace's inode, the number the kernel keeps in
 * {@code net->ns.inum} and the BPF socket filter compares with. NAME is an iproute2 name
 * ({@code /run/netns/NAME}); PATH any nsfs file, e.g. {@code /proc/PID/ns/net}.
 */
public final class NetworkNamespace {
    /** Where {@code ip netns add NAME} mounts a namespace. */
    public static final Path IPROUTE2_DIR = Path.of("/run/netns");
    private static final Path OWN = Path.of("/proc/self/ns/net");

    private NetworkNamespace() {}

    /** The path a NAME or PATH stands for: a value with a slash is a path. */
    public static Path path(String nameOrPath) {
        if (nameOrPath.contains("/")) {
            return Path.of(nameOrPath);
        }
        if (nameOrPath.isEmpty() || nameOrPath.equals(".") || nameOrPath.equals("..")) {
            throw new IllegalArgumentException("needs a namespace name (ip netns list) or an nsfs path, got '"
                    + nameOrPath + "'");
        }
        return IPROUTE2_DIR.resolve(nameOrPath);
    }

    /**
     * The inode of the network namespace at {@code nameOrPath} (following symlinks, as stat does).
     *
     * @throws IllegalArgumentException one line, when the path is missing or is not a namespace file
     */
    public static long inode(String nameOrPath) {
        Path path = path(nameOrPath);
        try {
            Object device = Files.getAttribute(path, "unix:dev");
            // Every namespace file lives on the one nsfs superblock: the same device as our own.
            if (!device.equals(Files.getAttribute(OWN, "unix:dev")) || Files.isDirectory(path)) {
                throw new IllegalArgumentException("'" + nameOrPath + "': " + path
                        + " is not a namespace file (expected /run/netns/NAME or /proc/PID/ns/net)");
            }
            long inode = ((Number) Files.getAttribute(path, "unix:ino")).longValue();
            if (inode <= 0 || inode > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("'" + nameOrPath + "': inode " + inode + " is not a namespace number");
            }
            return inode;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("'" + nameOrPath + "': no such namespace (" + path
                    + " does not exist; see ip netns list)");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("'" + nameOrPath + "': cannot stat " + path + ": " + e.getMessage());
        }
    }
}
