package dev.apiguard.http;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import dev.apiguard.capture.ConnectionKey;
import dev.apiguard.model.Exchange;
import dev.apiguard.model.Side;

/**
 * One HTTP/2 connection (prior knowledge, or joined mid-way): a {@link Http2Framer} and an
 * {@link Hpack} decoder per direction, and the streams in flight. Each stream becomes one
 * {@link Exchange} when the response's END_STREAM passes (trailers included), however the streams
 * interleave: latency runs from the request's first HEADERS to that END_STREAM.
 *
 * <p>Outcomes that are not an exchange, each counted: a stream reset by either side (RST_STREAM)
 * before its response ended; a stream above a GOAWAY's last stream id; streams still open when
 * the connection closes; a response whose {@code :status} (and grpc-status) could not be decoded
 * (an HPACK reference to a dynamic table entry from before the agent, or a lost header block).
 * A stream whose {@code :method}/{@code :path} could not be decoded is emitted with
 * {@link #UNKNOWN_METHOD}/{@link #UNKNOWN_PATH} and counted, never guessed. {@code grpc-message}
 * is never decoded into anything that outlives the header block.
 */
final class Http2Session {
    static final String UNKNOWN_METHOD = "_UNKNOWN";
    static final String UNKNOWN_PATH = "/{unknown}";
    /** Streams followed at once on one connection; beyond it new streams are counted and skipped. */
    static final int MAX_STREAMS = 1024;
    /** Bytes of one header block (HEADERS + CONTINUATION); a longer block is lost to HPACK (counted). */
    static final int MAX_HEADER_BLOCK = 64 * 1024;
    static final int GRPC_MESSAGE_HEADER = 5;

    private final TrackerContext context;
    private final ConnectionKey key;
    private final boolean server;
    private final String service;
    private final Map<Integer, Stream> streams = new HashMap<>();
    /** The connection's frames were read as TLS plaintext (set by its Connection, which sees the events). */
    boolean tls;
    private final Direction requests;
    private final Direction responses;
    private int goAwayLastStream = Integer.MAX_VALUE;
    private int lastUnmatched;

    private static final class Stream {
        final int id;
        final long startNanos;
        String method;
        String path;
        int status;
        boolean statusUnknown;
        String contentType;
        String contentEncoding;
        int grpcStatus = Exchange.NO_GRPC_STATUS;
        boolean grpcStatusUnknown;
        boolean contentTypeUnknown;
        long requestBytes;
        long responseBytes;
        boolean responseHeaders;
        boolean dataSeen;
        byte[] prefix;
        boolean truncated;

        Stream(int id, long startNanos) {
            this.id = id;
            this.startNanos = startNanos;
        }
    }

    Http2Session(TrackerContext context, ConnectionKey key, boolean server, String service, boolean fresh) {
        this.context = context;
        this.key = key;
        this.server = server;
        this.service = service;
        this.requests = new Direction(true, fresh);
        this.responses = new Direction(false, fresh);
    }

    void onBytes(boolean requestDirection, byte[] b, int off, int captured, long gap, long ts) {
        (requestDirection ? requests : responses).framer.onEvent(b, off, captured, gap, ts);
    }

    /** The kernel's frame walk lost this direction's frame boundaries before its next bytes. */
    void lost(boolean requestDirection) {
        (requestDirection ? requests : responses).framer.resync();
    }

    /** An HTTP/1.1 request that a 101 switched to h2c: stream 1, whose response comes in HTTP/2. */
    void upgradedRequest(String method, String path, long startNanos, long requestBytes) {
        Stream s = new Stream(1, startNanos);
        s.method = method;
        s.path = path;
        s.requestBytes = requestBytes;
        streams.put(1, s);
    }

    /** The connection ended: streams without a finished response are counted, not emitted. */
    void close() {
        context.counters.unanswered += streams.size();
        streams.clear();
    }

    int openStreams() {
        return streams.size();
    }

    /** One direction: its framer, its HPACK decoder and the header block being assembled. */
    private final class Direction implements Http2Framer.Listener {
        final boolean request;
        final Http2Framer framer;
        final Hpack hpack;
        private byte[] block = new byte[512];
        private int blockLength;
        private int blockStream;
        private int blockFlags;
        private boolean blockCut;
        private boolean blockPush;
        /** Wire bytes of the block's frames (headers included). */
        private long blockWire;

