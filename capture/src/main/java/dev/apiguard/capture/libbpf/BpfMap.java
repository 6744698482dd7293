package dev.apiguard.capture.libbpf;

import java.lang.foreign.MemorySegment;

/** One map of a {@link BpfObject} ({@code struct bpf_map}); freed with its object. */
public record BpfMap(LibBpf bpf, MemorySegment ptr, String name) {

    /** The map's file descriptor (after the object is loaded). */
    public int fd() {
        return bpf.mapFd(ptr);
    }

    /** Before load only. */
    public void setMaxEntries(int maxEntries) throws LibBpfException {
        bpf.setMaxEntries(ptr, maxEntries);
    }

    /** A global data section's content (.rodata...), before load only; its size must match. */
    public void setInitialValue(MemorySegment data) throws LibBpfException {
        bpf.setInitialValue(ptr, data);
    }

    /** Writes one element (created or replaced). */
    public void update(MemorySegment key, MemorySegment value) throws LibBpfException {
        bpf.update(fd(), key, value);
    }

    /** Reads one element into {@code value}; false when the key is absent. */
    public boolean lookup(MemorySegment key, MemorySegment value) throws LibBpfException {
        return bpf.lookup(fd(), key, value);
    }

    /** A queue map: pops its oldest element into {@code value}; false when it is empty. */
    public boolean pop(MemorySegment value) throws LibBpfException {
        return bpf.pop(fd(), value);
    }
}
