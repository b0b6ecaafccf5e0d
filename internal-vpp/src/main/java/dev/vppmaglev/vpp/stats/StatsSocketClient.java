package dev.vppmaglev.vpp.stats;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Receives the stats segment's file descriptor from VPP's {@code stats.sock} (vpp-wire.md §4.1):
 * connect an {@code AF_UNIX}/{@code SOCK_SEQPACKET} socket, VPP sends one zero-length message
 * carrying the memfd in an {@code SCM_RIGHTS} control message and closes. Mirrors
 * {@code stat_segment_connect_r} in VPP {@code src/vpp-api/client/stat_client.c}.
 */
final class StatsSocketClient {
    private StatsSocketClient() {}

    /** Control buffer: room for SCM_RIGHTS with several fds plus an SCM_CREDENTIALS message. */
    private static final int CONTROL_SIZE = 256;
    private static final int SUN_PATH_MAX = 108;

    /**
     * @return the received fd (close-on-exec); the caller owns and closes it
     * @throws StatsConnectException with the step and errno text when any call fails, the peer
     *                               closes without an fd, or nothing arrives within {@code timeout}
     */
    static int receiveSegmentFd(Path socketPath, Duration timeout) throws StatsConnectException {
        String where = socketPath.toString();
        byte[] path = where.getBytes(StandardCharsets.UTF_8);
        if (path.length >= SUN_PATH_MAX) {
            throw new StatsConnectException("connect", "stats socket path is too long (" + path.length
                    + " bytes, Unix sockets allow " + (SUN_PATH_MAX - 1) + "): " + where, 0);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = Posix.newState(arena);
            int fd = Posix.socket(st, Posix.AF_UNIX, Posix.SOCK_SEQPACKET | Posix.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw fail("socket", "socket(AF_UNIX, SOCK_SEQPACKET) for " + where, Posix.errno(st));
            }
            try {
                setTimeouts(arena, st, fd, timeout, where);
                connect(arena, st, fd, path, where);
                return receiveFd(arena, st, fd, timeout, where);
            } finally {
                Posix.close(fd);
            }
        }
    }

    private static void setTimeouts(Arena arena, MemorySegment st, int fd, Duration timeout, String where)
            throws StatsConnectException {
        MemorySegment tv = arena.allocate(16, 8); // struct timeval { time_t tv_sec; suseconds_t tv_usec; }
        long seconds = timeout.toSeconds();
        long micros = timeout.toNanosPart() / 1000;
        if (seconds == 0 && micros == 0) {
            micros = 1; // a zero timeval means "wait forever"
        }
        tv.set(JAVA_LONG, 0, seconds);
        tv.set(JAVA_LONG, 8, micros);
        for (int opt : new int[] {Posix.SO_RCVTIMEO, Posix.SO_SNDTIMEO}) {
            if (Posix.setsockopt(st, fd, Posix.SOL_SOCKET, opt, tv, 16) < 0) {
                throw fail("setsockopt", "setsockopt(SO_RCVTIMEO/SO_SNDTIMEO) on " + where, Posix.errno(st));
            }
        }
    }

    private static void connect(Arena arena, MemorySegment st, int fd, byte[] path, String where)
            throws StatsConnectException {
        MemorySegment addr = arena.allocate(Posix.SOCKADDR_UN_SIZE, 8);
        addr.set(JAVA_SHORT, 0, (short) Posix.AF_UNIX);
        MemorySegment.copy(path, 0, addr, JAVA_BYTE, 2, path.length);
        int len = 2 + path.length + 1;
        while (Posix.connect(st, fd, addr, len) < 0) {
            int errno = Posix.errno(st);
            if (errno != Posix.EINTR) {
                throw fail("connect", "connect(" + where + ")", errno);
            }
        }
    }

    private static int receiveFd(Arena arena, MemorySegment st, int fd, Duration timeout, String where)
            throws StatsConnectException {
        MemorySegment data = arena.allocate(8);
        MemorySegment iov = arena.allocate(16, 8); // struct iovec { void *base; size_t len; }
        iov.set(JAVA_LONG, 0, data.address());
        iov.set(JAVA_LONG, 8, 1);
        MemorySegment control = arena.allocate(CONTROL_SIZE, 8);
        MemorySegment msg = arena.allocate(Posix.MSGHDR_SIZE, 8);
        msg.set(JAVA_LONG, 16, iov.address());
        msg.set(JAVA_LONG, 24, 1);
        msg.set(JAVA_LONG, 32, control.address());
        msg.set(JAVA_LONG, 40, CONTROL_SIZE);
        long n;
        while ((n = Posix.recvmsg(st, fd, msg, Posix.MSG_CMSG_CLOEXEC)) < 0) {
            int errno = Posix.errno(st);
            if (errno == Posix.EAGAIN || errno == Posix.EINPROGRESS) {
                throw new StatsConnectException("recvmsg", "recvmsg(" + where + "): no segment file descriptor within "
                        + timeout.toMillis() + " ms (is this VPP's stats socket?)", errno);
            }
            if (errno != Posix.EINTR) {
                throw fail("recvmsg", "recvmsg(" + where + ")", errno);
            }
        }
        long controlLen = msg.get(JAVA_LONG, 40);
        int flags = msg.get(JAVA_INT, 48);
        int received = -1;
        for (long off = 0; off + Posix.CMSGHDR_SIZE <= controlLen; ) {
            long cmsgLen = control.get(JAVA_LONG, off);
            if (cmsgLen < Posix.CMSGHDR_SIZE || off + cmsgLen > controlLen) {
                break;
            }
            int level = control.get(JAVA_INT, off + 8);
            int type = control.get(JAVA_INT, off + 12);
            if (level == Posix.SOL_SOCKET && type == Posix.SCM_RIGHTS) {
                for (long p = off + Posix.CMSGHDR_SIZE; p + 4 <= off + cmsgLen; p += 4) {
                    int got = control.get(JAVA_INT, p);
                    if (received < 0) {
                        received = got;
                    } else {
                        Posix.close(got); // VPP sends exactly one; never leak extras
                    }
                }
            }
            off += (cmsgLen + 7) & ~7L;
        }
        if (received < 0) {
            String why = (flags & Posix.MSG_CTRUNC) != 0
                    ? "the control message was truncated"
                    : n == 0 ? "the peer closed the connection without passing one" : "the message carried none";
            throw new StatsConnectException("recvmsg", "recvmsg(" + where + "): no segment file descriptor received: "
                    + why + " (is this VPP's stats socket?)", 0);
        }
        return received;
    }

    private static StatsConnectException fail(String step, String what, int errno) {
        return new StatsConnectException(step, what + ": " + Posix.describe(errno), errno);
    }
}
