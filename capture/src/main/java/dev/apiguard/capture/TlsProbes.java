package dev.apiguard.capture;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.apiguard.capture.libbpf.BpfLink;
import dev.apiguard.capture.libbpf.BpfMap;
import dev.apiguard.capture.libbpf.BpfProgram;
import dev.apiguard.capture.libbpf.LibBpfException;

/**
 * Attaches the TLS probes (uprobes, see apiguard.bpf.c) to every TLS library file the node's
 * processes use: once per distinct file (device and inode: a uprobe is per file, so one attach
 * covers every process that maps it, now or later).
 *
 * <p>Where the files are: the distribution's default paths (so that processes started later with
 * the system libssl are covered from the start), the {@code libssl}/{@code libgnutls} files mapped
 * in each process ({@code /proc/PID/maps}, reached through {@code /proc/PID/root} so that a process
 * in another mount namespace, e.g. a container, gets its own copy attached), and executables that
 * define {@code SSL_read}/{@code SSL_write} themselves (Node.js). A process that execs is scanned at
 * the next poll: the kernel queues its pid (the {@code sched_process_exec} tracepoint, which fires
 * once per exec). Besides, {@code /proc} is rescanned from the polling thread ({@link #rescanIfDue}),
 * and a process's maps are read on its first {@link #SCANS_PER_PROCESS} rescans after it started or
 * exec'd (a library loaded with dlopen, e.g. Python's {@code import ssl}, appears after the exec).
 * Not thread-safe: the capture's polling thread only.
 */
