package dev.apiguard.app.cli;

/** Bad arguments, a broken config file or a failed preflight check: exit code 2 with one clear line. */
public class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
