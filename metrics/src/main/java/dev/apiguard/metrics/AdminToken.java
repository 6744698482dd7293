package dev.apiguard.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The bearer token that state-changing admin calls must present. Given directly through
 * {@code APIGUARD_ADMIN_TOKEN}, or kept in a file only its owner can read (mode 0600), generated at
 * first start and reused afterwards.
 */
public final class AdminToken {
    public static final String ENV = "APIGUARD_ADMIN_TOKEN";
    public static final String FILE_NAME = "admin-token";
    /** 32 random bytes: 256 bits, base64url without padding (43 characters). */
    private static final int RANDOM_BYTES = 32;
    /** A token read from a file or the environment must carry at least 128 bits (22 base64 characters). */
    private static final int MIN_LENGTH = 22;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final String value;
    private final byte[] digest;
    private final String where;
    private final Path file;

    private AdminToken(String value, String where, Path file) {
        this.value = value;
        this.digest = sha256(value);
        this.where = where;
        this.file = file;
    }

    /** A fresh random token kept in memory only (embedded gateways, tests). */
    public static AdminToken ephemeral() {
        return new AdminToken(random(), "memory only", null);
    }

    /**
     * The token from {@code APIGUARD_ADMIN_TOKEN} when set, else from {@code file} (or
     * {@link #defaultFile} when null), created there on first use.
     *
     * @throws IOException with one line naming the file when it cannot be read, created, or is
     *     readable by others
     */
    public static AdminToken resolve(Map<String, String> env, Path file) throws IOException {
        String given = env.get(ENV);
        if (given != null && !given.isBlank()) {
            String token = given.strip();
            if (token.length() < MIN_LENGTH) {
                throw new IOException(ENV + " must hold at least " + MIN_LENGTH + " characters (128 bits), got "
                        + token.length());
            }
            return new AdminToken(token, "the " + ENV + " environment variable", null);
        }
        return loadOrCreate(file != null ? expandHome(file) : defaultFile(env));
    }

    /** {@code ~/x} as written in a config file means the user's home. */
    private static Path expandHome(Path file) {
        String text = file.toString();
        return text.equals("~") || text.startsWith("~/") ? Path.of(System.getProperty("user.home") + text.substring(1)) : file;
    }

    /**
     * {@code $XDG_STATE_HOME/apiguard/admin-token} when XDG_STATE_HOME is set; else
     * {@code /var/lib/apiguard/admin-token} for root and {@code ~/.local/state/apiguard/admin-token}
     * for other users.
     */
    public static Path defaultFile(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "apiguard", FILE_NAME);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/apiguard", FILE_NAME);
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "apiguard", FILE_NAME);
    }

    static AdminToken loadOrCreate(Path file) throws IOException {
        file = file.toAbsolutePath();
        if (!Files.exists(file)) {
            try {
                create(file);
            } catch (FileAlreadyExistsException raced) {
                // another apiguard process created it first: use theirs
            }
        }
        return load(file);
    }

    private static AdminToken load(Path file) throws IOException {
        Set<PosixFilePermission> mode;
        String text;
        try {
            mode = Files.getPosixFilePermissions(file);
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IOException("cannot read the admin token file " + file + " (" + e + ")", e);
        }
        if (!OWNER_ONLY.containsAll(mode)) {
            throw new IOException("the admin token file " + file + " is accessible by other users (mode "
                    + PosixFilePermissions.toString(mode) + "); run: chmod 600 " + file);
        }
        if (text.length() < MIN_LENGTH) {
            throw new IOException("the admin token file " + file + " holds fewer than " + MIN_LENGTH
                    + " characters; delete it to get a new token");
        }
        return new AdminToken(text, file.toString(), file);
    }

    /** Writes a new token to a private temporary file, then links it into place (never replaces a file). */
    private static void create(Path file) throws IOException {
        Path dir = file.getParent();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            }
            Path tmp = Files.createTempFile(dir, "." + FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.setPosixFilePermissions(tmp, OWNER_ONLY);
                Files.writeString(tmp, random() + "\n", StandardCharsets.UTF_8);
                Files.createLink(file, tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot create the admin token file " + file + " (" + e
                    + "); set admin.token-file or " + ENV, e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[RANDOM_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Whether {@code presented} is the token. Both sides are hashed first, so the comparison takes
     * the same time whatever the presented length or content.
     */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /** The token itself, for clients in the same process (tests, the CLI's own calls). */
    public String value() {
        return value;
    }

    /** Where the token comes from, for the start-up line: a file path or the environment variable. */
    public String where() {
        return where;
    }

    /** The token file, or null when the token comes from the environment or memory. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "AdminToken[" + where + "]"; // never the value
    }
}
