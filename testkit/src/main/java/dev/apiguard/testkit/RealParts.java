package dev.apiguard.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards the real parts a test needs (root, a binary, a kernel feature).
 *
 * <p>Outside CI a missing part skips the test with a reason. With {@code CI=true} it fails it, so a
 * green CI run always means the real part ran.
 */
public final class RealParts {
    private RealParts() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (locally) or fails (in CI) unless {@code available}. */
    public static void require(boolean available, String what) {
        if (available) {
            return;
        }
        String message = "real part missing: " + what;
        if (inCi()) {
            Assertions.fail(message + " (CI=true: a skipped real part is a failure)");
        }
        Assumptions.abort(message);
    }

    public static void requireRoot() {
        require("root".equals(System.getProperty("user.name")), "root (eBPF needs it)");
    }

    /** Requires an executable and returns its path. */
    public static Path requireBinary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin"}) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        require(false, "executable '" + name + "' on PATH (scripts/install-deps.sh installs it)");
        return null;
    }
}