        Direction(boolean request, boolean fresh) {
            this.request = request;
            // The client's bytes start with the preface on a connection seen from its start (the
            // framer goes straight to frames when the first byte cannot start it).
            this.framer = new Http2Framer(this, request ? Http2Framer.State.PREFACE : Http2Framer.State.HEADER);
            this.hpack = new Hpack(fresh);
        }

        @Override
        public int keep(int type, int flags, int stream, int length) {
            return switch (type) {
                case Http2Framer.HEADERS, Http2Framer.CONTINUATION, Http2Framer.PUSH_PROMISE -> Math.min(length, MAX_HEADER_BLOCK);
                case Http2Framer.RST_STREAM -> 4;
                case Http2Framer.GOAWAY -> 8;
                case Http2Framer.DATA -> {
                    Stream s = request ? null : streams.get(stream);
                    yield s == null || s.dataSeen ? 0 : 1 + GRPC_MESSAGE_HEADER + context.prefixBytes;
                }
                default -> 0;
            };
        }

        @Override
        public void frame(int type, int flags, int stream, int length, byte[] p, int kept, boolean cut, long ts) {
            if (cut) {
                context.counters.http2FramesCut++;
            }
            Stream s = streams.get(stream);
            if (s != null) {
                if (request) {
                    s.requestBytes += Http2Framer.HEADER + length;
                } else {
                    s.responseBytes += Http2Framer.HEADER + length;
                }
            }
            switch (type) {
                case Http2Framer.HEADERS, Http2Framer.PUSH_PROMISE -> {
                    int off = 0;
                    int end = kept;
                    if ((flags & Http2Framer.FLAG_PADDED) != 0 && kept > 0) {
                        off = 1;
                        end = Math.max(off, kept - Math.min(p[0] & 0xff, kept)); // padding may be cut away
                        if (kept < length) {
                            end = kept; // the padding was not captured anyway
                        }
                    }
                    if (type == Http2Framer.PUSH_PROMISE) {
                        off += 4;
                    } else if ((flags & Http2Framer.FLAG_PRIORITY) != 0) {
                        off += 5;
                    }
                    blockStream = stream;
                    blockFlags = flags;
                    blockCut = cut || kept < length;
                    blockPush = type == Http2Framer.PUSH_PROMISE;
                    blockLength = 0;
                    blockWire = Http2Framer.HEADER + length;
                    append(p, off, end - off);
                    if ((flags & Http2Framer.FLAG_END_HEADERS) != 0) {
                        headerBlock(ts);
                    }
                }
                case Http2Framer.CONTINUATION -> {
                    if (stream != blockStream) {
                        blockCut = true;
                    }
                    blockCut |= cut || kept < length;
                    blockWire += Http2Framer.HEADER + length;
                    append(p, 0, kept);
                    if ((flags & Http2Framer.FLAG_END_HEADERS) != 0) {
                        headerBlock(ts);
                    }
                }
                case Http2Framer.DATA -> {
                    if (s != null && !request && !s.dataSeen) {
                        firstData(s, flags, length, p, kept, cut);
                    }
                    if (s != null && !request && (flags & Http2Framer.FLAG_END_STREAM) != 0) {
                        endStream(s, ts);
                    }
                }
                case Http2Framer.RST_STREAM -> {
                    if (streams.remove(stream) != null) {
                        context.counters.http2Resets++;
                    }
                }
                case Http2Framer.GOAWAY -> {
                    // Only the server's GOAWAY concerns the client's streams (a client's names the
                    // last server-pushed stream it will process; h2load sends one with 0 as it quits).
                    if (!request && kept >= 4) {
                        goAway(((p[0] & 0x7f) << 24) | ((p[1] & 0xff) << 16) | ((p[2] & 0xff) << 8) | (p[3] & 0xff));
                    }
                }
                default -> {}
            }
        }

