package dev.apiguard.app.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.apiguard.config.Listen;

/**
 * {@code --name value}, {@code --name=value} and {@code --flag} options, checked against the
 * command's known options so that a typo is an error, not a silent default.
 *
 * <p>The typed getters check ranges too: a bad value is a {@link UsageException} whose one line
 * names the option, the value and what is allowed ({@code --pid '-5': must be a process id within
 * 1..4194304}), so that no command runs on a value it would misread.
 */
public final class Args {
    /** The kernel's PID_MAX_LIMIT on 64-bit: no process id reaches it. */
    public static final int MAX_PID = 4_194_304;
    /** TASK_COMM_LEN - 1: the kernel keeps this many bytes of a process name (plus the NUL). */
    public static final int MAX_COMM_BYTES = 15;
    /** The longest duration any option takes; longer ones would overflow millisecond timers. */
    public static final Duration MAX_DURATION = dev.apiguard.config.Durations.MAX;

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {}

    /**
     * @param valued options that take a value
     * @param flags options that take none
     */
    public static Args parse(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
        Args parsed = new Args();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                parsed.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("option --" + name + " takes no value");
                }
                parsed.values.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                parsed.values.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name + " (see --help)");
            }
        }
        return parsed;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    public String get(String name) {
        return values.get(name);
    }

    /** The one-line error of every typed getter. */
    static UsageException invalid(String name, String value, String allowed) {
        return new UsageException("--" + name + " '" + printable(value) + "': must be " + allowed);
    }

    /** A whole number within {@code min..max}. */
    public int getInt(String name, int defaultValue, int min, int max) throws UsageException {
        return getInt(name, defaultValue, min, max, "a whole number");
    }

    /** A whole number within {@code min..max}; {@code what} names it in the error. */
    public int getInt(String name, int defaultValue, int min, int max, String what) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            n = Long.MIN_VALUE;
        }
        if (n < min || n > max) {
            throw invalid(name, value, what + " within " + min + ".." + max);
        }
        return (int) n;
    }

    /** A number (not NaN, not infinite) within {@code min..max}. */
    public double getDouble(String name, double defaultValue, double min, double max, String what) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        double d;
        try {
            d = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= min && d <= max)) {
            throw invalid(name, value, what + " within " + fmt(min) + ".." + fmt(max));
        }
        return d;
    }

    /** A process id, 1..{@value #MAX_PID}; {@code 0} when the option is absent. */
    public int getPid(String name) throws UsageException {
        return getInt(name, 0, 1, MAX_PID, "a process id");
    }

    /** A port to filter on, 1..65535; {@code 0} (no filter) when the option is absent. */
    public int getFilterPort(String name) throws UsageException {
        return getInt(name, 0, 1, 65535, "a port");
    }

    /** A process name as the kernel keeps it: 1..15 bytes (UTF-8); {@code ""} when the option is absent. */
    public String getComm(String name) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return "";
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_COMM_BYTES || value.indexOf('\0') >= 0) {
            throw invalid(name, value, "a process name of 1.." + MAX_COMM_BYTES
                    + " bytes (TASK_COMM_LEN - 1: all the kernel keeps of a name), not " + bytes);
        }
        return value;
    }

    /** An address in the one listen grammar ({@link Listen}); the text as given (trimmed), or the default. */
    public String getListen(String name, String defaultValue) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        getListenAddress(name, null);
        return value.trim();
    }

    /** An address in the one listen grammar ({@link Listen}): {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code :PORT}, {@code PORT}. */
    public Listen getListenAddress(String name, Listen defaultValue) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Listen.parse(value);
        } catch (IllegalArgumentException e) {
            throw invalid(name, value, Listen.GRAMMAR + " (e.g. 127.0.0.1:9464)");
        }
    }

    /**
     * A positive duration up to {@link #MAX_DURATION}: ISO-8601 ({@code PT90S}) or the short forms
     * {@code 90s}, {@code 5m}, {@code 250ms}, {@code 1h}.
     */
    public Duration getDuration(String name, Duration defaultValue) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        Duration d;
        try {
            d = Durations.parse(value);
        } catch (IllegalArgumentException | ArithmeticException e) {
            d = null;
        }
        if (d == null || d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(MAX_DURATION) > 0) {
            throw invalid(name, value, "a duration from 1ms to 365 days: ISO-8601 like PT90S, or 90s, 5m, 250ms, 1h");
        }
        return d;
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }

    /** Keeps the message one line and short whatever the value holds. */
    private static String printable(String value) {
        String oneLine = value.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 80 ? oneLine.substring(0, 77) + "..." : oneLine;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** ISO-8601 durations and a few short forms: the score stage's grammar, shared by every option. */
    public static final class Durations {
        private Durations() {}

        public static Duration parse(String text) {
            return dev.apiguard.config.Durations.parse(text);
        }
    }
}
