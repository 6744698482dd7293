package dev.apiguard.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

import dev.apiguard.capture.SocketEvent;
import dev.apiguard.capture.SocketEvent.Kind;
import dev.apiguard.capture.SocketEvent.Role;

/**
 * A recorded conversation on one TCP connection: the writes of client and server, in order. It
 * replays as the SocketEvents either end would produce, with the kernel's capture rule applied
 * (only the first 1024 bytes of each syscall are copied), cut into events as a test asks.
 */
final class Conversation {
    static final int TGID = 4242;
    static final int FD = 7;
    static final long GENERATION = 3;
    static final int SERVER_PORT = 8080;
    static final int CLIENT_PORT = 51000;
    static final long BASE_NANOS = 5_000_000_000L;

    record Write(boolean fromClient, byte[] bytes, boolean sendfile) {}

    private final List<Write> writes = new ArrayList<>();
    private boolean closeAtEnd;

    static String head(String... lines) {
        return String.join("\r\n", lines) + "\r\n\r\n";
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    Conversation client(String bytes) {
        writes.add(new Write(true, ascii(bytes), false));
        return this;
    }

    Conversation server(String bytes) {
        writes.add(new Write(false, ascii(bytes), false));
        return this;
    }

    Conversation client(byte[] bytes) {
        writes.add(new Write(true, bytes, false));
        return this;
    }

    Conversation server(byte[] bytes) {
        writes.add(new Write(false, bytes, false));
        return this;
    }

    /** A sendfile() of {@code length} bytes: moved, never captured. */
    Conversation serverSendfile(int length) {
        writes.add(new Write(false, new byte[length], true));
        return this;
    }

    Conversation close() {
        closeAtEnd = true;
        return this;
    }

    List<Write> writes() {
        return writes;
    }

    /** Replays unsplit. */
    Replay replay(Role view) {
        return replay(view, i -> new int[0]);
    }

    /** Replays with write {@code i} cut at the (ascending) offsets {@code cuts.apply(i)}. */
    Replay replay(Role view, IntFunction<int[]> cuts) {
        Replay replay = new Replay();
        boolean server = view == Role.SERVER;
        replay.events.add(event(server ? Kind.OPEN_SERVER : Kind.OPEN_CLIENT, view, BASE_NANOS, new byte[0], 0, 0));
        long clientOffset = 0;
        long serverOffset = 0;
        for (int i = 0; i < writes.size(); i++) {
            Write write = writes.get(i);
            int[] cut = cuts.apply(i);
            int from = 0;
            for (int p = 0; p <= cut.length; p++) {
                int to = p < cut.length ? cut[p] : write.bytes.length;
                if (to <= from) {
                    continue;
                }
                long ts = BASE_NANOS + (i + 1) * 1000L + p;
                int length = to - from;
                int captured = write.sendfile ? 0 : Math.min(length, SocketEvent.MAX_CAPTURE);
                byte[] data = Arrays.copyOfRange(write.bytes, from, from + captured);
                boolean ingress = write.fromClient == server;
                replay.events.add(event(ingress ? Kind.INGRESS : Kind.EGRESS, view, ts, data, captured, length));
                if (write.fromClient) {
                    replay.clientPieces.add(new long[] {clientOffset, clientOffset + length, ts});
                    clientOffset += length;
                } else {
                    replay.serverPieces.add(new long[] {serverOffset, serverOffset + length, ts});
                    serverOffset += length;
                }
                from = to;
            }
        }
        if (closeAtEnd) {
            replay.events.add(event(Kind.CLOSE, view, BASE_NANOS + (writes.size() + 1) * 1000L, new byte[0], 0, 0));
        }
        return replay;
    }

    static SocketEvent event(Kind kind, Role view, long ts, byte[] data, int captured, long total) {
        boolean server = view == Role.SERVER;
        return new SocketEvent(kind, TGID, FD, GENERATION, ts, view, total, data, captured,
                server ? "nginx" : "curl", server ? SERVER_PORT : CLIENT_PORT, server ? CLIENT_PORT : SERVER_PORT);
    }

    /** The events of one replay and where each stream's bytes went. */
    static final class Replay {
        final List<SocketEvent> events = new ArrayList<>();
        final List<long[]> clientPieces = new ArrayList<>();
        final List<long[]> serverPieces = new ArrayList<>();

        long tsOfClientByte(long offset) {
            return tsOf(clientPieces, offset);
        }

        long tsOfServerByte(long offset) {
            return tsOf(serverPieces, offset);
        }

        private static long tsOf(List<long[]> pieces, long offset) {
            for (long[] piece : pieces) {
                if (offset >= piece[0] && offset < piece[1]) {
                    return piece[2];
                }
            }
            throw new IllegalArgumentException("no byte at offset " + offset);
        }
    }
}