        private void append(byte[] p, int off, int len) {
            if (len <= 0) {
                return;
            }
            if (blockLength + len > MAX_HEADER_BLOCK) {
                blockCut = true;
                return;
            }
            if (block.length < blockLength + len) {
                block = Arrays.copyOf(block, Math.max(blockLength + len, block.length * 2));
            }
            System.arraycopy(p, off, block, blockLength, len);
            blockLength += len;
        }

        @Override
        public void lost() {
            context.counters.http2LostSync++;
            hpack.lostBlock(); // blocks may have passed in the unseen bytes
        }

        private void headerBlock(long ts) {
            int stream = blockStream;
            HeaderFields fields = new HeaderFields();
            if (blockCut) {
                hpack.lostBlock();
                fields.unknown = true;
                context.counters.hpackUnknown++;
            } else if (!hpack.decode(block, 0, blockLength, fields)) {
                fields.unknown = true;
                context.counters.hpackUnknown++;
            }
            blockLength = 0;
            if (fields.sawUnknown && !fields.unknown) {
                context.counters.hpackUnknown++;
            }
            if (blockPush) {
                return; // the promised request: HPACK state kept, nothing else
            }
            boolean endStream = (blockFlags & Http2Framer.FLAG_END_STREAM) != 0;
            if (request) {
                requestHeaders(stream, fields, endStream, ts);
            } else {
                responseHeaders(stream, fields, endStream, ts);
            }
        }

        private void requestHeaders(int id, HeaderFields f, boolean endStream, long ts) {
            if (streams.containsKey(id) || (id & 1) == 0 || id > goAwayLastStream) {
                return; // the client's trailers, or a stream that will not be answered
            }
            if (streams.size() >= MAX_STREAMS) {
                context.counters.http2StreamOverflow++;
                return;
            }
            Stream s = new Stream(id, ts);
            s.requestBytes = blockWire;
            boolean unknown = f.unknown || f.method == Hpack.UNKNOWN || f.path == Hpack.UNKNOWN || f.method == null || f.path == null;
            if (unknown) {
                context.counters.http2UnknownRequests++;
            }
            s.method = f.method == null || f.method == Hpack.UNKNOWN ? UNKNOWN_METHOD : f.method;
            s.path = f.path == null || f.path == Hpack.UNKNOWN ? UNKNOWN_PATH : f.path;
            streams.put(id, s);
        }

        private void responseHeaders(int id, HeaderFields f, boolean endStream, long ts) {
            Stream s = streams.get(id);
            if (s == null) {
                if ((id & 1) == 1 && id != lastUnmatched) { // once per stream, not again for its trailers
                    lastUnmatched = id;
                    context.counters.unmatchedResponses++;
                }
                return;
            }
            if (!s.responseHeaders) {
                s.responseHeaders = true;
                if (f.unknown || f.status == Hpack.UNKNOWN) {
                    s.statusUnknown = true;
                } else if (f.status != null) {
                    s.status = parseStatus(f.status);
                }
                s.contentTypeUnknown = f.unknown || (f.contentType == null && f.sawUnknown);
                s.contentType = f.contentType == Hpack.UNKNOWN ? null : f.contentType;
                s.contentEncoding = f.contentEncoding == Hpack.UNKNOWN ? null : f.contentEncoding;
            }
            if (f.unknown || f.grpcStatus == Hpack.UNKNOWN) {
                s.grpcStatusUnknown = true; // it may have been in what we could not decode
            } else if (f.grpcStatus != null) {
                s.grpcStatus = parseStatus(f.grpcStatus);
            }
            if (endStream) {
                endStream(s, ts);
            }
        }

    }

    private void firstData(Stream s, int flags, int length, byte[] p, int kept, boolean cut) {
        s.dataSeen = true;
        int off = 0;
        int end = kept;
        if ((flags & Http2Framer.FLAG_PADDED) != 0 && kept > 0) {
            off = 1;
            if (kept == length) {
                end = Math.max(off, kept - (p[0] & 0xff));
            }
        }
        if (isGrpc(s.contentType)) {
            off += GRPC_MESSAGE_HEADER; // compressed flag and message length
        }
        int n = Math.max(0, Math.min(end - off, context.prefixBytes));
        s.prefix = Arrays.copyOfRange(p, Math.min(off, end), Math.min(off, end) + n);
        s.truncated = cut || kept < length || (end - off) > n || (flags & Http2Framer.FLAG_END_STREAM) == 0;
    }

