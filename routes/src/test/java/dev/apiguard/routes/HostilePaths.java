package dev.apiguard.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Request targets that carry secrets, with the route each must become and the secret (as sent) that
 * must never appear in a label. A data file, so the gateway's and the agent's /metrics scans read the
 * same corpus (from {@code ../routes/src/test/resources/...}).
 */
final class HostilePaths {
    record Case(String target, String route, String secret) {}

    static final Path FILE = Path.of("src/test/resources/dev/apiguard/routes/hostile-paths.tsv");

    private HostilePaths() {}

    static final List<Case> CORPUS = load();

    private static List<Case> load() {
        try {
            return Files.readAllLines(FILE, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\t", -1))
                    .map(f -> new Case(f[0], f[1], f[2]))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
