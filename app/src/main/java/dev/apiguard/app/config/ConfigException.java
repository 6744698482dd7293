package dev.apiguard.app.config;

/** The config file is unreadable or holds an unknown key or a bad value; the message names it. */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