final class TlsProbes implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("apiguard.capture");
    static final int SCANS_PER_PROCESS = 3;
    /** Execs handled per poll at most: a burst beyond it waits for the next poll, still queued. */
    static final int EXECS_PER_POLL = 256;
    static final String GO_READ = "crypto/tls.(*Conn).Read";
    static final String GO_WRITE = "crypto/tls.(*Conn).Write";
    static final String GO_HANDSHAKE = "crypto/tls.(*Conn).handshakeContext";
    private static final Pattern LIBRARY = Pattern.compile("lib(ssl|gnutls)\\.so(?:\\.([0-9][0-9.]*))?");
    static final List<String> DEFAULT_PATHS = List.of(
            "/usr/lib/x86_64-linux-gnu/libssl.so.3",
            "/usr/lib/x86_64-linux-gnu/libssl.so.1.1",
            "/usr/lib/x86_64-linux-gnu/libgnutls.so.30",
            "/lib/x86_64-linux-gnu/libssl.so.3",
            "/usr/lib64/libssl.so.3",
            "/usr/lib64/libgnutls.so.30");

    /** A TLS library's read and write functions, each with the entry program that saves its arguments. */
    enum Library {
        OPENSSL("OpenSSL", List.of(
                new Function("SSL_read", "tls_read_enter", true),
                new Function("SSL_write", "tls_write_enter", true),
                new Function("SSL_read_ex", "tls_read_ex_enter", false),
                new Function("SSL_write_ex", "tls_write_ex_enter", false))),
        GNUTLS("GnuTLS", List.of(
                new Function("gnutls_record_recv", "tls_recv_enter", true),
                new Function("gnutls_record_send", "tls_send_enter", true))),
        /** Go's crypto/tls, attached by offsets (see goBinary), not by these entries. */
        GO("Go", List.of());

        final String displayName;
        final List<Function> functions;

        Library(String displayName, List<Function> functions) {
            this.displayName = displayName;
            this.functions = functions;
        }
    }

    /** @param required without it the file is skipped (the _ex forms exist from OpenSSL 1.1.1 on) */
    record Function(String symbol, String entryProgram, boolean required) {}

    /** A file the probes are attached to. */
    record Attached(String path, Library library, String version, List<String> functions) {
        @Override
        public String toString() {
            return library.displayName + " " + version + " " + path + " (" + String.join(", ", functions) + ")";
        }
    }

    /** A file found and not attached, with the reason. */
    record Skipped(String path, String reason) {
        @Override
        public String toString() {
            return path + ": " + reason;
        }
    }

    private final Map<String, BpfProgram> programs;
    private final BpfMap bioTgids; // processes whose TLS does its socket I/O outside the TLS calls
    private final BpfMap execTgids; // queue: processes that exec'd since the last poll
    private final String ownMountNamespace;
    private final Set<String> bioExecutables = new HashSet<>(); // dev:ino of attached executables (Node.js)
    private final BpfProgram returnProgram;
    private final long selfPid = ProcessHandle.current().pid();
    private final long rescanNanos;
    private final List<BpfLink> links = new ArrayList<>();
    private final Set<String> filesSeen = new HashSet<>(); // dev:ino of every file looked at
    private final Map<String, Integer> processScans = new HashMap<>(); // pid:starttime -> maps read
    private final List<Attached> attached = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private long lastScan;
    private int strippedGo;

    TlsProbes(List<BpfProgram> objectPrograms, BpfMap bioTgids, BpfMap execTgids, long rescanMillis) throws CaptureException {
        this.bioTgids = bioTgids;
        this.execTgids = execTgids;
        this.ownMountNamespace = mountNamespace(Path.of("/proc/self"));
        this.programs = new HashMap<>();
        for (BpfProgram program : objectPrograms) {
            programs.put(program.name(), program);
        }
        this.returnProgram = programs.get("tls_return");
        if (returnProgram == null) {
            throw new CaptureException("capture: the BPF object has no tls_return program");
        }
        this.rescanNanos = rescanMillis * 1_000_000L;
    }

    /** The first scan: default paths, then every process. */
    void scanAll() {
        for (String path : DEFAULT_PATHS) {
            Path file = Path.of(path);
            if (Files.isRegularFile(file)) {
                library(file, path, file.getFileName().toString());
            }
        }
        scanProcesses();
        lastScan = System.nanoTime();
    }

    /** Scans the processes that exec'd since the last call, then rescans /proc when the last scan is older than the rescan interval. */
    void rescanIfDue() {
        scanExecs();
        long now = System.nanoTime();
        if (rescanNanos <= 0 || now - lastScan < rescanNanos) {
            return;
        }
        lastScan = now;
        scanProcesses();
    }

    private void scanExecs() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            for (int i = 0; i < EXECS_PER_POLL && execTgids.pop(value); i++) {
                long pid = Integer.toUnsignedLong(value.get(ValueLayout.JAVA_INT, 0));
                if (pid == selfPid) {
                    continue;
                }
                Path dir = Path.of("/proc", Long.toString(pid));
                // A new executable: its maps are read again from the start (same pid, same start time).
                processScans.put(pid + ":" + startTime(dir), 1);
                scanProcess(dir, pid, true);
            }
        } catch (LibBpfException e) {
            LOG.log(System.Logger.Level.WARNING, "tls: cannot read the exec queue: " + e.getMessage());
        }
    }

    /** How many times the process's maps were read since it started or last exec'd. */
    int scansOf(long pid) {
        Path dir = Path.of("/proc", Long.toString(pid));
        return processScans.getOrDefault(pid + ":" + startTime(dir), 0);
    }

    List<Attached> attached() {
        return List.copyOf(attached);
    }

    List<Skipped> skipped() {
        return List.copyOf(skipped);
    }

    int links() {
        return links.size();
    }

    private void scanProcesses() {
        Set<String> alive = new HashSet<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> isNumber(p.getFileName().toString()))) {
            for (Path dir : proc) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid == selfPid) {
                    continue; // never our own TLS (the kernel side filters our tgid as well)
                }
                String key = pid + ":" + startTime(dir);
                alive.add(key);
                int scans = processScans.getOrDefault(key, 0);
                if (scans >= SCANS_PER_PROCESS) {
                    continue;
                }
                processScans.put(key, scans + 1);
                scanProcess(dir, pid, scans == 0);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "tls: cannot list /proc: " + e.getMessage());
        }
        processScans.keySet().retainAll(alive); // bounded by the node's processes
    }

    private void scanProcess(Path dir, long pid, boolean first) {
        if (first) {
            executable(dir, pid);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve("maps"));
        } catch (IOException | SecurityException e) {
            return; // the process ended, or a kernel thread
        }
        Set<String> paths = new LinkedHashSet<>();
        for (String line : lines) {
            int slash = line.indexOf(" /");
            if (slash < 0) {
                continue;
            }
            String path = line.substring(slash + 1).trim();
            if (path.endsWith(" (deleted)")) {
                continue; // replaced on disk (an upgrade): the process keeps the old file, unreachable by path
            }
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (LIBRARY.matcher(name).matches()) {
                paths.add(path);
            }
        }
        // A path in another mount namespace (a container) may name another file than here: say whose.
        String ns = paths.isEmpty() ? null : mountNamespace(dir);
        String where = ns == null || ns.equals(ownMountNamespace) ? "" : " (mount namespace of pid " + pid + ")";
        for (String path : paths) {
            library(dir.resolve("root").resolve(path.substring(1)), path + where, path.substring(path.lastIndexOf('/') + 1));
        }
    }

    /**
     * An executable that carries its own OpenSSL (Node.js): attached when it defines SSL_read and
     * SSL_write. Its processes are listed to the kernel as doing their TLS socket I/O outside the
     * TLS calls (Node's memory BIOs), so their sessions are joined by each thread's last socket read.
     */
    private void executable(Path dir, long pid) {
        Path exe = dir.resolve("exe");
        String id = fileId(exe);
        if (id == null) {
            return;
        }
        if (bioExecutables.contains(id)) {
            registerBio(pid);
            return;
        }
        if (!filesSeen.add(id)) {
            return;
        }
        Set<String> defined;
        try {
            Set<String> wanted = new HashSet<>();
            Library.OPENSSL.functions.forEach(f -> wanted.add(f.symbol()));
            defined = ElfSymbols.defined(exe, wanted);
        } catch (IOException | SecurityException e) {
            return;
        }
        String shown;
        try {
            shown = Files.readSymbolicLink(exe).toString();
        } catch (IOException e) {
            shown = exe.toString();
        }
        if (!defined.contains("SSL_read") || !defined.contains("SSL_write")) {
            goBinary(exe, shown); // most executables: no TLS library of their own
            return;
        }
        if (attach(exe, shown, Library.OPENSSL, "statically linked in " + shown.substring(shown.lastIndexOf('/') + 1), defined)) {
            bioExecutables.add(id);
            registerBio(pid);
        }
    }

    /**
     * A Go executable using crypto/tls: entry probes on (*Conn).Read and .Write, and a probe on each
     * of their RET instructions (found by decoding the function, see X86Returns). Symbols come from
     * .symtab: a stripped Go binary cannot be probed, and is reported once and counted.
     */
    private void goBinary(Path exe, String shown) {
        ElfSymbols.FunctionCode read;
        ElfSymbols.FunctionCode write;
        try {
            read = ElfSymbols.function(exe, GO_READ);
            write = ElfSymbols.function(exe, GO_WRITE);
            if (read == null || write == null) {
                ElfSymbols.Kind kind = ElfSymbols.kind(exe);
                if (kind.go() && !kind.symtab()) {
                    strippedGo++;
                    skip(shown, "stripped Go binary (no .symtab): its crypto/tls cannot be located");
                }
                return;
            }
        } catch (IOException | SecurityException e) {
            return;
        }
        List<Integer> readReturns = X86Returns.find(read.code()).orElse(List.of());
        List<Integer> writeReturns = X86Returns.find(write.code()).orElse(List.of());
        if (readReturns.isEmpty() || writeReturns.isEmpty()) {
            skip(shown, "Go crypto/tls: the RET instructions of (*Conn).Read/Write could not be decoded");
            return;
        }
        BpfProgram readEnter = programs.get("go_tls_read_enter");
        BpfProgram writeEnter = programs.get("go_tls_write_enter");
        BpfProgram goReturn = programs.get("go_tls_return");
        List<BpfLink> mine = new ArrayList<>();
        try {
            mine.add(readEnter.attachUprobeAt(exe.toString(), read.fileOffset()));
            for (int ret : readReturns) {
                mine.add(goReturn.attachUprobeAt(exe.toString(), read.fileOffset() + ret));
            }
            mine.add(writeEnter.attachUprobeAt(exe.toString(), write.fileOffset()));
            for (int ret : writeReturns) {
                mine.add(goReturn.attachUprobeAt(exe.toString(), write.fileOffset() + ret));
            }
        } catch (LibBpfException e) {
            mine.reversed().forEach(BpfLink::close);
            skip(shown, e.getMessage());
            return;
        }
        List<String> functions = new ArrayList<>(List.of(GO_READ + " (" + readReturns.size() + " RET)",
                GO_WRITE + " (" + writeReturns.size() + " RET)"));
        // The handshake: optional (its name is internal to crypto/tls), joins sessions whose first
        // record the handshake read along with its own.
        try {
            ElfSymbols.FunctionCode handshake = ElfSymbols.function(exe, GO_HANDSHAKE);
            List<Integer> handshakeReturns = handshake == null ? List.of() : X86Returns.find(handshake.code()).orElse(List.of());
            if (!handshakeReturns.isEmpty()) {
                List<BpfLink> more = new ArrayList<>();
                try {
                    more.add(programs.get("go_tls_handshake_enter").attachUprobeAt(exe.toString(), handshake.fileOffset()));
                    for (int ret : handshakeReturns) {
                        more.add(programs.get("go_tls_handshake_return").attachUprobeAt(exe.toString(), handshake.fileOffset() + ret));
                    }
                    mine.addAll(more);
                    functions.add(GO_HANDSHAKE + " (" + handshakeReturns.size() + " RET)");
                } catch (LibBpfException e) {
                    more.reversed().forEach(BpfLink::close);
                    LOG.log(System.Logger.Level.INFO, "tls: " + shown + ": " + GO_HANDSHAKE + " not probed: " + e.getMessage());
                }
            }
        } catch (IOException | SecurityException e) {
            LOG.log(System.Logger.Level.INFO, "tls: " + shown + ": " + GO_HANDSHAKE + " not probed: " + e.getMessage());
        }
        links.addAll(mine);
        Attached a = new Attached(shown, Library.GO, "crypto/tls", List.copyOf(functions));
        attached.add(a);
        LOG.log(System.Logger.Level.INFO, "tls: attached " + a);
    }

    /** Stripped Go binaries seen (no .symtab: crypto/tls not probed). */
    int strippedGoBinaries() {
        return strippedGo;
    }

    private void registerBio(long pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(ValueLayout.JAVA_INT);
            key.set(ValueLayout.JAVA_INT, 0, (int) pid);
            MemorySegment value = arena.allocate(ValueLayout.JAVA_BYTE);
            value.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
            bioTgids.update(key, value);
        } catch (LibBpfException e) {
            LOG.log(System.Logger.Level.WARNING, "tls: cannot list process " + pid + " for memory-BIO joining: " + e.getMessage());
        }
    }

    private void library(Path file, String shown, String name) {
        Matcher m = LIBRARY.matcher(name);
        if (!m.matches()) {
            return;
        }
        String id = fileId(file);
        if (id == null || !filesSeen.add(id)) {
            return;
        }
        Library library = m.group(1).equals("ssl") ? Library.OPENSSL : Library.GNUTLS;
        String version = m.group(2) == null ? "(unversioned)" : m.group(2);
        Set<String> wanted = new HashSet<>();
        library.functions.forEach(f -> wanted.add(f.symbol()));
        Set<String> defined;
        try {
            defined = ElfSymbols.defined(file, wanted);
        } catch (IOException | SecurityException e) {
            skip(shown, "unreadable: " + e.getMessage());
            return;
        }
        attach(file, shown, library, version, defined);
    }

    /** True when attached. */
    private boolean attach(Path file, String shown, Library library, String version, Set<String> defined) {
        for (Function f : library.functions) {
            if (f.required() && !defined.contains(f.symbol())) {
                skip(shown, "no " + f.symbol() + " symbol");
                return false;
            }
        }
        List<BpfLink> mine = new ArrayList<>();
        List<String> functions = new ArrayList<>();
        try {
            for (Function f : library.functions) {
                if (!defined.contains(f.symbol())) {
                    continue;
                }
                BpfProgram entry = programs.get(f.entryProgram());
                mine.add(entry.attachUprobe(file.toString(), f.symbol(), false));
                mine.add(returnProgram.attachUprobe(file.toString(), f.symbol(), true));
                functions.add(f.symbol());
            }
        } catch (LibBpfException e) {
            mine.reversed().forEach(BpfLink::close);
            skip(shown, e.getMessage());
            return false;
        }
        links.addAll(mine);
        Attached a = new Attached(shown, library, version, List.copyOf(functions));
        attached.add(a);
        LOG.log(System.Logger.Level.INFO, "tls: attached " + a);
        return true;
    }

    private void skip(String path, String reason) {
        Skipped s = new Skipped(path, reason);
        if (skipped.size() < 1000) {
            skipped.add(s);
        }
        LOG.log(System.Logger.Level.INFO, "tls: skipped " + s);
    }

    /** device:inode of the file (following symlinks), or null when it cannot be read. */
    private static String fileId(Path file) {
        try {
            Object dev = Files.getAttribute(file, "unix:dev");
            Object ino = Files.getAttribute(file, "unix:ino");
            return dev + ":" + ino;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** The mount namespace of the process at {@code dir} (/proc/PID), as its ns link reads, or null. */
    private static String mountNamespace(Path dir) {
        try {
            return Files.readSymbolicLink(dir.resolve("ns/mnt")).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** Field 22 of /proc/PID/stat: tells a reused pid from the process it had before. */
    private static String startTime(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields.length > 19 ? fields[19] : "?";
        } catch (NoSuchFileException e) {
            return "gone";
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Detaches every probe. */
    @Override
    public void close() {
        for (BpfLink link : links.reversed()) {
            link.close();
        }
        links.clear();
    }
}