    private void goAway(int lastStream) {
        goAwayLastStream = Math.min(goAwayLastStream, lastStream);
        streams.values().removeIf(s -> {
            if (s.id > lastStream) {
                context.counters.http2GoAwayStreams++;
                return true;
            }
            return false;
        });
    }

    private void endStream(Stream s, long ts) {
        streams.remove(s.id);
        int status = s.status;
        // Only gRPC sends grpc-status: with it, a content-type we could not decode is no doubt.
        boolean grpc = isGrpc(s.contentType) || s.grpcStatus >= 0;
        boolean maybeGrpc = grpc || s.contentTypeUnknown;
        if (s.grpcStatus >= 0) {
            status = grpcToHttp(s.grpcStatus);
        } else if (maybeGrpc && s.grpcStatusUnknown) {
            status = 0; // the call's outcome was in a header we could not decode: not guessed from :status
        }
        if (status <= 0) {
            context.counters.http2UnknownStatus++;
            return;
        }
        byte[] prefix = s.prefix == null ? new byte[0] : s.prefix;
        Exchange exchange = new Exchange(
                service,
                server ? Side.SERVER : Side.CLIENT,
                s.method,
                s.path,
                status,
                s.startNanos,
                ts,
                s.requestBytes,
                s.responseBytes,
                s.contentType,
                s.contentEncoding,
                prefix,
                s.truncated,
                key,
                tls,
                grpc ? s.grpcStatus : Exchange.NO_GRPC_STATUS);
        context.counters.emitted++;
        context.sink.accept(exchange);
    }

    static boolean isGrpc(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, "application/grpc", 0, 16);
    }

    private static int parseStatus(String s) {
        if (s.isEmpty() || s.length() > 3) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The canonical HTTP mapping of a gRPC status code (google.rpc.Code); an unknown code is 500. */
    static int grpcToHttp(int code) {
        return switch (code) {
            case 0 -> 200;
            case 1 -> 499; // CANCELLED
            case 2 -> 500; // UNKNOWN
            case 3 -> 400; // INVALID_ARGUMENT
            case 4 -> 504; // DEADLINE_EXCEEDED
            case 5 -> 404; // NOT_FOUND
            case 6 -> 409; // ALREADY_EXISTS
            case 7 -> 403; // PERMISSION_DENIED
            case 8 -> 429; // RESOURCE_EXHAUSTED
            case 9 -> 400; // FAILED_PRECONDITION
            case 10 -> 409; // ABORTED
            case 11 -> 400; // OUT_OF_RANGE
            case 12 -> 501; // UNIMPLEMENTED
            case 13 -> 500; // INTERNAL
            case 14 -> 503; // UNAVAILABLE
            case 15 -> 500; // DATA_LOSS
            case 16 -> 401; // UNAUTHENTICATED
            default -> 500;
        };
    }

    /** The fields of one header block that an exchange needs; everything else (grpc-message too) is dropped. */
    private static final class HeaderFields implements Hpack.FieldSink {
        boolean unknown;
        boolean sawUnknown;
        String method;
        String path;
        String status;
        String contentType;
        String contentEncoding;
        String grpcStatus;

        @Override
        public void field(String name, String value) {
            if (name == Hpack.UNKNOWN || value == Hpack.UNKNOWN) {
                sawUnknown = true;
            }
            if (name == Hpack.UNKNOWN) {
                // Could be any field: if it was one we need, that one is unknown now.
                if (method == null) {
                    method = Hpack.UNKNOWN;
                }
                if (path == null) {
                    path = Hpack.UNKNOWN;
                }
                if (status == null) {
                    status = Hpack.UNKNOWN;
                }
                if (grpcStatus == null) {
                    grpcStatus = Hpack.UNKNOWN;
                }
                return;
            }
            switch (name) {
                case ":method" -> method = value;
                case ":path" -> path = value;
                case ":status" -> status = value;
                case "content-type" -> contentType = value;
                case "content-encoding" -> contentEncoding = value;
                case "grpc-status" -> grpcStatus = value;
                default -> {}
            }
        }
    }
}
