package dev.apiguard.config;

/**
 * A config file that cannot be used: unreadable, not YAML, an unknown key or a bad value. The
 * message is one line in the one format of every apiguard config error:
 * {@code config error: KEY.PATH: what is wrong, got 'VALUE'}. The CLI exits 2 on it.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the dotted key path ({@code gateway.breaker.window}, {@code semantics.rules[0].when}),
     *     or the file name when the whole file is at fault
     * @param problem what is wrong and what is allowed
     */
    public ConfigException(String key, String problem) {
        super("config error: " + key + ": " + problem);
        this.key = key;
    }

    /** The dotted key path (or file) the error is about. */
    public String key() {
        return key;
    }
}
