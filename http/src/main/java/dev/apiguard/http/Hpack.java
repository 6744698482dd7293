package dev.apiguard.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * HPACK (RFC 7541) decoder for one direction of one HTTP/2 connection: static table, Huffman
 * strings, and the dynamic table with its size updates.
 *
 * <p>Joined mid-connection (no preface seen), or after a header block was lost in a capture gap,
 * the dynamic table's older entries are unknown. Indices count from the newest entry and only the
 * oldest entries are ever evicted, so the entries inserted since are still addressed correctly: a
 * reference past them decodes to {@link #UNKNOWN} (never a guess) and is counted by the caller.
 */
final class Hpack {
    /** The value of a header (or name) that refers to a dynamic table entry this decoder never saw. */
    static final String UNKNOWN = new String("\u0000unknown");

    /** Receives each decoded field; either may be {@link #UNKNOWN}. */
    interface FieldSink {
        void field(String name, String value);
    }

    static final int DEFAULT_TABLE_SIZE = 4096;
    /** Memory bound of one table, whatever size the peer announces (larger tables: the oldest entries are dropped). */
    static final int MAX_TABLE_SIZE = 64 * 1024;
    /** Longest string literal decoded; longer ones are skipped and decode to UNKNOWN. */
    static final int MAX_STRING = 8 * 1024;

    private record Entry(String name, String value, int size) {}

    private final ArrayDeque<Entry> dynamic = new ArrayDeque<>(); // newest first
    private int size;
    private int maxSize = DEFAULT_TABLE_SIZE;
    /** False while entries older than the ones we hold may exist (joined mid-way, or a block was lost). */
    private boolean complete;

    Hpack(boolean complete) {
        this(complete, DEFAULT_TABLE_SIZE);
    }

    Hpack(boolean complete, int maxSize) {
        this.complete = complete;
        this.maxSize = Math.min(maxSize, MAX_TABLE_SIZE);
    }

    /** A header block was lost (capture gap): what it inserted is unknown. */
    void lostBlock() {
        dynamic.clear();
        size = 0;
        complete = false;
    }

    boolean complete() {
        return complete;
    }

    int dynamicEntries() {
        return dynamic.size();
    }

    /**
     * Decodes one whole header block.
     *
     * @return false when the block is malformed (the table is then unknown)
     */
    boolean decode(byte[] b, int off, int len, FieldSink sink) {
        int[] pos = {off};
        int end = off + len;
        try {
            while (pos[0] < end) {
                int first = b[pos[0]] & 0xff;
                if ((first & 0x80) != 0) { // indexed field
                    long index = integer(b, pos, end, 7);
                    if (index == 0) {
                        return malformed();
                    }
                    Entry e = lookup(index);
                    if (e == null) {
                        sink.field(UNKNOWN, UNKNOWN);
                    } else {
                        sink.field(e.name, e.value);
                    }
                } else if ((first & 0xc0) == 0x40) { // literal, incremental indexing
                    literal(b, pos, end, 6, sink, true);
                } else if ((first & 0xe0) == 0x20) { // dynamic table size update
                    long newSize = integer(b, pos, end, 5);
                    maxSize = (int) Math.min(newSize, MAX_TABLE_SIZE);
                    evict(0);
                } else { // literal without indexing (0000) or never indexed (0001)
                    literal(b, pos, end, 4, sink, false);
                }
            }
            return true;
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            return malformed();
        }
    }

    private boolean malformed() {
        lostBlock();
        return false;
    }

    private void literal(byte[] b, int[] pos, int end, int prefix, FieldSink sink, boolean index) {
        long nameIndex = integer(b, pos, end, prefix);
        String name;
        if (nameIndex == 0) {
            name = string(b, pos, end);
        } else {
            Entry e = lookup(nameIndex);
            name = e == null ? UNKNOWN : e.name;
        }
        String value = string(b, pos, end);
        if (index) {
            insert(name, value);
        }
        sink.field(name, value);
    }

    private Entry lookup(long index) {
        if (index <= STATIC.length) {
            return STATIC[(int) index - 1];
        }
        long d = index - STATIC.length - 1;
        if (d < dynamic.size()) {
            Iterator<Entry> it = dynamic.iterator();
            for (long i = 0; i < d; i++) {
                it.next();
            }
            return it.next();
        }
        // Past the entries we hold: from before the agent (or a lost block), or, on a table seen from
        // its start, evicted early because the peer allowed a larger table than we assumed.
        return null;
    }

    private void insert(String name, String value) {
        // Unknown strings count only their known part: an underestimate keeps entries longer, which
        // is harmless (the encoder never refers to an entry it evicted).
        int entrySize = 32 + (name == UNKNOWN ? 0 : name.length()) + (value == UNKNOWN ? 0 : value.length());
        if (entrySize > maxSize) {
            dynamic.clear();
            size = 0;
            return;
        }
        evict(entrySize);
        dynamic.addFirst(new Entry(name, value, entrySize));
        size += entrySize;
    }

    private void evict(int room) {
        while (!dynamic.isEmpty() && size + room > maxSize) {
            size -= dynamic.removeLast().size;
        }
    }

    /** RFC 7541 5.1 integer with an N-bit prefix. */
    static long integer(byte[] b, int[] pos, int end, int prefixBits) {
        if (pos[0] >= end) {
            throw new IllegalStateException("truncated integer");
        }
        int mask = (1 << prefixBits) - 1;
        long value = b[pos[0]++] & mask;
        if (value < mask) {
            return value;
        }
        int shift = 0;
        while (true) {
            if (pos[0] >= end || shift > 28) {
                throw new IllegalStateException("bad integer");
            }
            int octet = b[pos[0]++] & 0xff;
            value += (long) (octet & 0x7f) << shift;
            shift += 7;
            if ((octet & 0x80) == 0) {
                return value;
            }
        }
    }

    private static String string(byte[] b, int[] pos, int end) {
        if (pos[0] >= end) {
            throw new IllegalStateException("truncated string");
        }
        boolean huffman = (b[pos[0]] & 0x80) != 0;
        long length = integer(b, pos, end, 7);
        if (length > end - pos[0]) {
            throw new IllegalStateException("string past the block");
        }
        int start = pos[0];
        pos[0] += (int) length;
        if (length > MAX_STRING) {
            return UNKNOWN;
        }
        return huffman ? Huffman.decode(b, start, (int) length) : new String(b, start, (int) length, StandardCharsets.ISO_8859_1);
    }

    private static final Entry[] STATIC = table(
            ":authority", "", ":method", "GET", ":method", "POST", ":path", "/", ":path", "/index.html",
            ":scheme", "http", ":scheme", "https", ":status", "200", ":status", "204", ":status", "206",
            ":status", "304", ":status", "400", ":status", "404", ":status", "500", "accept-charset", "",
            "accept-encoding", "gzip, deflate", "accept-language", "", "accept-ranges", "", "accept", "",
            "access-control-allow-origin", "", "age", "", "allow", "", "authorization", "", "cache-control", "",
            "content-disposition", "", "content-encoding", "", "content-language", "", "content-length", "",
            "content-location", "", "content-range", "", "content-type", "", "cookie", "", "date", "", "etag", "",
            "expect", "", "expires", "", "from", "", "host", "", "if-match", "", "if-modified-since", "",
            "if-none-match", "", "if-range", "", "if-unmodified-since", "", "last-modified", "", "link", "",
            "location", "", "max-forwards", "", "proxy-authenticate", "", "proxy-authorization", "", "range", "",
            "referer", "", "refresh", "", "retry-after", "", "server", "", "set-cookie", "",
            "strict-transport-security", "", "transfer-encoding", "", "user-agent", "", "vary", "", "via", "",
            "www-authenticate", "");

    private static Entry[] table(String... pairs) {
        Entry[] out = new Entry[pairs.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Entry(pairs[2 * i], pairs[2 * i + 1], 32 + pairs[2 * i].length() + pairs[2 * i + 1].length());
        }
        if (out.length != 61) {
            throw new AssertionError("HPACK static table has 61 entries, not " + out.length);
        }
        return out;
    }

    /** The HPACK Huffman code (RFC 7541 Appendix B): canonical, so the code lengths define it. */
    static final class Huffman {
        private static final int[] LENGTHS = {
            13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28,
            28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6,
            12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, 15, 5,
            6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22, 20, 20, 22,
            22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, 22,
            21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23,
            22, 22, 23, 26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21,
            21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27,
            27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30};
        private static final int MAX_LEN = 30;
        /** Per code length: the first code, how many codes, and where their symbols start in SYMBOLS. */
        private static final long[] FIRST = new long[MAX_LEN + 2];
        private static final int[] COUNT = new int[MAX_LEN + 2];
        private static final int[] OFFSET = new int[MAX_LEN + 2];
        private static final int[] SYMBOLS = new int[257];

        static {
            if (LENGTHS.length != 257) {
                throw new AssertionError("HPACK Huffman table has 257 symbols");
            }
            for (int len : LENGTHS) {
                COUNT[len]++;
            }
            long code = 0;
            int offset = 0;
            for (int len = 1; len <= MAX_LEN; len++) {
                FIRST[len] = code;
                OFFSET[len] = offset;
                offset += COUNT[len];
                code = (code + COUNT[len]) << 1;
            }
            int[] fill = OFFSET.clone();
            for (int sym = 0; sym < 257; sym++) {
                SYMBOLS[fill[LENGTHS[sym]]++] = sym;
            }
        }

        private Huffman() {}

        static String decode(byte[] b, int off, int len) {
            StringBuilder out = new StringBuilder(len * 8 / 5 + 1);
            long code = 0;
            int bits = 0;
            int ones = 0; // trailing 1 bits of the current code, for the padding check
            for (int i = off; i < off + len; i++) {
                int octet = b[i] & 0xff;
                for (int bit = 7; bit >= 0; bit--) {
                    int v = (octet >> bit) & 1;
                    code = (code << 1) | v;
                    bits++;
                    ones = v == 1 ? ones + 1 : 0;
                    long index = code - FIRST[bits];
                    if (index >= 0 && index < COUNT[bits]) {
                        int sym = SYMBOLS[OFFSET[bits] + (int) index];
                        if (sym == 256) {
                            throw new IllegalStateException("EOS in a Huffman string");
                        }
                        out.append((char) sym);
                        code = 0;
                        bits = 0;
                        ones = 0;
                    } else if (bits >= MAX_LEN) {
                        throw new IllegalStateException("bad Huffman code");
                    }
                }
            }
            if (bits > 7 || ones != bits) {
                throw new IllegalStateException("bad Huffman padding");
            }
            return out.toString();
        }
    }
}
