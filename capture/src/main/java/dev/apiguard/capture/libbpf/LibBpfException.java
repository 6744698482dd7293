package dev.apiguard.capture.libbpf;

/** A libbpf call failed; the message names the call and the errno. */
public class LibBpfException extends Exception {
    private static final long serialVersionUID = 1L;

    public LibBpfException(String message) {
        super(message);
    }
}
