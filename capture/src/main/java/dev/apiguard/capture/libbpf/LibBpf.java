package dev.apiguard.capture.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * The few libbpf 1.x functions apiguard calls, bound with the FFM API (no JNI). The raw pointers
 * stay in this package: callers hold the typed handles ({@link BpfObject}, {@link BpfProgram},
 * {@link BpfMap}, {@link BpfLink}, {@link RingBuffer}, {@link Btf}).
 *
 * <p>libbpf 1.x returns NULL or a negative number and sets errno; every call that can fail
 * captures errno so that the error message says what the kernel refused.
 */
public final class LibBpf {
    /** Where Debian's libbpf1 installs the library. */
    static final String[] LIBRARY_PATHS = {
        "/usr/lib/x86_64-linux-gnu/libbpf.so.1", "/lib/x86_64-linux-gnu/libbpf.so.1", "/usr/lib64/libbpf.so.1", "/usr/lib/libbpf.so.1"
    };

    private static final Linker LINKER = Linker.nativeLinker();

    private final SymbolLookup lib;
    private final MethodHandle objectOpenMem;
    private final MethodHandle objectLoad;
    private final MethodHandle objectClose;
    private final MethodHandle nextProgram;
    private final MethodHandle programName;
    private final MethodHandle programAttach;
    private final MethodHandle linkDestroy;
    private final MethodHandle findMapByName;
    private final MethodHandle mapFd;
    private final MethodHandle mapSetMaxEntries;
    private final MethodHandle mapSetInitialValue;
    private final MethodHandle mapValueSize;
    private final MethodHandle mapLookupElem;
    private final MethodHandle mapLookupAndDeleteElem;
    private final MethodHandle mapUpdateElem;
    private final MethodHandle numPossibleCpus;
    private final MethodHandle programAttachTracepoint;
    private final MethodHandle objectBtf;
    private final MethodHandle programSectionName;
    private final MethodHandle programAttachUprobeOpts;
    private final MethodHandle btfFindByNameKind;
    private final MethodHandle btfTypeById;
    private final MethodHandle btfNameByOffset;
    private final MethodHandle btfResolveSize;
    private final MethodHandle setPrint;
    private final MethodHandle vsnprintf;

