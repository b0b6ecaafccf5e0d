package dev.vppmaglev.cli;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * {@link FakeMaglev} served over real gRPC on a loopback TCP port or a Unix socket. Also runnable
 * on its own ({@code main}) for the tmux tests and the start-up benchmark.
 */
final class FakeServer implements AutoCloseable {
    final FakeMaglev service;
    private final Server server;
    private final EventLoopGroup group;
    private final String address;

    private FakeServer(FakeMaglev service, Server server, EventLoopGroup group, String address) {
        this.service = service;
        this.server = server;
        this.group = group;
        this.address = address;
    }

    /** On 127.0.0.1, an ephemeral port. */
    static FakeServer tcp(FakeMaglev service) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .channelType(NioServerSocketChannel.class).bossEventLoopGroup(group).workerEventLoopGroup(group)
                    .addService(service).build().start();
            int port = ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
            return new FakeServer(service, server, group, "127.0.0.1:" + port);
        } catch (IOException e) {
            group.shutdownGracefully();
            throw new UncheckedIOException(e);
        }
    }

    /**
     * On 127.0.0.1 over TLS with {@code cert}/{@code key}; with {@code clientCa}, clients must
     * present a certificate it signed (mutual TLS).
     */
    static FakeServer tls(FakeMaglev service, Path cert, Path key, Path clientCa) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            var ssl = io.grpc.netty.GrpcSslContexts.forServer(cert.toFile(), key.toFile());
            if (clientCa != null) {
                ssl.trustManager(clientCa.toFile()).clientAuth(io.netty.handler.ssl.ClientAuth.REQUIRE);
            }
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .channelType(NioServerSocketChannel.class).bossEventLoopGroup(group).workerEventLoopGroup(group)
                    .sslContext(ssl.build()).addService(service).build().start();
            int port = ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
            return new FakeServer(service, server, group, "127.0.0.1:" + port);
        } catch (IOException e) {
            group.shutdownGracefully();
            throw new UncheckedIOException(e);
        }
    }

    /** On a Unix domain socket at {@code path}. */
    static FakeServer unix(FakeMaglev service, Path path) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Server server = NettyServerBuilder.forAddress(UnixDomainSocketAddress.of(path))
                    .channelType(NioServerDomainSocketChannel.class).bossEventLoopGroup(group)
                    .workerEventLoopGroup(group).addService(service).build().start();
            return new FakeServer(service, server, group, "unix:" + path);
        } catch (IOException e) {
            group.shutdownGracefully();
            throw new UncheckedIOException(e);
        }
    }

    /** The value for {@code --server}. */
    String address() {
        return address;
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Serves until killed; prints {@code listening ADDRESS} once ready. Arg: optional unix socket path. */
    public static void main(String[] args) throws InterruptedException {
        FakeMaglev service = new FakeMaglev(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        FakeServer s = args.length > 0 ? unix(service, Path.of(args[0])) : tcp(service);
        System.out.println("listening " + s.address());
        System.out.flush();
        s.server.awaitTermination();
    }
}
