package dev.apiguard.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * {@link ServiceIdentity#fromProc}: derives a process's service from {@code /proc/PID/environ},
 * {@code /proc/PID/cgroup} and {@code /proc/PID/cmdline}, and remembers it per pid.
 *
 * <p>A remembered pid is checked against its start time ({@code /proc/PID/stat}) at most once a
 * second, so a reused pid is renamed without a file read per connection; and every
 * {@value #SWEEP_SECONDS} s the entries of processes that exited are dropped. Files that cannot be read
 * (the process exited, no permission) just move on to the next source: the comm is always there.
 */
final class ProcServiceIdentity implements ServiceIdentity {
    private static final System.Logger LOG = System.getLogger("apiguard.http");
    static final int MAX_NAME_CHARS = 64;
    static final int CONTAINER_ID_CHARS = 12;
    private static final int MAX_FILE_BYTES = 256 * 1024;
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SWEEP_SECONDS = 30;
    private static final List<String> ENV_KEYS = List.of("OTEL_SERVICE_NAME=", "SERVICE_NAME=");
    /** Java options whose value is the next argument (so it is not the main class). */
    private static final Set<String> JAVA_OPTIONS_WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
            "--module-path", "--upgrade-module-path", "--add-modules", "--add-opens", "--add-exports", "--add-reads",
            "--patch-module", "--limit-modules", "--enable-native-access");
    private static final Set<String> PYTHON_OPTIONS_WITH_VALUE = Set.of("-W", "-X", "--check-hash-based-pycs");
    private static final Set<String> NODE_OPTIONS_WITH_VALUE = Set.of("-r", "--require", "--import", "--loader",
            "--experimental-loader", "--inspect-port", "--title", "--env-file");
    private static final Set<String> RUBY_OPTIONS_WITH_VALUE = Set.of("-I", "-r", "-C", "-E", "--encoding");

    private record Known(long startTime, String name, long checkedAt) {}

    private final Path proc;
    private final Map<String, String> names;
    private final int maxEntries;
    private final LongSupplier clock;
    private final LinkedHashMap<Integer, Known> byPid;
    private final AtomicLongArray bySource = new AtomicLongArray(Source.values().length);
    private final LongAdder overflows = new LongAdder();
    private final LongAdder reused = new LongAdder();
    private final LongAdder unreadable = new LongAdder();
    private long nextSweep;

    ProcServiceIdentity(Path proc, Map<String, String> names, int maxEntries, LongSupplier clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("max cached pids must be at least 1, got " + maxEntries);
        }
        this.proc = proc;
        this.names = Map.copyOf(names);
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.nextSweep = clock.getAsLong() + TimeUnit.SECONDS.toNanos(SWEEP_SECONDS);
        this.byPid = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Known> eldest) {
                if (size() <= ProcServiceIdentity.this.maxEntries) {
                    return false;
                }
                overflows.increment();
                return true;
            }
        };
    }

    @Override
    public String serviceOf(int pid, String comm) {
        String mapped = comm == null ? null : names.get(comm);
        if (mapped != null) {
            bySource.incrementAndGet(Source.CONFIG.ordinal());
            return mapped;
        }
        if (pid <= 0) {
            return fallback(comm);
        }
        long now = clock.getAsLong();
        if (now - nextSweep >= 0) {
            sweep();
            nextSweep = now + TimeUnit.SECONDS.toNanos(SWEEP_SECONDS);
        }
        Known cached = byPid.get(pid);
        if (cached != null && now - cached.checkedAt < RECHECK_NANOS) {
            return cached.name;
        }
        long startTime = startTime(pid);
        if (cached != null) {
            if (startTime == cached.startTime && startTime >= 0) {
                byPid.put(pid, new Known(startTime, cached.name, now));
                return cached.name;
            }
            reused.increment();
            byPid.remove(pid);
        }
        if (startTime < 0) {
            return fallback(comm); // gone already: nothing to remember
        }
        String name = derive(pid, comm);
        byPid.put(pid, new Known(startTime, name, now));
        return name;
    }

    @Override
    public Stats stats() {
        Map<Source, Long> sources = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            sources.put(s, bySource.get(s.ordinal()));
        }
        return new Stats(sources, overflows.sum(), reused.sum(), unreadable.sum());
    }

    /** Entries remembered now (for tests). */
    int cachedPids() {
        return byPid.size();
    }

    private String fallback(String comm) {
        bySource.incrementAndGet(Source.COMM.ordinal());
        return comm == null || comm.isEmpty() ? PortLearningServiceNamer.UNKNOWN : comm;
    }

    private String derive(int pid, String comm) {
        Path dir = proc.resolve(Integer.toString(pid));
        String name = fromEnvironment(read(dir.resolve("environ")));
        Source source = Source.ENV;
        if (name == null) {
            String cgroup = readText(dir.resolve("cgroup"));
            name = systemdUnit(cgroup);
            source = Source.SYSTEMD;
            if (name == null) {
                name = containerId(cgroup);
                source = Source.CONTAINER;
            }
        }
        if (name == null) {
            name = fromCommandLine(arguments(read(dir.resolve("cmdline"))));
            source = Source.CMDLINE;
        }
        if (name == null) {
            return fallback(comm);
        }
        String renamed = names.get(name);
        if (renamed != null) {
            bySource.incrementAndGet(Source.CONFIG.ordinal());
            return renamed;
        }
        bySource.incrementAndGet(source.ordinal());
        return name;
    }

    /** Drops the entries of processes that exited. */
    private void sweep() {
        byPid.keySet().removeIf(pid -> !Files.exists(proc.resolve(Integer.toString(pid))));
    }

    /** Field 22 of {@code /proc/PID/stat} (start time in clock ticks since boot), or -1 when unreadable. */
    long startTime(int pid) {
        String stat = readText(proc.resolve(Integer.toString(pid)).resolve("stat"));
        int close = stat == null ? -1 : stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        // After "pid (comm)": field 3 (state) is the first; the start time is field 22.
        String[] fields = stat.substring(close + 2).split(" ");
        if (fields.length < 20) {
            return -1;
        }
        try {
            return Long.parseLong(fields[19]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String fromEnvironment(byte[] environ) {
        if (environ == null) {
            return null;
        }
        for (String key : ENV_KEYS) {
            for (String variable : arguments(environ)) {
                if (variable.startsWith(key)) {
                    String value = clean(variable.substring(key.length()));
                    if (value != null) {
                        return value;
                    }
                }
            }
        }
        return null;
    }

    /** The innermost systemd service of the v2 (or v1 name=systemd) hierarchy, without {@code .service}. */
    static String systemdUnit(String cgroup) {
        for (String path : hierarchies(cgroup)) {
            String[] parts = path.split("/");
            for (int i = parts.length - 1; i >= 0; i--) {
                String part = parts[i];
                if (part.endsWith(".service") && !part.startsWith("user@")) {
                    return clean(part.substring(0, part.length() - ".service".length()));
                }
            }
        }
        return null;
    }

    /**
     * A container's short id: scopes {@code docker-ID.scope}, {@code cri-containerd-ID.scope},
     * {@code crio-ID.scope}, {@code libpod-ID.scope}, or a bare 64-hex directory ({@code /docker/ID},
     * {@code /kubepods/.../ID}).
     */
    static String containerId(String cgroup) {
        for (String path : hierarchies(cgroup)) {
            String[] parts = path.split("/");
            for (int i = parts.length - 1; i >= 0; i--) {
                String part = parts[i];
                if (part.endsWith(".scope")) {
                    part = part.substring(0, part.length() - ".scope".length());
                    int dash = part.lastIndexOf('-');
                    String runtime = dash < 0 ? "" : part.substring(0, dash);
                    if (runtime.equals("docker") || runtime.equals("cri-containerd") || runtime.equals("crio")
                            || runtime.equals("libpod") || runtime.equals("containerd")) {
                        part = part.substring(dash + 1);
                    } else {
                        continue;
                    }
                }
                if (part.length() == 64 && isHex(part)) {
                    return part.substring(0, CONTAINER_ID_CHARS);
                }
            }
        }
        return null;
    }

    /**
     * The cgroup path worth reading: the v2 one ({@code 0::}) unless it is the root, else v1's
     * {@code name=systemd} (hybrid hosts where systemd tracks services in v1 only).
     */
    private static List<String> hierarchies(String cgroup) {
        List<String> paths = new ArrayList<>(1);
        if (cgroup == null) {
            return paths;
        }
        String unified = null;
        String systemd = null;
        for (String line : cgroup.split("\n")) {
            if (line.startsWith("0::")) {
                unified = line.substring(3).strip();
            } else if (line.contains(":name=systemd:")) {
                systemd = line.substring(line.indexOf(":name=systemd:") + ":name=systemd:".length()).strip();
            }
        }
        if (unified != null && !unified.equals("/")) {
            paths.add(unified);
        } else if (systemd != null) {
            paths.add(systemd);
        }
        return paths;
    }

    /**
     * A JVM's {@code -jar} file or main class, or the script (or {@code -m} module) of a python, node
     * or ruby interpreter; null for anything else.
     */
    static String fromCommandLine(List<String> argv) {
        if (argv.isEmpty()) {
            return null;
        }
        String program = baseName(argv.get(0));
        if (program.equals("java")) {
            return javaMain(argv);
        }
        Set<String> withValue;
        if (program.startsWith("python") || program.equals("pypy") || program.equals("pypy3")) {
            withValue = PYTHON_OPTIONS_WITH_VALUE;
        } else if (program.equals("node") || program.equals("nodejs") || program.equals("bun") || program.equals("deno")) {
            withValue = NODE_OPTIONS_WITH_VALUE;
        } else if (program.equals("ruby")) {
            withValue = RUBY_OPTIONS_WITH_VALUE;
        } else {
            return null;
        }
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("-c") || arg.equals("-e") || arg.equals("--eval") || arg.equals("-")) {
                return null; // inline code or stdin: no script to name it by
            }
            if (arg.equals("-m") && withValue == PYTHON_OPTIONS_WITH_VALUE && i + 1 < argv.size()) {
                return clean(argv.get(i + 1));
            }
            if (withValue.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-")) {
                return clean(withoutExtension(baseName(arg)));
            }
        }
        return null;
    }

    private static String javaMain(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("-jar") && i + 1 < argv.size()) {
                String jar = baseName(argv.get(i + 1));
                return clean(jar.endsWith(".jar") ? jar.substring(0, jar.length() - 4) : jar);
            }
            if ((arg.equals("-m") || arg.equals("--module")) && i + 1 < argv.size()) {
                return clean(lastComponent(argv.get(i + 1)));
            }
            if (JAVA_OPTIONS_WITH_VALUE.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-")) {
                return clean(lastComponent(arg));
            }
        }
        return null;
    }

    /** {@code com.acme.OrdersMain} → {@code OrdersMain}; {@code app/com.acme.Main} → {@code Main}. */
    private static String lastComponent(String className) {
        int cut = Math.max(className.lastIndexOf('.'), className.lastIndexOf('/'));
        return className.substring(cut + 1);
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String withoutExtension(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /** A usable label value: control characters dropped, at most {@value #MAX_NAME_CHARS} characters; null if empty. */
    static String clean(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_NAME_CHARS));
        for (int i = 0; i < value.length() && out.length() < MAX_NAME_CHARS; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != 0x7f) {
                out.append(c);
            }
        }
        String s = out.toString().strip();
        return s.isEmpty() ? null : s;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    static List<String> arguments(byte[] nulSeparated) {
        List<String> out = new ArrayList<>();
        if (nulSeparated == null) {
            return out;
        }
        int start = 0;
        for (int i = 0; i <= nulSeparated.length; i++) {
            if (i == nulSeparated.length || nulSeparated[i] == 0) {
                if (i > start) {
                    out.add(new String(nulSeparated, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private String readText(Path file) {
        byte[] bytes = read(file);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** At most {@value #MAX_FILE_BYTES} bytes of a /proc file, or null when it cannot be read. */
    private byte[] read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MAX_FILE_BYTES);
        } catch (IOException | SecurityException e) {
            // Expected when the process has exited or hides its files: counted, and the next source is tried.
            unreadable.increment();
            LOG.log(System.Logger.Level.TRACE, () -> "cannot read " + file + ": " + e);
            return null;
        }
    }
}