    private LibBpf(SymbolLookup lib) {
        this.lib = lib;
        objectOpenMem = errnoCall("bpf_object__open_mem", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        objectLoad = errnoCall("bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        objectClose = call("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
        nextProgram = call("bpf_object__next_program", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        programName = call("bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programAttach = errnoCall("bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS));
        linkDestroy = call("bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        findMapByName = call("bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        mapFd = call("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapSetMaxEntries = call("bpf_map__set_max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        mapSetInitialValue = call("bpf_map__set_initial_value", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        mapValueSize = call("bpf_map__value_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapLookupElem = errnoCall("bpf_map_lookup_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        mapLookupAndDeleteElem = errnoCall("bpf_map_lookup_and_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        mapUpdateElem = errnoCall("bpf_map_update_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        programAttachTracepoint = errnoCall("bpf_program__attach_tracepoint", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        objectBtf = call("bpf_object__btf", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programSectionName = call("bpf_program__section_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programAttachUprobeOpts = errnoCall("bpf_program__attach_uprobe_opts",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
        btfFindByNameKind = call("btf__find_by_name_kind", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        btfTypeById = call("btf__type_by_id", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        btfNameByOffset = call("btf__name_by_offset", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        btfResolveSize = call("btf__resolve_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));
        numPossibleCpus = call("libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));
        setPrint = call("libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
        vsnprintf = LINKER.downcallHandle(
                LINKER.defaultLookup().find("vsnprintf").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    }

    /** Loads libbpf.so.1, or explains that it is missing. */
    public static LibBpf load() throws LibBpfException {
        for (String candidate : LIBRARY_PATHS) {
            if (Files.exists(Path.of(candidate))) {
                return new LibBpf(SymbolLookup.libraryLookup(Path.of(candidate), Arena.global()));
            }
        }
        throw new LibBpfException("libbpf.so.1 not found (apt-get install libbpf1)");
    }

    /** True when libbpf.so.1 is installed where {@link #load()} looks. */
    public static boolean available() {
        for (String candidate : LIBRARY_PATHS) {
            if (Files.exists(Path.of(candidate))) {
                return true;
            }
        }
        return false;
    }

    private MethodHandle call(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    private MethodHandle errnoCall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, Errno.CAPTURE);
    }

    private MemorySegment symbol(String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException("libbpf lacks " + name + " (need libbpf 1.x)"));
    }

    /** Routes libbpf's log lines (formatted with the C library's vsnprintf) to {@code sink(level, line)}. */
    public void setLogger(BiConsumer<Integer, String> sink) {
        try {
            MethodHandle target = MethodHandles.lookup()
                    .findStatic(LibBpf.class, "printCallback",
                            MethodType.methodType(int.class, LibBpf.class, BiConsumer.class, int.class,
                                    MemorySegment.class, MemorySegment.class))
                    .bindTo(this)
                    .bindTo(sink);
            MemorySegment stub = LINKER.upcallStub(
                    target, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            MemorySegment ignored = (MemorySegment) setPrint.invokeExact(stub);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot install the libbpf logger", e);
        }
    }

    @SuppressWarnings("unused") // called from native code
    private static int printCallback(LibBpf self, BiConsumer<Integer, String> sink, int level, MemorySegment format,
            MemorySegment args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(1024);
            int n = (int) self.vsnprintf.invokeExact(buffer, 1024L, format, args);
            String line = buffer.getString(0).stripTrailing();
            sink.accept(level, line);
            return n;
        } catch (Throwable e) {
            return 0; // never let an exception cross into native code
        }
    }

    // --- objects and programs

    MemorySegment openMem(MemorySegment object) throws LibBpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Errno.STATE);
            MemorySegment obj = (MemorySegment) objectOpenMem.invokeExact(errno, object, object.byteSize(), MemorySegment.NULL);
            if (obj.equals(MemorySegment.NULL)) {
                throw new LibBpfException("bpf_object__open_mem failed: " + Errno.describe(Errno.read(errno)));
            }
            return obj;
        } catch (LibBpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new LibBpfException("bpf_object__open_mem: " + e);
        }
    }

    void load(MemorySegment obj) throws LibBpfException {
        int rc = intCall(objectLoad, "bpf_object__load", obj);
        if (rc < 0) {
            throw new LibBpfException("bpf_object__load failed: " + Errno.describe(-rc)
                    + " (the verifier log above says why; root or CAP_BPF+CAP_PERFMON is required)");
        }
    }

    void close(MemorySegment obj) {
        try {
            objectClose.invokeExact(obj);
        } catch (Throwable ignored) {
            // closing is best effort
        }
    }

    /** The program after {@code previous} (NULL: the first one), or NULL at the end. */
    MemorySegment nextProgram(MemorySegment obj, MemorySegment previous) {
        try {
            return (MemorySegment) nextProgram.invokeExact(obj, previous);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    String programName(MemorySegment program) {
        try {
            MemorySegment name = (MemorySegment) programName.invokeExact(program);
            return name.reinterpret(256).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Attaches where the program's section says (tp_btf/...); returns the link. */
    MemorySegment attach(MemorySegment program) throws LibBpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Errno.STATE);
            MemorySegment link = (MemorySegment) programAttach.invokeExact(errno, program);
            if (link.equals(MemorySegment.NULL)) {
                throw new LibBpfException("attaching " + programName(program) + " failed: " + Errno.describe(Errno.read(errno)));
            }
            return link;
        } catch (LibBpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new LibBpfException("bpf_program__attach: " + e);
        }
    }

    /** Attaches to the tracepoint {@code category/name}, whatever the program's section says. */
    MemorySegment attachTracepoint(MemorySegment program, String category, String name) throws LibBpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Errno.STATE);
            MemorySegment link = (MemorySegment) programAttachTracepoint.invokeExact(errno, program,
                    arena.allocateFrom(category), arena.allocateFrom(name));
            if (link.equals(MemorySegment.NULL)) {
                throw new LibBpfException("attaching " + programName(program) + " to tracepoint " + category + "/" + name
                        + " failed: " + Errno.describe(Errno.read(errno)));
            }
            return link;
        } catch (LibBpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new LibBpfException("bpf_program__attach_tracepoint: " + e);
        }
    }

    String programSectionName(MemorySegment program) {
        try {
            MemorySegment name = (MemorySegment) programSectionName.invokeExact(program);
            return name.reinterpret(256).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * struct bpf_uprobe_opts of libbpf 1.1: sz, ref_ctr_offset, bpf_cookie, retprobe (bool), func_name.
     * The struct carries its own size, so a newer libbpf reads only these fields.
     */
    private static final MemoryLayout UPROBE_OPTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            JAVA_LONG.withName("ref_ctr_offset"),
            JAVA_LONG.withName("bpf_cookie"),
            java.lang.foreign.ValueLayout.JAVA_BOOLEAN.withName("retprobe"),
            MemoryLayout.paddingLayout(7),
            ADDRESS.withName("func_name"));

    /**
     * Attaches a uprobe (or uretprobe) on {@code function} in the ELF file {@code path}, for every
     * process that maps it ({@code pid} -1) or one process. libbpf resolves the symbol's file offset.
     */
    MemorySegment attachUprobe(MemorySegment program, int pid, String path, String function, long offsetInFunction,
            boolean retprobe) throws LibBpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Errno.STATE);
            MemorySegment opts = arena.allocate(UPROBE_OPTS);
            opts.set(JAVA_LONG, 0, UPROBE_OPTS.byteSize());
            opts.set(java.lang.foreign.ValueLayout.JAVA_BOOLEAN, 24, retprobe);
            opts.set(ADDRESS, 32, function == null ? MemorySegment.NULL : arena.allocateFrom(function));
            MemorySegment link = (MemorySegment) programAttachUprobeOpts.invokeExact(errno, program, pid,
                    arena.allocateFrom(path), offsetInFunction, opts);
            if (link.equals(MemorySegment.NULL)) {
                throw new LibBpfException("attaching " + programName(program) + " to " + path + ":" + function
                        + (retprobe ? " (return)" : "") + " failed: " + Errno.describe(Errno.read(errno)));
            }
            return link;
        } catch (LibBpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new LibBpfException("bpf_program__attach_uprobe_opts: " + e);
        }
    }

    void destroyLink(MemorySegment link) {
        try {
            int ignored = (int) linkDestroy.invokeExact(link);
        } catch (Throwable ignored) {
            // best effort on shutdown
        }
    }

    // --- maps

    MemorySegment findMap(MemorySegment obj, String name) throws LibBpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment map = (MemorySegment) findMapByName.invokeExact(obj, arena.allocateFrom(name));
            if (map.equals(MemorySegment.NULL)) {
                throw new LibBpfException("BPF object has no map '" + name + "'");
            }
            return map;
        } catch (LibBpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new LibBpfException("bpf_object__find_map_by_name: " + e);
        }
    }

    int mapFd(MemorySegment map) {
        try {
            return (int) mapFd.invokeExact(map);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    void setMaxEntries(MemorySegment map, int maxEntries) throws LibBpfException {
        try {
            int rc = (int) mapSetMaxEntries.invokeExact(map, maxEntries);
            if (rc < 0) {
                throw new LibBpfException("bpf_map__set_max_entries(" + maxEntries + "): " + Errno.describe(-rc));
            }
        } catch (LibBpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new LibBpfException("bpf_map__set_max_entries: " + e);
        }
    }

    /** Sets a global data section's content (e.g. .rodata) before the object is loaded. */
    void setInitialValue(MemorySegment map, MemorySegment data) throws LibBpfException {
        try {
            int size = (int) mapValueSize.invokeExact(map);
            if (size != data.byteSize()) {
                throw new LibBpfException("BPF data section is " + size + " bytes, expected " + data.byteSize()
                        + " (the object and the Java side disagree on struct agent_config)");
            }
            int rc = (int) mapSetInitialValue.invokeExact(map, data, data.byteSize());
            if (rc < 0) {
                throw new LibBpfException("bpf_map__set_initial_value: " + Errno.describe(-rc));
            }
        } catch (LibBpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new LibBpfException("bpf_map__set_initial_value: " + e);
        }
    }

    /** Reads one element; returns false when the key is absent. */
    boolean lookup(int mapFd, MemorySegment key, MemorySegment value) throws LibBpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Errno.STATE);
            int rc = (int) mapLookupElem.invokeExact(errno, mapFd, key, value);
            if (rc == 0) {
                return true;
            }
            int err = Errno.read(errno);
            if (err == Errno.ENOENT || -rc == Errno.ENOENT) {
                return false;
            }
            throw new LibBpfException("bpf_map_lookup_elem: " + Errno.describe(err));
        } catch (LibBpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new LibBpfException("bpf_map_lookup_elem: " + e);
        }
    }

    /** Pops the oldest element of a queue map into {@code value}; returns false when it is empty. */
    boolean pop(int mapFd, MemorySegment value) throws LibBpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Errno.STATE);
            int rc = (int) mapLookupAndDeleteElem.invokeExact(errno, mapFd, MemorySegment.NULL, value);
            if (rc == 0) {
                return true;
            }
            int err = Errno.read(errno);
            if (err == Errno.ENOENT || -rc == Errno.ENOENT) {
                return false;
            }
            throw new LibBpfException("bpf_map_lookup_and_delete_elem: " + Errno.describe(err));
        } catch (LibBpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new LibBpfException("bpf_map_lookup_and_delete_elem: " + e);
        }
    }

    /** Writes one element (BPF_ANY: created or replaced). */
    void update(int mapFd, MemorySegment key, MemorySegment value) throws LibBpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Errno.STATE);
            int rc = (int) mapUpdateElem.invokeExact(errno, mapFd, key, value, 0L);
            if (rc != 0) {
                throw new LibBpfException("bpf_map_update_elem: " + Errno.describe(Errno.read(errno)));
            }
        } catch (LibBpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new LibBpfException("bpf_map_update_elem: " + e);
        }
    }

    public int possibleCpus() {
        try {
            return (int) numPossibleCpus.invokeExact();
        } catch (Throwable e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    // --- BTF of an object

    /** The object's BTF, or NULL when it has none. Owned by the object. */
    MemorySegment objectBtf(MemorySegment obj) {
        try {
            return (MemorySegment) objectBtf.invokeExact(obj);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The id of the type {@code name} of BTF kind {@code kind}, or a negative errno. */
    int btfFindByNameKind(MemorySegment btf, String name, int kind) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) btfFindByNameKind.invokeExact(btf, arena.allocateFrom(name), kind);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** struct btf_type of {@code id} (zero-length: the caller sizes it), NULL for an unknown id. */
    MemorySegment btfTypeById(MemorySegment btf, int id) {
        try {
            return (MemorySegment) btfTypeById.invokeExact(btf, id);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    String btfName(MemorySegment btf, int nameOffset) {
        try {
            MemorySegment name = (MemorySegment) btfNameByOffset.invokeExact(btf, nameOffset);
            return name.equals(MemorySegment.NULL) ? "" : name.reinterpret(4096).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Size in bytes of type {@code id} (through typedefs, modifiers and arrays), or a negative errno. */
    long btfResolveSize(MemorySegment btf, int id) {
        try {
            return (long) btfResolveSize.invokeExact(btf, id);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static int intCall(MethodHandle handle, String name, MemorySegment arg) throws LibBpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Errno.STATE);
            int rc = (int) handle.invokeExact(errno, arg);
            if (rc < 0 && Errno.read(errno) != 0 && rc == -1) {
                return -Errno.read(errno);
            }
            return rc;
        } catch (Throwable e) {
            throw new LibBpfException(name + ": " + e);
        }
    }

}
