package dev.apiguard.capture.libbpf;

import java.lang.foreign.MemorySegment;

/** An attached program ({@code struct bpf_link}). Closing it detaches the program. */
public final class BpfLink implements AutoCloseable {
    private final LibBpf bpf;
    private final MemorySegment ptr;
    private final String programName;
    private boolean closed;

    BpfLink(LibBpf bpf, MemorySegment ptr, String programName) {
        this.bpf = bpf;
        this.ptr = ptr;
        this.programName = programName;
    }

    public String programName() {
        return programName;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bpf.destroyLink(ptr);
        }
    }
}
