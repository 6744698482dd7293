package dev.apiguard.app.config;

/** A {@code HOST:PORT} to listen on; loopback unless configured otherwise. */
public record Listen(String host, int port) {
    public static Listen parse(String text, String what) throws ConfigException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new ConfigException(what + ": '" + text + "' is not HOST:PORT (e.g. 127.0.0.1:9464)");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new Listen(host, port);
        } catch (NumberFormatException e) {
            throw new ConfigException(what + ": '" + text + "' has no valid port (0-65535)");
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
