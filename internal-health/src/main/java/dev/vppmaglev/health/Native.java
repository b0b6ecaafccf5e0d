package dev.vppmaglev.health;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls the ICMP probe (sockets) and the network-namespace thread ({@code open},
 * {@code setns}) need, through FFM (java.lang.foreign; java-stack.md §5, §6, §8). Every call returns its result, or {@code -errno} when it failed; {@code errno} is
 * captured per call ({@link Linker.Option#captureCallState}). Constants are Linux's (identical on
 * x86_64 and aarch64).
 */
@SuppressWarnings("restricted")
final class Native {
    private Native() {}

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_ICMPV6 = 58;
    static final int SOL_RAW = 255;
    /** {@code <linux/icmp.h>}: a 32-bit mask of ICMP types to drop on a raw IPv4 socket. */
    static final int ICMP_FILTER = 1;
    /** {@code <netinet/icmp6.h>}: {@code struct icmp6_filter}, 256 bits, a set bit blocks the type. */
    static final int ICMP6_FILTER = 1;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    /** Like SO_RCVBUF but beyond {@code net.core.rmem_max}; needs CAP_NET_ADMIN. */
    static final int SO_RCVBUFFORCE = 33;
    static final int SHUT_RDWR = 2;
    static final int MSG_DONTWAIT = 0x40;

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    /** {@code <sched.h>}: the namespace type {@code setns(2)} is asked to enter. */
    static final int CLONE_NEWNET = 0x40000000;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int ENOTDIR = 20;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = errnoHandle("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = errnoHandle("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO = errnoHandle("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM = errnoHandle("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SHUTDOWN = errnoHandle("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = errnoHandle("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETNS = errnoHandle("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = errnoHandle("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static MethodHandle errnoHandle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(
                () -> new UnsatisfiedLinkError("libc has no " + name)), fd, Linker.Option.captureCallState("errno"));
    }

    /** A per-thread (or per-call) segment for the captured errno. */
    static MemorySegment captureSegment(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /** {@code socket(2)}: the fd, or {@code -errno}. */
    static int socket(int domain, int type, int protocol) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureSegment(arena);
            int fd = (int) SOCKET.invokeExact(st, domain, type, protocol);
            return fd >= 0 ? fd : -errno(st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code setsockopt(2)}: 0, or {@code -errno}. */
    static int setsockopt(int fd, int level, int name, MemorySegment value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureSegment(arena);
            int r = (int) SETSOCKOPT.invokeExact(st, fd, level, name, value, (int) value.byteSize());
            return r == 0 ? 0 : -errno(st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code sendto(2)}: bytes sent, or {@code -errno}. */
    static long sendto(MemorySegment capture, int fd, MemorySegment buf, int flags, MemorySegment addr) {
        try {
            long n = (long) SENDTO.invokeExact(capture, fd, buf, buf.byteSize(), flags, addr, (int) addr.byteSize());
            return n >= 0 ? n : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code recvfrom(2)}: bytes received, or {@code -errno}; {@code addrLen} is in/out. */
    static long recvfrom(MemorySegment capture, int fd, MemorySegment buf, int flags, MemorySegment addr,
                         MemorySegment addrLen) {
        try {
            long n = (long) RECVFROM.invokeExact(capture, fd, buf, buf.byteSize(), flags, addr, addrLen);
            return n >= 0 ? n : -errno(capture);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code shutdown(2)}: 0, or {@code -errno}. */
    static int shutdown(int fd, int how) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureSegment(arena);
            int r = (int) SHUTDOWN.invokeExact(st, fd, how);
            return r == 0 ? 0 : -errno(st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code open(2)} of {@code path} with {@code flags} (no mode): the fd, or {@code -errno}. */
    static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureSegment(arena);
            int fd = (int) OPEN.invokeExact(st, arena.allocateFrom(path), flags);
            return fd >= 0 ? fd : -errno(st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code setns(2)}: moves the <em>calling thread</em> into the namespace {@code fd} refers to
     * (Linux namespaces are per thread); 0, or {@code -errno}. Entering a network namespace needs
     * CAP_SYS_ADMIN ({@code EPERM} without it).
     */
    static int setns(int fd, int nstype) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureSegment(arena);
            int r = (int) SETNS.invokeExact(st, fd, nstype);
            return r == 0 ? 0 : -errno(st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code close(2)}: 0, or {@code -errno}. */
    static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = captureSegment(arena);
            int r = (int) CLOSE.invokeExact(st, fd);
            return r == 0 ? 0 : -errno(st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code strerror(3)} text for {@code errno}, e.g. {@code Operation not permitted}. */
    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.equals(MemorySegment.NULL) ? "errno " + errno : s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
