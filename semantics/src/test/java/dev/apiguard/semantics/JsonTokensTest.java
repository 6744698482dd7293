package dev.apiguard.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The rules' scan reads its tokens as it did from Jackson: a whole document as Jackson's blocking parser, a prefix
 * as its non-blocking parser fed one space after the cut, with the same names, texts, numbers, and the same point
 * where malformed input fails (the scan then keeps what it saw) or the input just ends. Compared on every corpus
 * body, every prefix of it, and mutated and random bodies, each read both ways.
 */
class JsonTokensTest {
    private static final byte[] SPACE = {' '};

    @Test
    void corpusBodiesAndEveryPrefixReadAsJacksonReadThem() {
        int compared = 0;
        for (byte[] body : bodies()) {
            int step = Math.max(1, body.length / 80);
            for (int cut = 0; cut <= body.length; cut += cut + step > body.length && cut < body.length ? body.length - cut : step) {
                compared += compare(Arrays.copyOf(body, cut));
            }
        }
        assertThat(compared).isGreaterThan(50_000);
    }

    @Test
    void mutatedBodiesFailWhereJacksonFailed() {
        SplittableRandom r = new SplittableRandom(19);
        List<byte[]> bodies = bodies();
        byte[] alphabet = "{}[]:,\"\\/ \t\n0123456789-+.eEtrufalsn xu".getBytes(StandardCharsets.ISO_8859_1);
        int compared = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] b = bodies.get(r.nextInt(bodies.size()));
            b = Arrays.copyOf(b, Math.min(b.length, 1 + r.nextInt(Math.max(1, b.length))));
            for (int m = r.nextInt(1, 4); m > 0 && b.length > 0; m--) {
                int at = r.nextInt(b.length);
                b[at] = switch (r.nextInt(5)) {
                    case 0 -> (byte) r.nextInt(256);
                    case 1 -> (byte) r.nextInt(0x20);
                    case 2 -> (byte) (0x80 + r.nextInt(0x80));
                    default -> alphabet[r.nextInt(alphabet.length)];
                };
            }
            compared += compare(b);
        }
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(1, 40)];
            for (int k = 0; k < b.length; k++) {
                b[k] = r.nextInt(8) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
            }
            compared += compare(b);
        }
        assertThat(compared).isEqualTo(70_000);
    }

    @Test
    void edgesOfNumbersLiteralsDepthAndUtf8() {
        List<String> docs = List.of("5", "5 ", "5}", "5]", "-", "-0", "-0x", "0x", "0:", "00", "01", "1.", "1.5e", "1e+",
                "1x", "[0x]", "[1x]", "[1.5.2]", "{\"a\":0}", "{\"a\":-0.0}", "{\"a\":1e400}", "{\"a\":123456789012345678901}",
                "{\"a\":-9223372036854775808}", "{\"a\":9223372036854775808}", "{\"a\":2.50}", "{\"a\":3.000}",
                "{\"a\":1234567890123456.0}", "{\"a\":0.1e1}", "true", "tru", "true}", "[true:1]", "[truex]", "[true\"]",
                "[null]", "[nul]", "{\"a\" \"b\"}", "{\"a\"", "{\"a\":", "{\"a\"}", "{\"a\":}", "[1,]", "{\"a\":1,}", "{}{",
                "{} {\"a\":1}", "{}[", "{}x", "\"a\\", "\"a\\u00", "\"\u00e9", "[\"ok\",\"\\q\"]", "[\"ok\",\"\u0001\"]",
                "{\"caf\u00e9\":\"\u4e2d\\ud83d\\ude00\"}", "[1,2", "[\"abc", "{\"a\":tr}", "{\"a\":\"x\"", "[]]", "[}");
        for (String doc : docs) {
            compare(doc.getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] raw : List.of(new byte[] {'[', '"', (byte) 0xe9, '"', ']'}, new byte[] {'[', '"', (byte) 0xc3, '"', ']'},
                new byte[] {'[', '"', (byte) 0xf8, 'a', '"', ']'}, new byte[] {'[', '"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', ']'},
                new byte[] {'[', 't', 'r', 'u', 'e', (byte) 0xc3, (byte) 0xa9, ']'}, new byte[] {'[', 't', 'r', 'u', 'e', (byte) 0xc2, (byte) 0xa0, ']'},
                new byte[] {'[', '"', (byte) 0xed, (byte) 0xa7, (byte) 0xad, '"', ']'}, new byte[] {'[', '"', (byte) 0xed, (byte) 0x9f, (byte) 0xbf, '"', ']'},
                new byte[] {'{', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ':', '1', '}'}, new byte[] {'[', '"', (byte) 0xc0, (byte) 0x80, '"', ']'},
                new byte[] {'[', '"', (byte) 0xf7, (byte) 0xbf, (byte) 0xbf, (byte) 0xbf, '"', ']'})) {
            compare(raw);
        }
        for (int depth : new int[] {999, 1000, 1001}) {
            compare(("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII));
            compare(("[".repeat(depth) + "1").getBytes(StandardCharsets.US_ASCII));
        }
        compare(("[" + "1".repeat(1000) + "]").getBytes(StandardCharsets.US_ASCII));
        compare(("[" + "1".repeat(1001) + "]").getBytes(StandardCharsets.US_ASCII));
    }

    static final List<String> DIFFS = new ArrayList<>();
    /** One for all bodies, as a thread's is: its name cache then holds, evicts and hits names across bodies. */
    private static final JsonTokens TOKENS = new JsonTokens();

    @org.junit.jupiter.api.AfterEach
    void noDifferences() {
        List<String> d = new ArrayList<>(DIFFS);
        DIFFS.clear();
        assertThat(d).as(String.join("\n", d)).isEmpty();
    }

    @Test
    void wholeUtf16AndUtf32DocumentsAreReadAsJacksonDetectedThem() {
        int compared = 0;
        for (byte[] body : bodies()) {
            String text = new String(body, StandardCharsets.UTF_8);
            if (!endsComplete(body) || body.length == 0 || body[0] == (byte) 0xef) {
                continue;
            }
            for (String charset : List.of("UTF-16BE", "UTF-32BE")) {
                compared += compare(text.getBytes(java.nio.charset.Charset.forName(charset)));
                byte[] marked = ("\ufeff" + text).getBytes(java.nio.charset.Charset.forName(charset));
                compared += compare(marked);
            }
        }
        assertThat(compared).isGreaterThan(1_000);
    }

    /** Compares both readings, with and without the texts read; returns the number of comparisons. */
    private static int compare(byte[] b) {
        // A fresh factory each time: names that hit its shared symbol table are not decoded again, so a broken name
        // could pass after an earlier one (the scan's shared factory made that depend on earlier bodies).
        JsonFactory jackson = JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();
        // The classifier reads a body whole only when it ends like a whole document.
        boolean endsComplete = endsComplete(b);
        for (boolean w : endsComplete ? new boolean[] {true, false} : new boolean[] {false}) {
            for (boolean r : new boolean[] {true, false}) {
                boolean whole = w;
                boolean read = r;
                if (DIFFS.size() >= 40) {
                    return 1;
                }
                List<String> expected = jackson(jackson, b, whole, read);
                List<String> actual = lexed(b, whole, read);
                if (!actual.equals(expected) && DIFFS.size() < 40) {
                    DIFFS.add(show(b) + (whole ? " whole" : " prefix") + (read ? " read" : "") + "\n   jackson " + expected + "\n   lexer   " + actual);
                    return 1; // one difference per body is enough to see
                }
            }
        }
        return 1;
    }

    private static String show(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(x >= 0x20 && x < 0x7f ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xff));
        }
        return s.toString();
    }

    private static boolean endsComplete(byte[] b) {
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != ' ' && b[i] != '\n' && b[i] != '\r' && b[i] != '\t') {
                return b[i] == '}' || b[i] == ']';
            }
        }
        return false;
    }

    private static List<String> jackson(JsonFactory jackson, byte[] b, boolean whole, boolean read) {
        List<String> out = new ArrayList<>();
        JsonParser p = null;
        try {
            if (whole) {
                p = jackson.createParser(b, 0, b.length);
            } else {
                p = jackson.createNonBlockingByteArrayParser();
                ((ByteArrayFeeder) p.getNonBlockingInputFeeder()).feedInput(b, 0, b.length);
            }
            boolean delimited = false;
            while (true) {
                com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                if (t == com.fasterxml.jackson.core.JsonToken.NOT_AVAILABLE && !delimited && !whole) {
                    delimited = true;
                    ((ByteArrayFeeder) p.getNonBlockingInputFeeder()).feedInput(SPACE, 0, 1);
                    t = p.nextToken();
                }
                if (t == null || t == com.fasterxml.jackson.core.JsonToken.NOT_AVAILABLE) {
                    out.add("END");
                    return out;
                }
                StringBuilder s = new StringBuilder(t.name());
                out.add(s.toString());
                switch (t) {
                    case FIELD_NAME -> s.append(' ').append(p.currentName());
                    case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
                        s.append(" @").append(p.currentName());
                        if (read && t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                            s.append(' ').append(new String(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
                        } else if (read && t != com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
                                && t != com.fasterxml.jackson.core.JsonToken.VALUE_FALSE
                                && t != com.fasterxml.jackson.core.JsonToken.VALUE_NULL) {
                            s.append(' ').append(p.getText()).append(" = ").append(jacksonNumber(p));
                        }
                    }
                    default -> { }
                }
                out.set(out.size() - 1, s.toString());
            }
        } catch (IOException e) {
            out.add("ABORT");
            return out;
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // only the comparison matters
                }
            }
        }
    }

    /** The number as the scan took it from Jackson before. */
    private static long jacksonNumber(JsonParser p) throws IOException {
        return switch (p.getNumberType()) {
            case INT, LONG -> p.getLongValue();
            case BIG_INTEGER -> Long.MAX_VALUE;
            default -> {
                double d = p.getDoubleValue();
                yield d == 0 ? 0 : (d == Math.rint(d) && Math.abs(d) < 1e15 ? (long) d : Long.MIN_VALUE);
            }
        };
    }

    private static List<String> lexed(byte[] b, boolean whole, boolean read) {
        List<String> out = new ArrayList<>();
        JsonTokens p = TOKENS;
        p.reset(b, 0, b.length, whole);
        try {
            while (true) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    out.add("END");
                    return out;
                }
                StringBuilder s = new StringBuilder(t.name());
                out.add(s.toString());
                switch (t) {
                    case FIELD_NAME -> s.append(' ').append(p.currentName());
                    case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
                        s.append(" @").append(p.currentName());
                        if (read && t == JsonToken.VALUE_STRING) {
                            s.append(' ').append(new String(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
                        } else if (read && t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE && t != JsonToken.VALUE_NULL) {
                            s.append(' ').append(p.getText()).append(" = ").append(p.number());
                        }
                    }
                    default -> { }
                }
                out.set(out.size() - 1, s.toString());
            }
        } catch (IOException e) {
            out.add("ABORT");
            return out;
        }
    }

    /** Every body of the corpora (public ones included), as written. */
    private static List<byte[]> bodies() {
        try {
            Path dir = Path.of(JsonTokensTest.class.getResource("/corpus").toURI());
            ObjectMapper mapper = new ObjectMapper();
            List<byte[]> bodies = new ArrayList<>();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                    for (String line : Files.readAllLines(file)) {
                        if (line.isBlank()) {
                            continue;
                        }
                        JsonNode n = mapper.readTree(line);
                        if (n.has("body_base64")) {
                            bodies.add(Base64.getDecoder().decode(n.get("body_base64").asText()));
                        } else if (n.hasNonNull("body")) {
                            bodies.add(n.get("body").asText().getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            return bodies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
