package dev.warden.secrets.gcp;

import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.ListSecretsResponse;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google Secret Manager's gRPC service {@code google.cloud.secretmanager.v1.SecretManagerService} on a loopback
 * port: {@code AccessSecretVersion} (with {@code latest} resolved to the newest version number and the payload's
 * CRC32C) and {@code ListSecrets}. The service definition is built from the method names and protobuf messages of
 * the published API because the generated {@code SecretManagerServiceGrpc} stub is not served by Maven Central at the
 * BOM's version; on the wire it is the same service.
 */
final class SecretManagerTestServer implements AutoCloseable {

    static final String PROJECT = "warden-prod-1";
    private static final String SERVICE = "google.cloud.secretmanager.v1.SecretManagerService";

    static final MethodDescriptor<AccessSecretVersionRequest, AccessSecretVersionResponse> ACCESS =
            MethodDescriptor.<AccessSecretVersionRequest, AccessSecretVersionResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "AccessSecretVersion"))
                    .setRequestMarshaller(ProtoUtils.marshaller(AccessSecretVersionRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(AccessSecretVersionResponse.getDefaultInstance()))
                    .build();
    static final MethodDescriptor<ListSecretsRequest, ListSecretsResponse> LIST =
            MethodDescriptor.<ListSecretsRequest, ListSecretsResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "ListSecrets"))
                    .setRequestMarshaller(ProtoUtils.marshaller(ListSecretsRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(ListSecretsResponse.getDefaultInstance()))
                    .build();

    private final Map<String, List<String>> versions = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final List<String> apiClientHeaders = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile Server server;
    private int port;

    SecretManagerTestServer() {
        start();
    }

    String endpoint() {
        return "127.0.0.1:" + port;
    }

    int reads() {
        return reads.get();
    }

    /** The x-goog-api-client header of each call: the official client identifies itself with it. */
    List<String> apiClientHeaders() {
        return List.copyOf(apiClientHeaders);
    }

    /** Adds a version; returns its number. */
    int put(String secret, String value) {
        List<String> list = versions.computeIfAbsent(secret, s -> new CopyOnWriteArrayList<>());
        list.add(value);
        return list.size();
    }

    void deny(String secret) {
        denied.add(secret);
    }

    synchronized void start() {
        if (server != null) {
            return;
        }
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(ACCESS, ServerCalls.asyncUnaryCall(this::access))
                .addMethod(LIST, ServerCalls.asyncUnaryCall(this::list))
                .build();
        ServerInterceptor headers = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata metadata,
                                                             ServerCallHandler<Q, R> next) {
                apiClientHeaders.add(String.valueOf(metadata.get(
                        Metadata.Key.of("x-goog-api-client", Metadata.ASCII_STRING_MARSHALLER))));
                return next.startCall(call, metadata);
            }
        };
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .addService(ServerInterceptors.intercept(service, headers))
                    .build()
                    .start();
            port = server.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    private void access(AccessSecretVersionRequest request, StreamObserver<AccessSecretVersionResponse> out) {
        reads.incrementAndGet();
        String[] parts = request.getName().split("/");
        // projects/{p}/secrets/{s}/versions/{v}
        if (parts.length != 6 || !parts[0].equals("projects") || !parts[2].equals("secrets")
                || !parts[4].equals("versions")) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("Invalid resource field value in the request.")
                    .asRuntimeException());
            return;
        }
        String project = parts[1];
        String secret = parts[3];
        if (denied.contains(secret)) {
            out.onError(Status.PERMISSION_DENIED.withDescription("Permission 'secretmanager.versions.access' denied "
                    + "for resource '" + request.getName() + "' (or it may not exist).").asRuntimeException());
            return;
        }
        List<String> list = versions.get(secret);
        int number = list == null || !project.equals(PROJECT) ? 0
                : parts[5].equals("latest") ? list.size()
                : parts[5].matches("\\d+") ? Integer.parseInt(parts[5]) : 0;
        if (list == null || number < 1 || number > list.size()) {
            out.onError(Status.NOT_FOUND.withDescription("Secret [" + request.getName() + "] not found or has no "
                    + "versions.").asRuntimeException());
            return;
        }
        byte[] data = list.get(number - 1).getBytes(StandardCharsets.UTF_8);
        out.onNext(AccessSecretVersionResponse.newBuilder()
                .setName("projects/" + project + "/secrets/" + secret + "/versions/" + number)
                .setPayload(SecretPayload.newBuilder()
                        .setData(ByteString.copyFrom(data))
                        .setDataCrc32C(Integer.toUnsignedLong(Hashing.crc32c().hashBytes(data).asInt())))
                .build());
        out.onCompleted();
    }

    private void list(ListSecretsRequest request, StreamObserver<ListSecretsResponse> out) {
        out.onNext(ListSecretsResponse.newBuilder().setTotalSize(versions.size()).build());
        out.onCompleted();
    }

    @Override
    public void close() {
        stop();
    }
}
