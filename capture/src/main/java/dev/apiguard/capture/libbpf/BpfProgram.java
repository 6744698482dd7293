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

    /** The program's ELF section (tp_btf/..., uprobe, uretprobe). */
    public String sectionName() {
        return bpf.programSectionName(ptr);
    }

    /** A uprobe program ({@code uprobe}/{@code uretprobe} sections): attached per library file, not at load. */
    public boolean isUprobe() {
        String section = sectionName();
        return section.startsWith("uprobe") || section.startsWith("uretprobe");
    }

    /**
     * Attaches this uprobe program to {@code function} in the ELF file {@code path} (every process
     * that maps that file), at its entry or, with {@code retprobe}, its returns.
     */
    public BpfLink attachUprobe(String path, String function, boolean retprobe) throws LibBpfException {
        return new BpfLink(bpf, bpf.attachUprobe(ptr, -1, path, function, 0, retprobe), name());
    }

    /** Attaches this uprobe program at a file offset of the ELF file {@code path} (every process that maps it). */
    public BpfLink attachUprobeAt(String path, long fileOffset) throws LibBpfException {
        return new BpfLink(bpf, bpf.attachUprobe(ptr, -1, path, null, fileOffset, false), name());
    }

    /** Attaches to the tracepoint {@code category/name}, whatever the section says. */
    public BpfLink attachTracepoint(String category, String name) throws LibBpfException {
        return new BpfLink(bpf, bpf.attachTracepoint(ptr, category, name), name());
    }
}
