package dev.apiguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class AsciiTest {

    private static int naiveIndexOf(byte[] b, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** The eight-bytes-a-step search finds what a byte-by-byte one finds, at every offset, length and position. */
    @Test
    void indexOfFindsTheFirstMatchAsAByteByByteSearchDoes() {
        Random random = new Random(19);
        byte[] values = {'\n', ':', ' ', 0, (byte) 0xFF, (byte) 0x80};
        int checked = 0;
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[random.nextInt(64)];
            for (int i = 0; i < b.length; i++) {
                // few distinct bytes, neighbours of the searched ones among them (a borrow flags the byte above a match)
                b[i] = (byte) (random.nextInt(6) == 0 ? values[random.nextInt(values.length)] + random.nextInt(3) - 1 : 'a' + random.nextInt(3));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            int to = from + random.nextInt(b.length - from + 1);
            for (byte value : values) {
                assertThat(Ascii.indexOf(b, from, to, value)).as("round %d, value %d", round, value)
                        .isEqualTo(naiveIndexOf(b, from, to, value));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(12_000);
    }

    @Test
    void indexOfAtEachPositionOfALongLine() {
        for (int at = 0; at < 40; at++) {
            byte[] b = "x".repeat(40).getBytes(StandardCharsets.US_ASCII);
            b[at] = '\n';
            if (at + 1 < b.length) {
                b[at + 1] = '\n' + 1; // what a borrow would flag
            }
            assertThat(Ascii.indexOf(b, 0, b.length, (byte) '\n')).isEqualTo(at);
            assertThat(Ascii.indexOf(b, 0, at, (byte) '\n')).isEqualTo(-1); // the end is exclusive
            assertThat(Ascii.indexOf(b, at + 1, b.length, (byte) '\n')).isEqualTo(-1);
        }
    }

    @Test
    void fieldNameEndIsTheColonAfterATokenName() {
        byte[] line = "Content-Type: application/json".getBytes(StandardCharsets.US_ASCII);
        assertThat(Ascii.fieldNameEnd(line, 0, line.length)).isEqualTo(12);
        assertThat(Ascii.fieldNameEnd(line, 0, 12)).isEqualTo(-1); // no colon before the end
        byte[] spaced = "Content Type: x".getBytes(StandardCharsets.US_ASCII);
        assertThat(Ascii.fieldNameEnd(spaced, 0, spaced.length)).isEqualTo(-1);
        byte[] folded = " continued: x".getBytes(StandardCharsets.US_ASCII);
        assertThat(Ascii.fieldNameEnd(folded, 0, folded.length)).isEqualTo(-1);
        byte[] empty = ": x".getBytes(StandardCharsets.US_ASCII);
        assertThat(Ascii.fieldNameEnd(empty, 0, empty.length)).isZero(); // an empty name: the caller refuses it
    }
}
