package dev.vppmaglev.vpp.stats;

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
 * The few Linux C library calls the reader needs, bound with the FFM API (java-stack.md §5).
 * Each call captures {@code errno} into a caller-supplied state segment ({@link #newState}).
 * Constants and struct offsets are those of Linux on x86-64 and aarch64 (LP64): {@code msghdr}
 * 56 bytes, {@code cmsghdr} header 16 bytes, {@code sockaddr_un} 110 bytes.
 */
@SuppressWarnings("restricted") // binding libc is this class's purpose
final class Posix {
    private Posix() {}

    static final int AF_UNIX = 1;
    static final int SOCK_SEQPACKET = 5;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int SO_SNDTIMEO = 21;
    static final int SCM_RIGHTS = 1;
    static final int MSG_CTRUNC = 0x8;
    static final int MSG_CMSG_CLOEXEC = 0x40000000;
    static final int PROT_READ = 1;
    static final int MAP_SHARED = 1;
    static final int SEEK_END = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EINPROGRESS = 115;

    /** {@code sizeof(struct sockaddr_un)}: sa_family u16 + sun_path[108]. */
    static final int SOCKADDR_UN_SIZE = 110;
    /** {@code sizeof(struct msghdr)}; name@0 namelen@8 iov@16 iovlen@24 control@32 controllen@40 flags@48. */
    static final int MSGHDR_SIZE = 56;
    /** {@code sizeof(struct cmsghdr)} header: len u64@0, level i32@8, type i32@12, data@16. */
    static final int CMSGHDR_SIZE = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET =
            bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), true);
    private static final MethodHandle CONNECT =
            bind("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), true);
    private static final MethodHandle SETSOCKOPT = bind(
            "setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), true);
    private static final MethodHandle RECVMSG =
            bind("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), true);
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
    private static final MethodHandle LSEEK =
            bind("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), true);
    private static final MethodHandle MMAP = bind(
            "mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            true);
    private static final MethodHandle MUNMAP =
            bind("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), false);
    private static final MethodHandle STRERROR = bind("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT), false);

    private static MethodHandle bind(String name, FunctionDescriptor fd, boolean captureErrno) {
        MemorySegment symbol = LINKER.defaultLookup()
                .find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("C library function not found: " + name));
        return captureErrno ? LINKER.downcallHandle(symbol, fd, ERRNO_OPT) : LINKER.downcallHandle(symbol, fd);
    }

    /** A segment that receives {@code errno} of the calls it is passed to. */
    static MemorySegment newState(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** The C library's text for an errno, e.g. "No such file or directory". */
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** "No such file or directory (errno 2)". */
    static String describe(int errno) {
        return strerror(errno) + " (errno " + errno + ")";
    }

    static int socket(MemorySegment state, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(state, domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int connect(MemorySegment state, int fd, MemorySegment addr, int len) {
        try {
            return (int) CONNECT.invokeExact(state, fd, addr, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int setsockopt(MemorySegment state, int fd, int level, int name, MemorySegment value, int len) {
        try {
            return (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long recvmsg(MemorySegment state, int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) RECVMSG.invokeExact(state, fd, msghdr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long lseek(MemorySegment state, int fd, long offset, int whence) {
        try {
            return (long) LSEEK.invokeExact(state, fd, offset, whence);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code mmap(NULL, len, prot, flags, fd, 0)}; returns the address, or -1 (MAP_FAILED). */
    static long mmap(MemorySegment state, long len, int prot, int flags, int fd) {
        try {
            MemorySegment p = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, len, prot, flags, fd, 0L);
            return p.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void munmap(long address, long len) {
        try {
            int rc = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), len);
            assert rc == 0 : "munmap failed";
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Closes a file descriptor, ignoring errors (there is nothing useful to do about them). */
    static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("native call failed", t);
    }
}
