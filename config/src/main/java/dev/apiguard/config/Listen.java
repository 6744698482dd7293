package dev.apiguard.config;

/**
 * An address to listen on. The one grammar of every listen option, on the command line and in the
 * file: {@code HOST:PORT}, {@code [IPv6]:PORT}, or {@code :PORT} / {@code PORT} for
 * {@value #LOOPBACK} (loopback unless a host is given). The port is 0..65535, 0 for any free one.
 */
public record Listen(String host, int port) {
    public static final String LOOPBACK = "127.0.0.1";
    /** What the grammar allows, for error messages. */
    public static final String GRAMMAR = "HOST:PORT, [IPv6]:PORT, :PORT or PORT (127.0.0.1) with a port within 0..65535";

    public Listen {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a listen address needs a host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535, got " + port);
        }
    }

    /**
     * @throws IllegalArgumentException "must be HOST:PORT, …" when the text does not fit the grammar
     */
    public static Listen parse(String text) {
        String t = text == null ? "" : text.trim();
        String host;
        String port;
        if (t.startsWith("[")) {
            int close = t.indexOf("]:");
            if (close < 2) {
                throw bad();
            }
            host = t.substring(1, close);
            port = t.substring(close + 2);
        } else {
            int colon = t.indexOf(':');
            if (colon != t.lastIndexOf(':')) {
                throw bad(); // an IPv6 address without brackets: the port would be ambiguous
            }
            host = colon < 0 ? "" : t.substring(0, colon);
            port = colon < 0 ? t : t.substring(colon + 1);
        }
        if (host.isEmpty()) {
            host = LOOPBACK;
        }
        if (!host.matches("[A-Za-z0-9.:_%-]+") || !port.matches("[0-9]{1,5}")) {
            throw bad();
        }
        int p = Integer.parseInt(port);
        if (p > 65535) {
            throw bad();
        }
        return new Listen(host, p);
    }

    private static IllegalArgumentException bad() {
        return new IllegalArgumentException("must be " + GRAMMAR);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
