package dev.vppmaglev.cli;

import dev.vppmaglev.proto.MaglevGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gRPC channel to maglevd, opened on first use (so {@code --help}, parse errors and the
 * shell's banner-less paths cost no connection). One Netty NIO event loop thread; TCP or a Unix
 * domain socket via Netty's pure-Java {@link NioDomainSocketChannel} (java-stack.md §4).
 * Not thread-safe for the first call; the shell and one-shot mode use it from one thread.
 */
final class Connection implements AutoCloseable {
    /** Largest answer accepted: {@code show vpp lb state} for 1,000 VIPs × 32 ASes is ~2.5 MiB. */
    private static final int MAX_MESSAGE_BYTES = 64 << 20;

    /**
     * gRPC and Netty log through java.util.logging; in a CLI their warnings (e.g. Netty's
     * "Unknown channel option 'SO_KEEPALIVE'" on every Unix-socket connection) would reach the
     * operator as stack traces. Failures reach the operator as one line via {@link Failure}.
     * Strong references: java.util.logging keeps loggers weakly.
     */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("io.grpc"), Logger.getLogger("io.netty"));

    private final ServerAddress address;
    private final TlsSettings tls;
    private final Duration deadline;
    private EventLoopGroup group;
    private ManagedChannel channel;

    /**
     * @param address where maglevd listens
     * @param tls plaintext, TLS or mutual TLS
     * @param deadline how long each unary call may take (includes connecting)
     */
    Connection(ServerAddress address, TlsSettings tls, Duration deadline) {
        this.address = address;
        this.tls = tls;
        this.deadline = deadline;
    }

    ServerAddress address() {
        return address;
    }

    /** A blocking stub whose calls fail with DEADLINE_EXCEEDED after the deadline. */
    MaglevGrpc.MaglevBlockingStub blocking() {
        return MaglevGrpc.newBlockingStub(channel()).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A blocking stub with the given deadline (completion uses a short one). */
    MaglevGrpc.MaglevBlockingStub blocking(Duration callDeadline) {
        return MaglevGrpc.newBlockingStub(channel()).withDeadlineAfter(callDeadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A blocking stub without deadline, for {@code watch events}. */
    MaglevGrpc.MaglevBlockingStub streaming() {
        return MaglevGrpc.newBlockingStub(channel());
    }

    /**
     * @throws UnreachableException when the server's host name does not resolve
     */
    private ManagedChannel channel() {
        if (channel == null) {
            for (Logger logger : QUIET) {
                logger.setLevel(Level.OFF);
            }
            // Straight to java.util.logging: no probing for SLF4J and Log4j on the class path.
            InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
            // if/instanceof, not a pattern switch: SwitchBootstraps costs ~20 ms of start-up.
            NettyChannelBuilder builder;
            if (address instanceof ServerAddress.Unix unix) {
                builder = NettyChannelBuilder.forAddress(UnixDomainSocketAddress.of(unix.path()))
                        .channelType(NioDomainSocketChannel.class, UnixDomainSocketAddress.class);
            } else {
                builder = NettyChannelBuilder.forAddress(resolve((ServerAddress.Tcp) address))
                        .channelType(NioSocketChannel.class, InetSocketAddress.class);
            }
            if (tls.enabled()) {
                builder.sslContext(sslContext());
                tls.serverName().ifPresent(builder::overrideAuthority);
            } else {
                builder.usePlaintext();
            }
            group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            channel = builder
                    .eventLoopGroup(group)
                    .directExecutor()
                    .disableRetry()
                    .proxyDetector(target -> null)
                    .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                    .build();
        }
        return channel;
    }

    /** The client TLS context; loaded only when TLS is on (start-up of plaintext calls stays lean). */
    private io.netty.handler.ssl.SslContext sslContext() {
        try {
            io.netty.handler.ssl.SslContextBuilder b = io.grpc.netty.GrpcSslContexts.forClient();
            if (tls.ca().isPresent()) {
                b.trustManager(tls.ca().get().toFile());
            }
            if (tls.cert().isPresent()) {
                b.keyManager(tls.cert().get().toFile(), tls.key().orElseThrow().toFile());
            }
            return b.build();
        } catch (javax.net.ssl.SSLException | RuntimeException e) {
            throw new CommandLineException("TLS set-up failed: " + e.getMessage());
        }
    }

    private static InetSocketAddress resolve(ServerAddress.Tcp tcp) {
        InetSocketAddress resolved = new InetSocketAddress(tcp.host(), tcp.port());
        if (resolved.isUnresolved()) {
            throw new UnreachableException("cannot reach maglevd at " + tcp.display() + ": unknown host \""
                    + tcp.host() + "\"");
        }
        return resolved;
    }

    /** Closes the channel and stops the event loop; waits at most about a second. */
    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            channel = null;
        }
    }
}
