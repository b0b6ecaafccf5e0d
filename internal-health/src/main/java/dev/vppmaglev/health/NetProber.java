package dev.vppmaglev.health;

import dev.vppmaglev.config.HealthCheck;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's {@link Prober}: {@code icmp} checks go to an {@link IcmpProber}, {@code tcp},
 * {@code http} and {@code https} to a {@link NettyProber}, both on one Netty event loop group
 * (which also runs the ICMP timeouts).
 *
 * <p>Ownership: with {@link #NetProber(EventLoopGroup, Executor, String)} the group is the
 * caller's (e.g. the one gRPC uses) and {@link #close()} leaves it running; {@link #create(String)}
 * makes its own NIO group and {@link #close()} shuts it down. The ICMP sockets are always owned
 * and closed here. Every socket is created on {@code socketExecutor} (see {@link NettyProber}).
 */
public final class NetProber implements Prober, AutoCloseable {
    private final EventLoopGroup ownedGroup;
    private final NettyProber stream;
    private final IcmpProber icmp;

    /**
     * @param group          event loops for I/O and timeouts (not owned)
     * @param socketExecutor where sockets are created; {@code Runnable::run} for the caller's thread
     * @param version        build version for the HTTP User-Agent
     */
    public NetProber(EventLoopGroup group, Executor socketExecutor, String version) {
        this(group, socketExecutor, version, false);
    }

    private NetProber(EventLoopGroup group, Executor socketExecutor, String version, boolean owned) {
        Objects.requireNonNull(group, "group");
        this.ownedGroup = owned ? group : null;
        this.stream = new NettyProber(group, socketExecutor, version);
        this.icmp = new IcmpProber(group, socketExecutor);
    }

    /** A prober with its own NIO event loop group (default size) and sockets made on the caller's thread. */
    public static NetProber create(String version) {
        return new NetProber(new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory()), Runnable::run, version, true);
    }

    @Override
    public CompletableFuture<ProbeResult> probe(HealthCheck check, InetAddress target) {
        return switch (check.type()) {
            case ICMP -> icmp.probe(check, target);
            case TCP, HTTP, HTTPS -> stream.probe(check, target);
        };
    }

    /** Closes the ICMP sockets and, if owned, shuts the event loop group down (waits up to 5 s). */
    @Override
    public void close() {
        icmp.close();
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
