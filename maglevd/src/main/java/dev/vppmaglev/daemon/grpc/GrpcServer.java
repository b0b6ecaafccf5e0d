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
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
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
import java.nio.file.StandardCopyOption;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC listeners: TCP ({@code --grpc-addr}, plaintext or TLS, optionally mutual TLS) and,
 * when given, a Unix socket ({@code --grpc-socket}, mode 0660, optional group). Both serve
 * {@code maglev.Maglev}, {@code grpc.health.v1} and (unless {@code --reflection=false}) server
 * reflection, v1 and v1alpha; every call is counted in {@code maglev_grpc_requests_total} and its caller
 * identified ({@link Peer}); mutating calls are refused when {@link MutationPolicy} says so.
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
     * @param executor runs the handlers (they may block on file I/O or VPP calls)
     * @throws IOException when a listener cannot bind (e.g. the port is in use), the socket group
     *                     does not exist, or a TLS file cannot be read
     */
    public GrpcServer(BindableService service, DaemonMetrics metrics, GrpcListen listen, Executor executor)
            throws IOException {
        this.executor = executor;
        ServerInterceptor counting = new CountingInterceptor(metrics);
        try {
            if (listen.tcp() != null) {
                NettyServerBuilder b = NettyServerBuilder.forAddress(listen.tcp())
                        .channelType(NioServerSocketChannel.class)
                        .bossEventLoopGroup(group).workerEventLoopGroup(group);
                if (listen.tlsCert() != null) {
                    b.sslContext(tls(listen));
                }
                try {
                    servers.add(start(b, service, counting, new AccessInterceptor(false, listen.mutations()),
                            listen.reflection()));
                } catch (IOException e) {
                    throw new IOException("--grpc-addr " + hostPort(listen.tcp()) + ": cannot listen: "
                            + rootMessage(e), e);
                }
                logListen(listen);
            }
            if (listen.socket() != null) {
                Path socket = listen.socket().toAbsolutePath();
                refuseIfServed(socket);
                // Bind in a private directory, set mode and group, then move the socket into place:
                // at no moment can someone outside the group connect through a looser mode.
                Path parent = socket.getParent();
                Path staging = Files.createTempDirectory(parent, ".maglevd-grpc-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Path bound = staging.resolve("grpc.sock");
                try {
                    NettyServerBuilder b = NettyServerBuilder.forAddress(UnixDomainSocketAddress.of(bound))
                            .channelType(NioServerDomainSocketChannel.class)
                            .bossEventLoopGroup(group).workerEventLoopGroup(group);
                    servers.add(start(b, service, counting, new AccessInterceptor(true, listen.mutations()),
                            listen.reflection()));
                    Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-rw----"));
                    if (!listen.socketGroup().isEmpty()) {
                        GroupPrincipal g = bound.getFileSystem().getUserPrincipalLookupService()
                                .lookupPrincipalByGroupName(listen.socketGroup());
                        Files.getFileAttributeView(bound, PosixFileAttributeView.class).setGroup(g);
                    }
                    Files.move(bound, socket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    socketPath = socket;
                } finally {
                    Files.deleteIfExists(bound);
                    Files.deleteIfExists(staging);
                }
                log.atInfo().setMessage("grpc-listen").addKeyValue("socket", socket.toString())
                        .addKeyValue("mode", "0660")
                        .addKeyValue("group", listen.socketGroup().isEmpty() ? "(daemon's)" : listen.socketGroup())
                        .log();
            }
        } catch (UserPrincipalNotFoundException e) {
            close();
            throw new IOException("--grpc-socket-group: no group named \"" + listen.socketGroup() + "\"", e);
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        // NOT_SERVING until the daemon has applied its first config (serving()).
        health.setStatus("", ServingStatus.NOT_SERVING);
        health.setStatus("maglev.Maglev", ServingStatus.NOT_SERVING);
    }

    /** Marks the service SERVING in grpc.health.v1 (the daemon calls it once it is running). */
    public void serving() {
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus("maglev.Maglev", ServingStatus.SERVING);
    }

    /**
     * A socket file at {@code socket} that still accepts connections belongs to a running process
     * (another maglevd): refuse to take it over. A dead one (connection refused) is replaced.
     */
    private static void refuseIfServed(Path socket) throws IOException {
        if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException notServed) {
            return; // stale: Files.move replaces it
        }
        throw new IOException("--grpc-socket " + socket + ": another process is serving on it (another maglevd?);"
                + " refusing to replace it");
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The innermost cause's message (Netty wraps the BindException): "Address already in use". */
    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private static SslContext tls(GrpcListen listen) throws IOException {
        try {
            SslContextBuilder b = GrpcSslContexts.configure(
                    SslContextBuilder.forServer(listen.tlsCert().toFile(), listen.tlsKey().toFile()),
                    SslProvider.JDK);
            if (listen.clientCa() != null) {
                b.trustManager(listen.clientCa().toFile());
                // With a certificate-based mutation policy, clients without a certificate may
                // still read; otherwise every client must present one.
                boolean certGate = listen.mutations() == MutationPolicy.CERT
                        || listen.mutations() == MutationPolicy.SOCKET_OR_CERT;
                b.clientAuth(certGate ? ClientAuth.OPTIONAL : ClientAuth.REQUIRE);
            }
            return b.build();
        } catch (IOException | RuntimeException e) {
            throw new IOException("TLS setup (--grpc-tls-cert " + listen.tlsCert() + ", --grpc-tls-key "
                    + listen.tlsKey() + (listen.clientCa() == null ? "" : ", --grpc-client-ca " + listen.clientCa())
                    + "): " + e.getMessage(), e);
        }
    }

    private static void logListen(GrpcListen listen) {
        InetSocketAddress a = listen.tcp();
        boolean local = a.getAddress() != null && a.getAddress().isLoopbackAddress();
        String security = listen.tlsCert() == null ? "plaintext"
                : listen.clientCa() == null ? "tls" : "mutual-tls";
        if (local) {
            log.atInfo().setMessage("grpc-listen").addKeyValue("addr", a.toString())
                    .addKeyValue("security", security).addKeyValue("mutations", listen.mutations().keyword()).log();
        } else {
            // Listening beyond loopback is an explicit choice; say so loudly when it is plaintext.
            var e = listen.tlsCert() == null ? log.atWarn() : log.atInfo();
            e.setMessage("grpc-listen").addKeyValue("addr", a.toString())
                    .addKeyValue("security", security).addKeyValue("mutations", listen.mutations().keyword())
                    .addKeyValue("note", "listening beyond loopback"
                            + (listen.tlsCert() == null ? " without TLS: anyone who can reach it can use the API" : ""))
                    .log();
        }
    }

    private Server start(NettyServerBuilder b, BindableService service, ServerInterceptor counting,
                         ServerInterceptor access, boolean reflection) throws IOException {
        // Interceptors run last-added first: count every call, including refused ones.
        // HTTP/2 keepalive: a client that vanished (half-open TCP) is noticed and its streams —
        // WatchEvents queues included — released; clients may ping every 10 s.
        b.keepAliveTime(30, TimeUnit.SECONDS).keepAliveTimeout(10, TimeUnit.SECONDS)
                .permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true);
        b.addService(ServerInterceptors.intercept(service, access, counting))
                .addService(ServerInterceptors.intercept(health.getHealthService(), counting))
                .executor(executor);
        if (reflection) {
            // v1 for current grpcurl / grpcui / Postman; v1alpha (deprecated upstream, same
            // answers) for older grpcurl and evans, which ask only for it.
            b.addService(ProtoReflectionServiceV1.newInstance());
            b.addService(v1alphaReflection());
        }
        return b.build().start();
    }

    @SuppressWarnings("deprecation") // v1alpha is deprecated in grpc-java, still what older clients ask
    private static BindableService v1alphaReflection() {
        return ProtoReflectionService.newInstance();
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
     * Stops accepting calls, gives running calls one second, then cancels what is left. Open
     * WatchEvents streams never end by themselves: the daemon ends them first
     * ({@code MaglevService.endWatches()}), so the drain does not wait the second for them.
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
