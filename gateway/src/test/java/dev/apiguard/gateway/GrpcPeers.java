package dev.apiguard.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;

/** A real grpc-java backend and client with raw-bytes methods (no codegen). */
final class GrpcPeers {
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    static final MethodDescriptor<byte[], byte[]> GET = method("test.Items/Get", MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> PING = method("test.Items/Ping", MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> LIST = method("test.Items/List", MethodType.SERVER_STREAMING);
    static final MethodDescriptor<byte[], byte[]> BULK = method("test.Items/Bulk", MethodType.SERVER_STREAMING);
    static final MethodDescriptor<byte[], byte[]> COUNT = method("test.Items/Count", MethodType.CLIENT_STREAMING);
    static final MethodDescriptor<byte[], byte[]> SILENT = method("test.Items/Silent", MethodType.UNARY);
    static final MethodDescriptor<byte[], byte[]> PACED = method("test.Items/Paced", MethodType.SERVER_STREAMING);
    static final MethodDescriptor<byte[], byte[]> CHAT = method("test.Items/Chat", MethodType.BIDI_STREAMING);
    static final Metadata.Key<String> DONE = Metadata.Key.of("x-done", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> PUSHBACK = Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

    static MethodDescriptor<byte[], byte[]> method(String name, MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type).setFullMethodName(name)
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    /** Get fails NOT_FOUND on every second call while {@code getFails}; Ping always answers. */
    static final class Backend implements AutoCloseable {
        final AtomicInteger getCalls = new AtomicInteger();
        final AtomicInteger pingCalls = new AtomicInteger();
        /** Messages Paced has handed to its transport: it sends only while the call is ready (flow control). */
        final AtomicInteger pacedSent = new AtomicInteger();
        final AtomicBoolean getFails = new AtomicBoolean(true);
        final AtomicBoolean getAllFail = new AtomicBoolean();
        /** What Get fails with, every second call. */
        final java.util.concurrent.atomic.AtomicReference<Status> getFailure = new java.util.concurrent.atomic.AtomicReference<>(Status.NOT_FOUND);
        final Server server;

        Backend() throws IOException {
            ServerServiceDefinition items = ServerServiceDefinition.builder("test.Items")
                    .addMethod(GET, ServerCalls.asyncUnaryCall((req, out) -> {
                        int call = getCalls.getAndIncrement();
                        if (getFails.get() && (call % 2 == 1 || getAllFail.get())) {
                            out.onError(getFailure.get().withDescription("no item secret-item-42").asRuntimeException());
                        } else {
                            out.onNext(req);
                            out.onCompleted();
                        }
                    }))
                    .addMethod(PING, ServerCalls.asyncUnaryCall((req, out) -> {
                        pingCalls.incrementAndGet();
                        out.onNext("pong".getBytes(StandardCharsets.UTF_8));
                        out.onCompleted();
                    }))
                    .addMethod(LIST, ServerCalls.asyncServerStreamingCall((req, out) -> {
                        for (int i = 0; i < 3; i++) {
                            out.onNext(("item-" + i).getBytes(StandardCharsets.UTF_8));
                        }
                        out.onCompleted();
                    }))
                    .addMethod(BULK, ServerCalls.asyncServerStreamingCall((req, out) -> {
                        int n = Integer.parseInt(new String(req, StandardCharsets.UTF_8));
                        byte[] chunk = new byte[1024];
                        for (int i = 0; i < n; i++) {
                            chunk[0] = (byte) i;
                            out.onNext(chunk.clone());
                        }
                        out.onCompleted();
                    }))
                    .addMethod(COUNT, ServerCalls.asyncClientStreamingCall(out -> new io.grpc.stub.StreamObserver<byte[]>() {
                        private int messages;

                        @Override
                        public void onNext(byte[] m) {
                            messages++;
                        }

                        @Override
                        public void onError(Throwable t) {}

                        @Override
                        public void onCompleted() {
                            out.onNext(Integer.toString(messages).getBytes(StandardCharsets.UTF_8));
                            out.onCompleted();
                        }
                    }))
                    .addMethod(SILENT, ServerCalls.asyncUnaryCall((req, out) -> {})) // never answers
                    .addMethod(PACED, ServerCalls.asyncServerStreamingCall((req, out) -> {
                        io.grpc.stub.ServerCallStreamObserver<byte[]> o = (io.grpc.stub.ServerCallStreamObserver<byte[]>) out;
                        int n = Integer.parseInt(new String(req, StandardCharsets.UTF_8));
                        AtomicBoolean done = new AtomicBoolean();
                        Runnable drain = () -> {
                            while (o.isReady() && pacedSent.get() < n) {
                                o.onNext(new byte[1024]);
                                pacedSent.incrementAndGet();
                            }
                            if (pacedSent.get() >= n && done.compareAndSet(false, true)) {
                                o.onCompleted();
                            }
                        };
                        o.setOnReadyHandler(drain);
                        drain.run();
                    }))
                    .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(out -> new io.grpc.stub.StreamObserver<byte[]>() {
                        @Override
                        public void onNext(byte[] m) {
                            out.onNext(("echo " + new String(m, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                        }

                        @Override
                        public void onError(Throwable t) {}

                        @Override
                        public void onCompleted() {
                            out.onCompleted();
                        }
                    }))
                    .build();
            ServerInterceptor doneTrailer = new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                        ServerCallHandler<Q, R> next) {
                    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                        @Override
                        public void close(Status status, Metadata trailers) {
                            trailers.put(DONE, "yes");
                            super.close(status, trailers);
                        }
                    }, headers);
                }
            };
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(ServerInterceptors.intercept(items, doneTrailer)).build().start();
        }

        int port() {
            return server.getPort();
        }

        @Override
        public void close() throws InterruptedException {
            server.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    static ManagedChannel client(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private GrpcPeers() {}
}
