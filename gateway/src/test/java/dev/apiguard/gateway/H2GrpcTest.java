package dev.apiguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.apiguard.testkit.RealParts;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;

/** The gateway in front of an h2c backend, with real gRPC and HTTP/2 peers. */
class H2GrpcTest {
    private static final BreakerConfig FAST = BreakerConfig.builder()
            .minCalls(6).failureRatio(0.4).window(Duration.ofSeconds(30))
            .openBase(Duration.ofMillis(800)).openMax(Duration.ofSeconds(2)).jitter(0)
            .halfOpenProbes(1)
            .build();
    /** The routes stage folds case by default (routes config), gRPC methods included. */
    private static final String GET_ROUTE = "/test.Items/Get";

    private static Gateway gateway(int backendPort) {
        return TestGateways.start(URI.create("http://127.0.0.1:" + backendPort), b -> b.breaker(FAST)
                .http2(Http2Config.defaults().withBackendProtocol(Http2Config.BackendProtocol.H2C)));
    }

    private static byte[] unary(ManagedChannel ch, io.grpc.MethodDescriptor<byte[], byte[]> m, String body) {
        return ClientCalls.blockingUnaryCall(ch, m, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFailingMethodTripsAloneAnswersUnavailableWithPushbackAndRecovers() throws Exception {
        try (GrpcPeers.Backend backend = new GrpcPeers.Backend(); Gateway gw = gateway(backend.port())) {
            ManagedChannel ch = GrpcPeers.client(gw.port());
            try {
                int ok = 0;
                int notFound = 0;
                for (int i = 0; i < 6; i++) {
                    try {
                        unary(ch, GrpcPeers.GET, "x");
                        ok++;
                    } catch (StatusRuntimeException e) {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                        notFound++;
                    }
                    unary(ch, GrpcPeers.PING, "p");
                }
                assertThat(ok).isEqualTo(3);
                assertThat(notFound).isEqualTo(3);
                assertThat(gw.breakers().get(GET_ROUTE).orElseThrow().status()).isEqualTo(BreakerSnapshot.Status.OPEN);
                assertThat(gw.breakers().get("/test.Items/Ping").orElseThrow().status())
                        .isEqualTo(BreakerSnapshot.Status.CLOSED);

                // Open: answered by the gateway, natively; the other method keeps answering.
                assertThatThrownBy(() -> unary(ch, GrpcPeers.GET, "x"))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                            assertThat(e.getStatus().getDescription()).contains(GET_ROUTE).contains("open");
                            assertThat(Long.parseLong(e.getTrailers().get(GrpcPeers.PUSHBACK))).isBetween(1L, 800L);
                        });
                assertThat(backend.getCalls.get()).isEqualTo(6);
                assertThat(new String(unary(ch, GrpcPeers.PING, "p"), StandardCharsets.UTF_8)).isEqualTo("pong");
                assertThat(backend.pingCalls.get()).isEqualTo(7);

                String metrics = TestGateways.metrics(gw);
                assertThat(metrics).contains("api_business_errors_total{error_type=\"not_found\",path=\"" + GET_ROUTE
                        + "\",service=\"127.0.0.1:" + backend.port() + "\",severity=\"low\",side=\"gateway\",silent=\"true\"} 3.0");
                assertThat(metrics).contains("method=\"POST\",path=\"" + GET_ROUTE + "\",service=\"127.0.0.1:"
                        + backend.port() + "\",side=\"gateway\",status_class=\"4xx\"} 3.0");
                assertThat(metrics).contains("apiguard_gateway_shed_total{reason=\"open\"} 1.0");
                assertThat(metrics).doesNotContain("secret-item-42"); // grpc-message never leaves the process

                // Half-open after the open period: the backend is healthy again, one probe closes it.
                backend.getFails.set(false);
                Instant retryAt = gw.breakers().get(GET_ROUTE).orElseThrow().retryAt().orElseThrow();
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), retryAt).toMillis()) + 100);
                assertThat(new String(unary(ch, GrpcPeers.GET, "back"), StandardCharsets.UTF_8)).isEqualTo("back");
                assertThat(gw.breakers().get(GET_ROUTE).orElseThrow().status()).isEqualTo(BreakerSnapshot.Status.CLOSED);
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void withBusinessCodesTripOffOnlySystemCodesTrip() throws Exception {
        try (GrpcPeers.Backend backend = new GrpcPeers.Backend();
                Gateway gw = TestGateways.start(URI.create("http://127.0.0.1:" + backend.port()), b -> b.breaker(FAST)
                        .http2(Http2Config.defaults().withBackendProtocol(Http2Config.BackendProtocol.H2C)
                                .withGrpcBusinessCodesTrip(false)))) {
            ManagedChannel ch = GrpcPeers.client(gw.port());
            try {
                for (int i = 0; i < 8; i++) {
                    try {
                        unary(ch, GrpcPeers.GET, "x");
                    } catch (StatusRuntimeException e) {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    }
                }
                assertThat(gw.breakers().get(GET_ROUTE).orElseThrow().status()).isEqualTo(BreakerSnapshot.Status.CLOSED);
                // UNAVAILABLE from the backend is a system failure: 6 failing calls make 6/14 >= 0.4 and trip it
                backend.getFailure.set(Status.UNAVAILABLE);
                backend.getAllFail.set(true);
                int calls = 0;
                for (int i = 0; i < 10 && gw.breakers().get(GET_ROUTE).orElseThrow().status() == BreakerSnapshot.Status.CLOSED; i++) {
                    calls++;
                    assertThatThrownBy(() -> unary(ch, GrpcPeers.GET, "x")).isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
                }
                assertThat(calls).isEqualTo(6);
                assertThat(gw.breakers().get(GET_ROUTE).orElseThrow().status()).isEqualTo(BreakerSnapshot.Status.OPEN);
                String metrics = TestGateways.metrics(gw);
                assertThat(metrics).contains("api_business_errors_total{error_type=\"not_found\",path=\"" + GET_ROUTE
                        + "\",service=\"127.0.0.1:" + backend.port() + "\",severity=\"low\",side=\"gateway\",silent=\"true\"} 4.0");
                assertThat(metrics).containsPattern("method=\"POST\",path=\"" + GET_ROUTE.replace(".", "\\.")
                        + "\",service=\"[^\"]+\",side=\"gateway\",status_class=\"5xx\"} 6\\.0");
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aBackendSilentPastTheResponseTimeoutGetsDeadlineExceeded() throws Exception {
        try (GrpcPeers.Backend backend = new GrpcPeers.Backend();
                Gateway gw = TestGateways.start(URI.create("http://127.0.0.1:" + backend.port()), b -> b
                        .responseTimeout(Duration.ofMillis(500))
                        .http2(Http2Config.defaults().withBackendProtocol(Http2Config.BackendProtocol.H2C)))) {
            ManagedChannel ch = GrpcPeers.client(gw.port());
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> unary(ch, GrpcPeers.SILENT, "x")).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                    assertThat(e.getStatus().getDescription()).startsWith("the backend did not answer within");
                });
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4)); // not the client's 5 s deadline
                String metrics = TestGateways.metrics(gw);
                assertThat(metrics).contains("apiguard_gateway_upstream_errors_total{kind=\"timeout\"} 1.0");
                assertThat(gw.breakers().get("/test.Items/Silent").orElseThrow().windowFailures()).isEqualTo(1);
                assertThat(gw.inFlight()).isZero();
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void streamingCallsPassThroughWithTheirTrailers() throws Exception {
        try (GrpcPeers.Backend backend = new GrpcPeers.Backend(); Gateway gw = gateway(backend.port())) {
            ManagedChannel ch = GrpcPeers.client(gw.port());
            try {
                List<String> got = new ArrayList<>();
                CompletableFuture<Status> closed = new CompletableFuture<>();
                CompletableFuture<Metadata> trailers = new CompletableFuture<>();
                ClientCall<byte[], byte[]> call = ch.newCall(GrpcPeers.LIST, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
                call.start(new ClientCall.Listener<>() {
                    @Override
                    public void onMessage(byte[] message) {
                        got.add(new String(message, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void onClose(Status status, Metadata t) {
                        trailers.complete(t);
                        closed.complete(status);
                    }
                }, new Metadata());
                call.request(10);
                call.sendMessage("all".getBytes(StandardCharsets.UTF_8));
                call.halfClose();
                assertThat(closed.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
                assertThat(got).containsExactly("item-0", "item-1", "item-2");
                assertThat(trailers.get().get(GrpcPeers.DONE)).isEqualTo("yes");

                // Client-streaming: many messages, one answer after the half-close.
                CompletableFuture<String> counted = new CompletableFuture<>();
                io.grpc.stub.StreamObserver<byte[]> requests = io.grpc.stub.ClientCalls.asyncClientStreamingCall(
                        ch.newCall(GrpcPeers.COUNT, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)),
                        new io.grpc.stub.StreamObserver<>() {
                            @Override
                            public void onNext(byte[] value) {
                                counted.complete(new String(value, StandardCharsets.UTF_8));
                            }

                            @Override
                            public void onError(Throwable t) {
                                counted.completeExceptionally(t);
                            }

                            @Override
                            public void onCompleted() {}
                        });
                for (int i = 0; i < 50; i++) {
                    requests.onNext(new byte[100]);
                }
                requests.onCompleted();
                assertThat(counted.get(5, TimeUnit.SECONDS)).isEqualTo("50");

                // Bidi: each message echoed while the call is open.
                List<String> echoes = new ArrayList<>();
                CompletableFuture<Status> chatClosed = new CompletableFuture<>();
                ClientCall<byte[], byte[]> chat = ch.newCall(GrpcPeers.CHAT, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
                chat.start(new ClientCall.Listener<>() {
                    @Override
                    public void onMessage(byte[] message) {
                        synchronized (echoes) {
                            echoes.add(new String(message, StandardCharsets.UTF_8));
                        }
                    }

                    @Override
                    public void onClose(Status status, Metadata t) {
                        chatClosed.complete(status);
                    }
                }, new Metadata());
                chat.request(10);
                for (int i = 0; i < 3; i++) {
                    chat.sendMessage(("m" + i).getBytes(StandardCharsets.UTF_8));
                }
                chat.halfClose();
                assertThat(chatClosed.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
                assertThat(echoes).containsExactly("echo m0", "echo m1", "echo m2");
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aLongStreamCrossesManyFlowControlWindows() throws Exception {
        try (GrpcPeers.Backend backend = new GrpcPeers.Backend(); Gateway gw = gateway(backend.port())) {
            ManagedChannel ch = GrpcPeers.client(gw.port());
            try {
                // 3000 x 1 KiB: ~46 times the 64 KiB stream window, so every window update must flow
                java.util.Iterator<byte[]> it = ClientCalls.blockingServerStreamingCall(ch, GrpcPeers.BULK,
                        CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), "3000".getBytes(StandardCharsets.UTF_8));
                int n = 0;
                while (it.hasNext()) {
                    byte[] m = it.next();
                    assertThat(m).hasSize(1024);
                    assertThat(m[0]).isEqualTo((byte) n);
                    n++;
                }
                assertThat(n).isEqualTo(3000);
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aClientThatDoesNotReadHoldsTheBackendNotGatewayMemory() throws Exception {
        try (GrpcPeers.Backend backend = new GrpcPeers.Backend(); Gateway gw = gateway(backend.port())) {
            // A 64 KiB window that the client returns only for messages it asked for.
            ManagedChannel ch = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", gw.port())
                    .usePlaintext().initialFlowControlWindow(65_535).build();
            try {
                AtomicInteger received = new AtomicInteger();
                CompletableFuture<Status> closed = new CompletableFuture<>();
                ClientCall<byte[], byte[]> call = ch.newCall(GrpcPeers.PACED, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
                call.start(new ClientCall.Listener<>() {
                    @Override
                    public void onMessage(byte[] message) {
                        received.incrementAndGet();
                    }

                    @Override
                    public void onClose(Status status, Metadata t) {
                        closed.complete(status);
                    }
                }, new Metadata());
                call.request(1);
                call.sendMessage("3000".getBytes(StandardCharsets.UTF_8));
                call.halfClose();
                Thread.sleep(2000);
                // Windows on both legs (64 KiB each) plus gRPC's own ready threshold: a few hundred KiB at most
                // of the 3000 KiB the backend wants to send.
                int sentWhileStalled = backend.pacedSent.get();
                assertThat(sentWhileStalled).isBetween(1, 600);
                assertThat(received.get()).isEqualTo(1);
                call.request(5000);
                assertThat(closed.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
                assertThat(received.get()).isEqualTo(3000);
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void streamsBeyondMaxConcurrentStreamsAreRefused() throws Exception {
        try (H2PlainBackend backend = new H2PlainBackend();
                Gateway gw = TestGateways.start(URI.create("http://127.0.0.1:" + backend.port()), b -> b
                        .http2(Http2Config.defaults().withBackendProtocol(Http2Config.BackendProtocol.H2C)
                                .withMaxConcurrentStreams(2)));
                Socket s = new Socket("127.0.0.1", gw.port())) {
            OutputStream out = s.getOutputStream();
            out.write(PrefaceSniffer.PREFACE);
            frame(out, 4, 0, 0, new byte[0]);
            byte[] post = {(byte) 0x83, (byte) 0x86, (byte) 0x84}; // POST http / : bodies never end
            for (int stream = 1; stream <= 5; stream += 2) {
                frame(out, 1, 0x4, stream, post); // END_HEADERS only: the streams stay open
            }
            out.flush();
            s.setSoTimeout(5000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            long refused = -1;
            for (int i = 0; i < 20 && refused < 0; i++) {
                int len = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[len];
                in.readFully(payload);
                if (type == 3) {
                    assertThat(stream).isEqualTo(5);
                    refused = payload[3] & 0xff;
                }
            }
            assertThat(refused).isEqualTo(7L); // REFUSED_STREAM
            assertThat(backend.requests.get()).isZero();
        }
    }

    @Test
    void pythonGrpcioClientThroughTheGateway() throws Exception {
        RealParts.require(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 (Debian python3-grpcio)");
        String script = """
                import sys, grpc
                ch = grpc.insecure_channel('127.0.0.1:' + sys.argv[1])
                ping = ch.unary_unary('/test.Items/Ping', request_serializer=None, response_deserializer=None)
                print(ping(b'hi', timeout=5).decode())
                get = ch.unary_unary('/test.Items/Get', request_serializer=None, response_deserializer=None)
                try:
                    get(b'forced', timeout=5)
                except grpc.RpcError as e:
                    md = dict(e.trailing_metadata() or ())
                    print(e.code().name, 'pushback' if 'grpc-retry-pushback-ms' in md else 'no-pushback')
                """;
        try (GrpcPeers.Backend backend = new GrpcPeers.Backend(); Gateway gw = gateway(backend.port())) {
            gw.breakers().forceOpen(GET_ROUTE);
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, Integer.toString(gw.port()))
                    .redirectErrorStream(true).start();
            try {
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                RealParts.require(!out.contains("No module named 'grpc'"), "Debian python3-grpcio");
                assertThat(out).isEqualTo("pong\nUNAVAILABLE pushback\n");
                assertThat(p.exitValue()).isZero();
            } finally {
                p.destroyForcibly();
            }
            assertThat(backend.pingCalls.get()).isEqualTo(1);
            assertThat(backend.getCalls.get()).isZero();
        }
    }

    @Test
    void aPythonGrpcioBackendBehindTheGateway() throws Exception {
        RealParts.require(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 (Debian python3-grpcio)");
        String server = """
                import sys, grpc
                from concurrent import futures
                def hello(req, ctx):
                    return b'hi ' + req
                def deny(req, ctx):
                    ctx.abort(grpc.StatusCode.PERMISSION_DENIED, 'denied for secret-user-7')
                def stream(req, ctx):
                    for i in range(3):
                        yield b'm%d' % i
                handler = grpc.method_handlers_generic_handler('py.Svc', {
                    'Hello': grpc.unary_unary_rpc_method_handler(hello, request_deserializer=None, response_serializer=None),
                    'Deny': grpc.unary_unary_rpc_method_handler(deny, request_deserializer=None, response_serializer=None),
                    'Stream': grpc.unary_stream_rpc_method_handler(stream, request_deserializer=None, response_serializer=None),
                })
                server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
                server.add_generic_rpc_handlers((handler,))
                port = server.add_insecure_port('127.0.0.1:0')
                server.start()
                print(port, flush=True)
                sys.stdin.read()
                server.stop(0)
                """;
        Process py = new ProcessBuilder("/usr/bin/python3", "-c", server).redirectErrorStream(true).start();
        try {
            java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return lines.readLine();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String portLine = first.get(30, TimeUnit.SECONDS);
            RealParts.require(portLine != null && portLine.matches("\\d+"), "Debian python3-grpcio (got: " + portLine + ")");
            try (Gateway gw = gateway(Integer.parseInt(portLine))) {
                ManagedChannel ch = GrpcPeers.client(gw.port());
                try {
                    assertThat(new String(unary(ch, GrpcPeers.method("py.Svc/Hello", io.grpc.MethodDescriptor.MethodType.UNARY), "x"),
                            StandardCharsets.UTF_8)).isEqualTo("hi x");
                    assertThatThrownBy(() -> unary(ch, GrpcPeers.method("py.Svc/Deny", io.grpc.MethodDescriptor.MethodType.UNARY), "x"))
                            .isInstanceOfSatisfying(StatusRuntimeException.class,
                                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
                    List<String> got = new ArrayList<>();
                    ClientCalls.blockingServerStreamingCall(ch, GrpcPeers.method("py.Svc/Stream",
                            io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING), CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
                            new byte[0]).forEachRemaining(m -> got.add(new String(m, StandardCharsets.UTF_8)));
                    assertThat(got).containsExactly("m0", "m1", "m2");
                    String metrics = TestGateways.metrics(gw);
                    assertThat(metrics).contains("api_business_errors_total{error_type=\"auth_failure\",path=\"/py.Svc/Deny\",service=\"127.0.0.1:"
                            + portLine + "\",severity=\"high\",side=\"gateway\",silent=\"true\"} 1.0");
                    assertThat(metrics).doesNotContain("secret-user-7");
                } finally {
                    ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        } finally {
            py.getOutputStream().close(); // the server stops when its stdin ends
            if (!py.waitFor(10, TimeUnit.SECONDS)) {
                py.destroyForcibly();
            }
        }
    }

    @Test
    void plainH2cJsonThroughTheGatewayWithCurl() throws Exception {
        Path curl = RealParts.requireBinary("curl");
        try (H2PlainBackend backend = new H2PlainBackend(); Gateway gw = gateway(backend.port())) {
            String base = "http://127.0.0.1:" + gw.port();
            assertThat(run(curl.toString(), "-s", "-i", "--max-time", "10", "--http2-prior-knowledge", base + "/items/1"))
                    .startsWith("HTTP/2 200").contains("content-type: application/json").endsWith("{\"item\":\"/items/1\"}");
            gw.breakers().forceOpen("/items/{id}");
            String refused = run(curl.toString(), "-s", "-i", "--http2-prior-knowledge", base + "/items/2");
            assertThat(refused).startsWith("HTTP/2 503").contains("retry-after: ").contains("\"state\":\"forced_open\"");
            assertThat(backend.requests.get()).isEqualTo(1);
            // max-header-size bounds the header list of HTTP/2 requests too
            String big = run(curl.toString(), "-s", "-i", "--max-time", "10", "--http2-prior-knowledge",
                    "-H", "x-big: " + "a".repeat(20_000), base + "/items/3");
            assertThat(big).startsWith("HTTP/2 431");
            assertThat(backend.requests.get()).isEqualTo(1);
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } finally {
            p.destroyForcibly();
        }
    }

    // ---- raw HTTP/2 frames

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
            (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(head);
        out.write(payload);
    }

    /** Reads frames until the peer closes; returns the GOAWAY error code, or -1 if none came. */
    private static long readUntilGoAway(Socket s) throws IOException {
        s.setSoTimeout(5000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (System.nanoTime() < deadline) {
                int len = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                in.readUnsignedByte();
                in.readInt();
                byte[] payload = new byte[len];
                in.readFully(payload);
                if (type == 7) {
                    return ((payload[4] & 0xffL) << 24) | ((payload[5] & 0xff) << 16) | ((payload[6] & 0xff) << 8) | (payload[7] & 0xff);
                }
            }
        } catch (EOFException | SocketTimeoutException | java.net.SocketException e) {
            // closed without GOAWAY
        }
        return -1;
    }

    @Test
    void aRapidResetFloodGetsGoAwayWhileOthersAreServed() throws Exception {
        try (GrpcPeers.Backend backend = new GrpcPeers.Backend(); Gateway gw = gateway(backend.port())) {
            ManagedChannel ch = GrpcPeers.client(gw.port());
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger pongs = new AtomicInteger();
            AtomicInteger http1Answers = new AtomicInteger();
            Thread others = new Thread(() -> {
                for (int i = 0; i < 200 && (flooding.get() || i < 5); i++) {
                    if ("pong".equals(new String(unary(ch, GrpcPeers.PING, "p"), StandardCharsets.UTF_8))) {
                        pongs.incrementAndGet();
                    }
                    try (RawHttp raw = new RawHttp(gw.port())) {
                        // A gRPC-only backend refuses HTTP/1.1: the gateway still answers, with 502.
                        if (raw.exchange("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").status() == 502) {
                            http1Answers.incrementAndGet();
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            others.start();
            long goAway;
            try (Socket s = new Socket("127.0.0.1", gw.port())) {
                OutputStream out = s.getOutputStream();
                out.write(PrefaceSniffer.PREFACE);
                frame(out, 4, 0, 0, new byte[0]); // SETTINGS
                byte[] headers = {(byte) 0x82, (byte) 0x86, (byte) 0x84}; // GET http / (HPACK static table)
                byte[] cancel = {0, 0, 0, 8};
                try {
                    for (int i = 0; i < 1000; i++) {
                        int stream = 1 + 2 * i;
                        frame(out, 1, 0x4 | 0x1, stream, headers); // END_HEADERS | END_STREAM
                        frame(out, 3, 0, stream, cancel); // RST_STREAM CANCEL
                    }
                    out.flush();
                } catch (IOException e) {
                    // the gateway closed the connection mid-flood: expected
                }
                goAway = readUntilGoAway(s);
            } finally {
                flooding.set(false);
            }
            others.join(30_000);
            assertThat(goAway).isEqualTo(0xbL); // ENHANCE_YOUR_CALM
            assertThat(pongs.get()).isGreaterThanOrEqualTo(5);
            assertThat(http1Answers.get()).isEqualTo(pongs.get());
            assertThat(TestGateways.metrics(gw)).contains("apiguard_gateway_rejected_total{reason=\"h2_rapid_reset\"} 1.0");
            assertThat(new String(unary(ch, GrpcPeers.PING, "after"), StandardCharsets.UTF_8)).isEqualTo("pong");
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void emptyDataFramesInARowGetGoAwayCountedAsAFlood() throws Exception {
        try (H2PlainBackend backend = new H2PlainBackend(); Gateway gw = gateway(backend.port())) {
            try (Socket s = new Socket("127.0.0.1", gw.port())) {
                OutputStream out = s.getOutputStream();
                out.write(PrefaceSniffer.PREFACE);
                frame(out, 4, 0, 0, new byte[0]);
                frame(out, 1, 0x4, 1, new byte[] {(byte) 0x83, (byte) 0x86, (byte) 0x84}); // POST /, body to come
                for (int i = 0; i < 5; i++) {
                    frame(out, 0, 0, 1, new byte[0]); // empty DATA without END_STREAM
                }
                out.flush();
                assertThat(readUntilGoAway(s)).isEqualTo(0xbL); // ENHANCE_YOUR_CALM
            }
            String metrics = TestGateways.metrics(gw);
            assertThat(metrics).contains("apiguard_gateway_rejected_total{reason=\"h2_flood\"} 1.0");
            assertThat(metrics).doesNotContain("reason=\"h2_rapid_reset\"} 1.0");
        }
    }

    @Test
    void aMalformedFrameGetsGoAwayWithItsErrorCode() throws Exception {
        try (GrpcPeers.Backend backend = new GrpcPeers.Backend(); Gateway gw = gateway(backend.port())) {
            try (Socket s = new Socket("127.0.0.1", gw.port())) {
                OutputStream out = s.getOutputStream();
                out.write(PrefaceSniffer.PREFACE);
                frame(out, 4, 0, 0, new byte[5]); // SETTINGS whose length is not a multiple of 6
                out.flush();
                assertThat(readUntilGoAway(s)).isEqualTo(0x6L); // FRAME_SIZE_ERROR
            }
            assertThat(TestGateways.metrics(gw)).contains("apiguard_gateway_rejected_total{reason=\"h2_protocol_error\"} 1.0");
        }
    }
}
