package dev.apiguard.testkit;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A seeded, bounded loop of randomized test cases, and a few generators to feed it.
 *
 * <p>Case {@code i} draws from its own {@link SplittableRandom}, seeded from the run's seed and
 * {@code i} alone, so a failing case can be rerun by itself. A failure names the run, the seed, the
 * case index and the generated input, and says how to rerun it:
 * <pre>{@code
 * mvn test -Dtest=SomeTest -Dapiguard.fuzz.seed=0x5eed -Dapiguard.fuzz.case=1234
 * }</pre>
 *
 * <p>Each loop has a fixed default seed, so CI runs are deterministic. System properties change that:
 * {@value #SEED_PROPERTY} (a decimal or {@code 0x} hex number, or {@code random} for a fresh seed,
 * which is printed) replaces the seed of every loop, and {@value #CASE_PROPERTY} runs only that case.
 *
 * @param name what the loop checks, for the report and failure messages
 * @param cases how many cases to run
 * @param seed the seed all cases derive from
 */
public record Fuzz(String name, int cases, long seed) {
    public static final String SEED_PROPERTY = "apiguard.fuzz.seed";
    public static final String CASE_PROPERTY = "apiguard.fuzz.case";
    /** Longest input description a failure message carries. */
    static final int MAX_DESCRIPTION = 4096;

    public Fuzz {
        if (cases < 1) {
            throw new IllegalArgumentException("cases must be positive, got " + cases);
        }
    }

    /** A loop of {@code cases} cases with {@code defaultSeed}, unless {@value #SEED_PROPERTY} says otherwise. */
    public static Fuzz of(String name, int cases, long defaultSeed) {
        return new Fuzz(name, cases, seedFrom(System.getProperty(SEED_PROPERTY), defaultSeed));
    }

    static long seedFrom(String property, long defaultSeed) {
        if (property == null || property.isBlank()) {
            return defaultSeed;
        }
        String p = property.strip().toLowerCase(Locale.ROOT);
        if (p.equals("random")) {
            return new SplittableRandom().nextLong();
        }
        try {
            return p.startsWith("0x") ? Long.parseUnsignedLong(p.substring(2), 16) : Long.parseLong(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED_PROPERTY + " must be a number, 0x-hex or 'random', got '" + property + "'");
        }
    }

    /** Like {@link #forAll(Function, Function, Consumer)}, describing inputs with {@link String#valueOf}. */
    public <T> int forAll(Function<SplittableRandom, T> generate, Consumer<? super T> check) {
        return forAll(generate, String::valueOf, check);
    }

    /**
     * Generates and checks every case; returns how many ran.
     *
     * @param generate builds one input from the case's random source
     * @param describe renders an input for a failure message (only called on failure)
     * @param check throws (an assertion or anything else) when the input breaks the property
     * @throws AssertionError for the first failing case, with seed, index and input
     */
    public <T> int forAll(Function<SplittableRandom, T> generate, Function<? super T, String> describe,
            Consumer<? super T> check) {
        int first = 0;
        int end = cases;
        String only = System.getProperty(CASE_PROPERTY);
        if (only != null && !only.isBlank()) {
            first = parseCase(only);
            end = first + 1;
        }
        for (int i = first; i < end; i++) {
            T input;
            try {
                input = generate.apply(new SplittableRandom(caseSeed(seed, i)));
            } catch (RuntimeException | StackOverflowError e) {
                throw failure(i, "<generator failed>", e);
            }
            try {
                check.accept(input);
            } catch (RuntimeException | AssertionError | StackOverflowError e) {
                throw failure(i, describeSafely(describe, input), e);
            }
        }
        int ran = end - first;
        System.out.printf("fuzz %s: %d cases, seed 0x%x%n", name, ran, seed);
        return ran;
    }

    private int parseCase(String only) {
        try {
            int c = Integer.parseInt(only.strip());
            if (c >= 0 && c < cases) {
                return c;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(CASE_PROPERTY + " must be a case index in [0, " + cases + "), got '" + only + "'");
    }

    private AssertionError failure(int index, String input, Throwable cause) {
        String message = String.format(Locale.ROOT,
                "fuzz %s failed at case %d of %d (seed 0x%x; rerun with -D%s=0x%x -D%s=%d): %s%n  input: %s",
                name, index, cases, seed, SEED_PROPERTY, seed, CASE_PROPERTY, index, cause, input);
        return new AssertionError(message, cause);
    }

    private static <T> String describeSafely(Function<? super T, String> describe, T input) {
        try {
            String d = describe.apply(input);
            return d.length() <= MAX_DESCRIPTION ? d : d.substring(0, MAX_DESCRIPTION) + "...(" + d.length() + " chars)";
        } catch (RuntimeException e) {
            return "<describe failed: " + e + ">";
        }
    }

    /** Case seeds: a 64-bit mix of seed and index, so neighbouring cases share no stream. */
    static long caseSeed(long seed, int index) {
        long z = seed + (index + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- generators ----

    /**
     * An int in {@code [min, max]}, uniform except that one draw in 16 is an edge value (min, max, or
     * -1/0/1 when in range), where off-by-one bugs live.
     */
    public static int intBetween(RandomGenerator r, int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        if (r.nextInt(16) == 0) {
            int edge = switch (r.nextInt(5)) {
                case 0 -> min;
                case 1 -> max;
                case 2 -> -1;
                case 3 -> 0;
                default -> 1;
            };
            if (edge >= min && edge <= max) {
                return edge;
            }
        }
        return (int) r.nextLong(min, max + 1L);
    }

    /** One element, uniformly. */
    @SafeVarargs
    public static <T> T pick(RandomGenerator r, T... choices) {
        return choices[r.nextInt(choices.length)];
    }

    /** One element, uniformly. */
    public static <T> T pick(RandomGenerator r, List<T> choices) {
        return choices.get(r.nextInt(choices.size()));
    }

    /** An index into {@code weights}, each drawn in proportion to its weight. */
    public static int weighted(RandomGenerator r, int... weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        throw new AssertionError("unreachable");
    }

    /** {@code length} random bytes. */
    public static byte[] bytes(RandomGenerator r, int length) {
        byte[] b = new byte[length];
        r.nextBytes(b);
        return b;
    }

    /**
     * A string of up to {@code maxLength} chars: mostly printable ASCII, with control chars, Latin-1,
     * any BMP char and (rarely) a lone surrogate mixed in.
     */
    public static String string(RandomGenerator r, int maxLength) {
        int length = intBetween(r, 0, maxLength);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(switch (weighted(r, 12, 2, 2, 3, 1)) {
                case 0 -> (char) r.nextInt(0x20, 0x7F);
                case 1 -> (char) r.nextInt(0x00, 0x20);
                case 2 -> (char) r.nextInt(0x80, 0x100);
                case 3 -> (char) r.nextInt(0x100, 0xD800);
                default -> (char) r.nextInt(0xD800, 0xE000);
            });
        }
        return s.toString();
    }

    /** Bytes as readable text: printable ASCII as is, everything else as {@code \xNN}; at most 1 KiB shown. */
    public static String show(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        int shown = Math.min(bytes.length, 1024);
        StringBuilder s = new StringBuilder(shown + 16).append(bytes.length).append(" bytes \"");
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xFF;
            switch (b) {
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n");
                case '\\' -> s.append("\\\\");
                case '"' -> s.append("\\\"");
                default -> {
                    if (b >= 0x20 && b < 0x7F) {
                        s.append((char) b);
                    } else {
                        s.append(String.format("\\x%02x", b));
                    }
                }
            }
        }
        return s.append(shown < bytes.length ? "\"..." : "\"").toString();
    }

    /** A string as a Java literal, control and non-ASCII chars escaped; null as {@code null}. */
    public static String show(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.append('"').toString();
    }
}
