package dev.vppmaglev.vpp.fake.stats;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a segment's memfd on a {@code stats.sock} exactly as VPP does
 * ({@code stats_socket_accept_ready}, VPP {@code src/vlib/stats/init.c}): an
 * {@code AF_UNIX}/{@code SOCK_SEQPACKET} listener; for each connection one message with an
 * empty payload carrying the fd in {@code SCM_RIGHTS}, then close. No request is read. One
 * platform thread blocks in {@code accept}; {@link #close()} wakes it with {@code shutdown},
 * joins it and removes the socket file.
 */
public final class FakeStatsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FakeStatsServer.class);

    /** What the server does with a connection. */
    public enum Mode {
        /** VPP's behaviour: one empty message carrying the fd, then close. */
        SEND_FD,
        /** A broken peer: close without sending anything (the client reads EOF, no fd). */
        CLOSE_WITHOUT_FD,
        /** A hung peer: accept and keep the connection open, send nothing (client times out). */
        SILENT
    }

    private final Path path;
    private final int listenFd;
    private final int segmentFd;
    private final boolean ownsSegmentFd;
    private final Mode mode;
    private final List<Integer> held = new ArrayList<>();
    private final Thread acceptor;
    private final AtomicInteger served = new AtomicInteger();
    private volatile boolean closing;

    FakeStatsServer(Path path, int segmentFd, boolean ownsSegmentFd, Mode mode) throws IOException {
        this.path = path;
        this.segmentFd = segmentFd;
        this.ownsSegmentFd = ownsSegmentFd;
        this.mode = mode;
        Files.deleteIfExists(path);
        this.listenFd = FakeNative.listenSeqpacket(path.toString(), 16);
        this.acceptor = Thread.ofPlatform().daemon().name("fake-stats-accept").unstarted(this::acceptLoop);
        acceptor.start();
    }

    /**
     * Serves a copy of a segment image file (e.g. the golden capture, gunzipped) from a fresh
     * memfd: clients map exactly those bytes. The memfd is closed with the server.
     *
     * @throws IOException when the image cannot be read or the socket cannot be bound
     */
    public static FakeStatsServer serveImage(Path socket, Path image) throws IOException {
        long size = Files.size(image);
        int fd = FakeNative.memfd("vpp-fake-stats-image", size);
        try (Arena arena = Arena.ofConfined();
                FileChannel ch = FileChannel.open(image)) {
            MemorySegment mem = FakeNative.mapShared(fd, size, arena);
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            mem.copyFrom(file);
            return new FakeStatsServer(socket, fd, true, Mode.SEND_FD);
        } catch (IOException | RuntimeException e) {
            FakeNative.close(fd);
            throw e;
        }
    }

    /** The socket path. */
    public Path path() {
        return path;
    }

    /** How many clients received the fd. */
    public int served() {
        return served.get();
    }

    private void acceptLoop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = FakeNative.state(arena);
            while (!closing) {
                int conn = FakeNative.accept(listenFd, st);
                if (conn < 0) {
                    if (closing) {
                        return;
                    }
                    if (FakeNative.errno(st) == FakeNative.EINTR) {
                        continue;
                    }
                    log.atWarn().setMessage("fake-stats-accept-error")
                            .addKeyValue("socket", path)
                            .addKeyValue("error", FakeNative.error("accept", st).getMessage())
                            .log();
                    return;
                }
                switch (mode) {
                    case SEND_FD -> {
                        try {
                            FakeNative.sendFd(conn, segmentFd);
                            served.incrementAndGet();
                        } catch (IOException e) {
                            log.atWarn().setMessage("fake-stats-send-error")
                                    .addKeyValue("socket", path)
                                    .addKeyValue("error", e.getMessage())
                                    .log();
                        } finally {
                            FakeNative.close(conn);
                        }
                    }
                    case CLOSE_WITHOUT_FD -> FakeNative.close(conn);
                    case SILENT -> {
                        synchronized (held) {
                            held.add(conn);
                        }
                    }
                }
            }
        }
    }

    /** Stops accepting, removes the socket file. Idempotent. */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        FakeNative.shutdown(listenFd);
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        FakeNative.close(listenFd);
        synchronized (held) {
            held.forEach(FakeNative::close);
            held.clear();
        }
        if (ownsSegmentFd) {
            FakeNative.close(segmentFd);
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.atDebug().setMessage("fake-stats-unlink-error").addKeyValue("socket", path).log();
        }
    }
}
