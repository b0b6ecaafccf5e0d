package dev.vppmaglev.daemon.grpc;

import dev.vppmaglev.daemon.metrics.DaemonMetrics;
import io.grpc.BindableService;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC listeners: TCP ({@code --grpc-addr}) and, when given, a Unix socket
 * ({@code --grpc-socket}, mode 0660). Both serve {@code maglev.Maglev}, {@code grpc.health.v1}
 * and (unless {@code --reflection=false}) server reflection, and count every call in
 * {@code maglev_grpc_requests_total}.
 */
public final class GrpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

    private final List<Server> servers = new ArrayList<>();
    private final HealthStatusManager health = new HealthStatusManager();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Executor executor;
    private Path socketPath;

    /**
     * Starts the listeners.
     *
     * @param tcp    TCP address, or {@code null} for none
     * @param socket Unix socket path, or {@code null} for none (a stale file there is replaced)
     * @param executor runs the handlers (they may block on file I/O or VPP calls)
     * @throws IOException when a listener cannot bind (e.g. the port is in use)
     */
    public GrpcServer(BindableService service, DaemonMetrics metrics, boolean reflection,
                      InetSocketAddress tcp, Path socket, Executor executor) throws IOException {
        this.executor = executor;
        ServerInterceptor counting = new CountingInterceptor(metrics);
        try {
            if (tcp != null) {
                NettyServerBuilder b = NettyServerBuilder.forAddress(tcp)
                        .channelType(NioServerSocketChannel.class)
                        .bossEventLoopGroup(group).workerEventLoopGroup(group);
                servers.add(start(b, service, counting, reflection));
                log.atInfo().setMessage("grpc-listen").addKeyValue("addr", tcp.toString()).log();
            }
            if (socket != null) {
                Files.deleteIfExists(socket);
                NettyServerBuilder b = NettyServerBuilder.forAddress(UnixDomainSocketAddress.of(socket))
                        .channelType(NioServerDomainSocketChannel.class)
                        .bossEventLoopGroup(group).workerEventLoopGroup(group);
                servers.add(start(b, service, counting, reflection));
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
                socketPath = socket;
                log.atInfo().setMessage("grpc-listen").addKeyValue("socket", socket.toString()).log();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus("maglev.Maglev", ServingStatus.SERVING);
    }

    private Server start(NettyServerBuilder b, BindableService service, ServerInterceptor counting,
                         boolean reflection) throws IOException {
        b.addService(ServerInterceptors.intercept(service, counting))
                .addService(ServerInterceptors.intercept(health.getHealthService(), counting))
                .executor(executor);
        if (reflection) {
            b.addService(ProtoReflectionServiceV1.newInstance());
        }
        return b.build().start();
    }

    /** The bound TCP port (useful with port 0), or -1 without a TCP listener. */
    public int tcpPort() {
        for (Server s : servers) {
            if (s.getListenSockets().getFirst() instanceof InetSocketAddress isa) {
                return isa.getPort();
            }
        }
        return -1;
    }

    /**
     * Stops accepting calls, gives running calls one second, then cancels what is left (open
     * WatchEvents streams).
     */
    @Override
    public void close() {
        health.enterTerminalState();
        for (Server s : servers) {
            s.shutdown();
        }
        for (Server s : servers) {
            try {
                if (!s.awaitTermination(1, TimeUnit.SECONDS)) {
                    s.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (socketPath != null) {
            try {
                Files.deleteIfExists(socketPath);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    /** Counts every finished call by method and status code. */
    private static final class CountingInterceptor implements ServerInterceptor {
        private final DaemonMetrics metrics;

        CountingInterceptor(DaemonMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                         ServerCallHandler<Q, R> next) {
            String method = call.getMethodDescriptor().getBareMethodName();
            return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    metrics.grpcRequest(method, status.getCode().name());
                    super.close(status, trailers);
                }
            }, headers);
        }
    }
}
