package dev.apiguard.semantics.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The shortcuts of the learner's scan give exactly the answers of the long way. */
class OutcomeScanTest {

    @Test
    void plainDecimalsAreJudgedAsParseDoubleJudgesThem() {
        List<String> numbers = List.of("0", "-0", "0.0", "0.000", "00", "1", "-1", "6.84", "0.001", "10", "-0.5",
                "123456789012345678901234567890", "1e5", "0e9", "1e-400", "-1E3", "1.", ".5", "-", ".", "", "1.2.3",
                "NaN", "Infinity");
        int plain = 0;
        for (String n : numbers) {
            int fast = OutcomeScan.plainDecimalNonZero(n);
            if (fast >= 0) {
                plain++;
                assertThat(fast == 1).as(n).isEqualTo(Double.parseDouble(n) != 0);
            }
        }
        // every form without an exponent or letters takes the shortcut
        assertThat(plain).isEqualTo(14);
        assertThat(OutcomeScan.plainDecimalNonZero("1e-400")).isEqualTo(-1);
    }

    @Test
    void nameAnalysisIsTheSameCachedOrNotPastTheBound() {
        for (int i = 0; i < OutcomeScan.MAX_NAMES + 10; i++) {
            String name = "Field_" + i + (i % 3 == 0 ? "Status" : i % 3 == 1 ? "-Error" : "/x~y");
            OutcomeScan.Name first = OutcomeScan.name(name);
            OutcomeScan.Name again = OutcomeScan.name(name);
            assertThat(again).isEqualTo(first);
            assertThat(first.normalized()).isEqualTo(name.replace("_", "").replace("-", "").toLowerCase());
            assertThat(first.outcome()).isEqualTo(i % 3 == 0);
            assertThat(first.token()).isEqualTo(name.replace("~", "~0").replace("/", "~1"));
            assertThat(first.topPointer()).isEqualTo("/" + first.token());
        }
        assertThat(OutcomeScan.errorName("error_message")).isTrue();
        assertThat(OutcomeScan.errorName("Err-Msg")).isTrue();
        assertThat(OutcomeScan.name("payment_status").outcome()).isTrue();
        assertThat(OutcomeScan.name("description").outcome()).isFalse();
    }
}
