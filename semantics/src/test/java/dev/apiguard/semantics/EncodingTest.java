package dev.apiguard.semantics;

import static dev.apiguard.semantics.Samples.OK;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** gzip and deflate bodies, whole, truncated and corrupt. */
class EncodingTest {
    private static final String ERROR = "{\"ok\":false,\"error\":\"invalid_auth\",\"pad\":\"" + "abcdefgh".repeat(400) + "\"}";
    private static final Verdict AUTH = new Verdict.BusinessError(ErrorType.AUTH_FAILURE, Severity.HIGH, true);
    private final Classifier c = Classifiers.builtIn();

    private Verdict v(String encoding, byte[] body) {
        return c.classify(new ResponseSample(null, 200, "application/json", encoding, body, false));
    }

    @Test
    void gzipWholeAndTruncated() {
        byte[] gz = Samples.gzip(ERROR);
        assertThat(v("gzip", gz)).isEqualTo(AUTH);
        assertThat(v("GZIP", gz)).isEqualTo(AUTH);
        assertThat(v("x-gzip", gz)).isEqualTo(AUTH);
        assertThat(v("gzip", Arrays.copyOf(gz, Math.min(gz.length, 80)))).as("truncated gzip").isEqualTo(AUTH);
        assertThat(v("gzip", Arrays.copyOf(gz, 12))).as("cut right after the header").isEqualTo(OK);
        assertThat(v("gzip", Arrays.copyOf(gz, 5))).as("cut inside the header").isEqualTo(OK);
    }

    @Test
    void gzipHeaderWithNameAndComment() {
        byte[] body = Samples.gzip(ERROR);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0x18, 0, 0, 0, 0, 0, 3}, 0, 10); // FNAME | FCOMMENT
        out.writeBytes("body.json\0a comment\0".getBytes());
        out.write(body, 10, body.length - 10);
        assertThat(v("gzip", out.toByteArray())).isEqualTo(AUTH);
    }

    @Test
    void deflateZlibAndRaw() {
        assertThat(v("deflate", Samples.deflate(ERROR, true))).isEqualTo(AUTH);
        assertThat(v("deflate", Samples.deflate(ERROR, false))).isEqualTo(AUTH);
        byte[] zlib = Samples.deflate(ERROR, true);
        assertThat(v("deflate", Arrays.copyOf(zlib, 80))).as("truncated deflate").isEqualTo(AUTH);
    }

    @Test
    void corruptAndUnsupportedAreOk() {
        assertThat(v("gzip", "not gzip at all {\"ok\":false}".getBytes())).isEqualTo(OK);
        assertThat(v("gzip", new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, (byte) 0xff, (byte) 0xff, 1, 2})).isEqualTo(OK);
        assertThat(v("deflate", new byte[] {0x78, (byte) 0x9c, (byte) 0xff, (byte) 0xff, (byte) 0xff})).isEqualTo(OK);
        assertThat(v("br", Samples.utf8("{\"ok\":false}"))).isEqualTo(OK);
        assertThat(v("identity", Samples.utf8("{\"ok\":false}"))).isEqualTo(new Verdict.BusinessError(
                ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM, true));
    }

    @Test
    void inflateIsBounded() {
        // A gzip bomb: 10 MB of spaces before the verdict-deciding member. Only 4 KiB inflate.
        String bomb = "{" + " ".repeat(10_000_000) + "\"ok\":false}";
        assertThat(v("gzip", Samples.gzip(bomb))).isEqualTo(OK);
        String early = "{\"ok\":false,\"pad\":\"" + " ".repeat(10_000_000) + "\"}";
        assertThat(v("gzip", Samples.gzip(early))).isEqualTo(new Verdict.BusinessError(
                ErrorType.GENERIC_BUSINESS_ERROR, Severity.MEDIUM, true));
    }
}
