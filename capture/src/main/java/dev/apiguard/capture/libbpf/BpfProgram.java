package dev.apiguard.capture.libbpf;

import java.lang.foreign.MemorySegment;

/** One program of a {@link BpfObject} ({@code struct bpf_program}); freed with its object. */
public record BpfProgram(LibBpf bpf, MemorySegment ptr) {

    public String name() {
        return bpf.programName(ptr);
    }

    /** Attaches where the program's section says (tp_btf/...). Close the link to detach. */
    public BpfLink attach() throws LibBpfException {
        return new BpfLink(bpf, bpf.attach(ptr), name());
    }

    /** Attaches to the tracepoint {@code category/name}, whatever the section says. */
    public BpfLink attachTracepoint(String category, String name) throws LibBpfException {
        return new BpfLink(bpf, bpf.attachTracepoint(ptr, category, name), name());
    }
}
