package dev.apiguard.semantics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Builds response samples for tests. */
final class Samples {
    private Samples() {}

    static ResponseSample json(int status, String body) {
        return new ResponseSample(null, status, "application/json", null, utf8(body), false);
    }

    static ResponseSample json(String route, int status, String body) {
        return new ResponseSample(route, status, "application/json", null, utf8(body), false);
    }

    static ResponseSample of(int status, String contentType, String body) {
        return new ResponseSample(null, status, contentType, null, utf8(body), false);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(utf8(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] deflate(String s, boolean zlibHeader) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, !zlibHeader);
        deflater.setInput(utf8(s));
        deflater.finish();
        byte[] buf = new byte[s.length() * 2 + 64];
        int n = deflater.deflate(buf);
        deflater.end();
        return java.util.Arrays.copyOf(buf, n);
    }

    static Verdict error(ErrorType type, Severity severity) {
        return new Verdict.BusinessError(type, severity, true);
    }

    static final Verdict OK = new Verdict.Ok(true);
}
