package dev.apiguard.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** The one duration grammar of every option and flag: ISO-8601 ({@code PT30S}) or 30s, 5m, 250ms, 1h. */
public final class Durations {
    /** The longest duration any option takes; longer ones would overflow millisecond timers. */
    public static final Duration MAX = Duration.ofDays(365);
    public static final String GRAMMAR = "ISO-8601 like PT30S, or 30s, 5m, 250ms, 1h";

    private Durations() {}

    /**
     * @throws IllegalArgumentException "'x' is not a duration (…)"
     */
    public static Duration parse(String text) {
        String t = text.trim();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return Duration.parse(t);
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("bad unit");
            };
        } catch (DateTimeParseException | IllegalArgumentException | ArithmeticException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (" + GRAMMAR + ")");
        }
    }
}
