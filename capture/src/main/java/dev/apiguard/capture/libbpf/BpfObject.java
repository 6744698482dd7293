package dev.apiguard.capture.libbpf;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * An opened BPF object ({@code struct bpf_object}). Closing it unloads its programs and frees its
 * maps; its {@link BpfProgram}s, {@link BpfMap}s and {@link Btf} belong to it and die with it.
 * Links and ring buffers made from it are separate handles: close them first.
 */
public final class BpfObject implements AutoCloseable {
    private final LibBpf bpf;
    private final MemorySegment ptr;
    private boolean closed;

    private BpfObject(LibBpf bpf, MemorySegment ptr) {
        this.bpf = bpf;
        this.ptr = ptr;
    }

    /** Parses an ELF image (which must stay readable until close). Nothing is loaded yet. */
    public static BpfObject open(LibBpf bpf, MemorySegment image) throws LibBpfException {
        return new BpfObject(bpf, bpf.openMem(image));
    }

    /** Loads every program and creates every map in the kernel (runs the verifier). */
    public void load() throws LibBpfException {
        bpf.load(ptr);
    }

    public BpfMap map(String name) throws LibBpfException {
        return new BpfMap(bpf, bpf.findMap(ptr, name), name);
    }

    /** The programs, in the object's order. */
    public List<BpfProgram> programs() {
        List<BpfProgram> programs = new ArrayList<>();
        for (MemorySegment p = bpf.nextProgram(ptr, MemorySegment.NULL); !p.equals(MemorySegment.NULL); p = bpf.nextProgram(ptr, p)) {
            programs.add(new BpfProgram(bpf, p));
        }
        return programs;
    }

    /** The type information compiled into the object (clang -g). */
    public Btf btf() throws LibBpfException {
        MemorySegment btf = bpf.objectBtf(ptr);
        if (btf.equals(MemorySegment.NULL)) {
            throw new LibBpfException("the BPF object carries no BTF (it must be compiled with clang -g)");
        }
        return new Btf(bpf, btf);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bpf.close(ptr);
        }
    }
}
