package dev.apiguard.semantics;

import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates gzip and deflate (zlib or raw) bodies from the captured prefix into a bounded buffer.
 * A prefix inflates partially, which is all the classifier needs; corrupt data yields what inflated
 * before the damage (often nothing). One instance per thread: it reuses its inflaters and buffer.
 */
final class BodyDecoder {
    /** How much inflated body the classifier looks at. */
    static final int MAX_INFLATED = 4096;

    enum Encoding { IDENTITY, GZIP, DEFLATE, UNSUPPORTED }

    private final Inflater raw = new Inflater(true);
    private final Inflater zlib = new Inflater(false);
    private final byte[] out = new byte[MAX_INFLATED];

    static Encoding encoding(String contentEncoding) {
        if (contentEncoding == null) {
            return Encoding.IDENTITY;
        }
        String e = contentEncoding.trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "", "identity" -> Encoding.IDENTITY;
            case "gzip", "x-gzip" -> Encoding.GZIP;
            case "deflate" -> Encoding.DEFLATE;
            default -> Encoding.UNSUPPORTED;
        };
    }

    byte[] buffer() {
        return out;
    }

    /** Inflates into {@link #buffer()} and returns the number of bytes there (0 when nothing inflated). */
    int inflate(Encoding encoding, byte[] body, int length) {
        return switch (encoding) {
            case GZIP -> {
                int start = gzipHeaderLength(body, length);
                yield start < 0 ? 0 : run(raw, body, start, length - start);
            }
            case DEFLATE -> looksLikeZlib(body, length) ? run(zlib, body, 0, length) : run(raw, body, 0, length);
            default -> 0;
        };
    }

    private int run(Inflater inflater, byte[] in, int off, int len) {
        inflater.reset();
        inflater.setInput(in, off, len);
        int total = 0;
        try {
            // Bounded: each round either fills the buffer, finishes, or needs input it will not get.
            for (int round = 0; round < 64 && total < out.length; round++) {
                int n = inflater.inflate(out, total, out.length - total);
                total += n;
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
            }
        } catch (DataFormatException corrupt) {
            // Keep what inflated before the damage.
        }
        return total;
    }

    private static boolean looksLikeZlib(byte[] b, int len) {
        if (len < 2) {
            return false;
        }
        int cmf = b[0] & 0xff;
        int flg = b[1] & 0xff;
        return (cmf & 0x0f) == 8 && ((cmf << 8) | flg) % 31 == 0;
    }

    /** RFC 1952 header length, or -1 when the prefix is not gzip or ends inside the header. */
    static int gzipHeaderLength(byte[] b, int len) {
        if (len < 10 || (b[0] & 0xff) != 0x1f || (b[1] & 0xff) != 0x8b || b[2] != 8) {
            return -1;
        }
        int flags = b[3] & 0xff;
        int pos = 10;
        if ((flags & 0x04) != 0) { // FEXTRA
            if (pos + 2 > len) {
                return -1;
            }
            pos += 2 + ((b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8);
        }
        if ((flags & 0x08) != 0) { // FNAME, zero-terminated
            pos = skipZeroTerminated(b, pos, len);
        }
        if ((flags & 0x10) != 0 && pos >= 0) { // FCOMMENT
            pos = skipZeroTerminated(b, pos, len);
        }
        if ((flags & 0x02) != 0 && pos >= 0) { // FHCRC
            pos += 2;
        }
        return pos < 0 || pos > len ? -1 : pos;
    }

    private static int skipZeroTerminated(byte[] b, int pos, int len) {
        for (int i = pos; i < len; i++) {
            if (b[i] == 0) {
                return i + 1;
            }
        }
        return -1;
    }
}
