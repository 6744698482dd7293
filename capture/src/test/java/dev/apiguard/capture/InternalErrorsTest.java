package dev.apiguard.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class InternalErrorsTest {

    /** Every error is counted; a stack trace is logged at most once per 10 s, with the number not logged. */
    @Test
    void countsEveryErrorAndLogsOneStackTracePerTenSeconds() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        List<String> logged = new ArrayList<>();
        List<Throwable> traces = new ArrayList<>();
        InternalErrors errors = new InternalErrors("capture", new RecordingLogger(logged, traces), now::get);
        for (int i = 0; i < 5; i++) {
            errors.record(new IllegalStateException("boom " + i));
            now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        }
        assertThat(errors.count()).isEqualTo(5);
        assertThat(logged).containsExactly("capture: an event's processing failed and was skipped; the stage goes on");
        assertThat(traces).extracting(Throwable::getMessage).containsExactly("boom 0");
        now.addAndGet(TimeUnit.SECONDS.toNanos(5)); // 10 s after the first report
        errors.record(new IllegalStateException("boom 5"));
        assertThat(errors.count()).isEqualTo(6);
        assertThat(logged).hasSize(2);
        assertThat(logged.get(1)).endsWith("(4 more since the last report, not logged)");
        assertThat(traces).extracting(Throwable::getMessage).containsExactly("boom 0", "boom 5");
    }

    private record RecordingLogger(List<String> messages, List<Throwable> traces) implements System.Logger {
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
            messages.add(msg);
            traces.add(thrown);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            messages.add(format);
        }
    }
}
