package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class VerdictLogTest {
    /** A clock the test moves. */
    static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Records lines instead of printing them. */
    static final class Lines implements System.Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            lines.add(level + " " + msgSupplier.get());
        }
    }

    private static final Verdict PAY = new Verdict.BusinessError(ErrorType.PAYMENT_FAILURE, Severity.CRITICAL, true);
    private static final Verdict AUTH = new Verdict.BusinessError(ErrorType.AUTH_FAILURE, Severity.HIGH, false);

    @Test
    void oneLinePerKeyPerIntervalWithTheCount() {
        FakeClock clock = new FakeClock();
        Lines log = new Lines();
        VerdictLog v = new VerdictLog(clock, Duration.ofMinutes(1), 10, log);
        for (int i = 0; i < 1000; i++) {
            v.record("shop", "/checkout", PAY);
        }
        v.record("shop", "/checkout", AUTH);
        v.record("shop", "/checkout", new Verdict.Ok(true));
        v.record("shop", "/checkout", new Verdict.PartialSuccess(true));
        assertThat(log.lines).containsExactly(
                "WARNING business error: service=shop route=/checkout type=payment_failure severity=critical silent=true count=1",
                "INFO business error: service=shop route=/checkout type=auth_failure severity=high silent=false count=1");
        clock.now = clock.now.plusSeconds(59);
        v.record("shop", "/checkout", PAY);
        assertThat(log.lines).hasSize(2);
        clock.now = clock.now.plusSeconds(1);
        v.record("shop", "/checkout", PAY);
        assertThat(log.lines).hasSize(3);
        assertThat(log.lines.get(2)).isEqualTo("WARNING business error: service=shop route=/checkout type=payment_failure"
                + " severity=critical silent=true count=1001 since=2026-01-01T00:00:00Z");
    }

    @Test
    void keysAreBoundedAndOverflowCounted() {
        FakeClock clock = new FakeClock();
        Lines log = new Lines();
        VerdictLog v = new VerdictLog(clock, Duration.ofMinutes(1), 3, log);
        for (int i = 0; i < 10; i++) {
            v.record("shop", "/r" + i, PAY);
        }
        assertThat(v.overflowCount()).isEqualTo(7);
        assertThat(log.lines).hasSize(4);
        assertThat(log.lines.get(3)).isEqualTo(
                "WARNING business errors on more than 3 (service, route, type) keys; untracked count=1 (total 1)");
    }
}
