package dev.vppmaglev.vpp.fake.stats;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The Linux calls the fake stats segment needs (FFM): {@code memfd_create}, {@code ftruncate},
 * {@code mmap}, and the {@code SOCK_SEQPACKET} server side with {@code sendmsg}+{@code SCM_RIGHTS}.
 * Independent of the reader's bindings on purpose: the fake must not share code with what it
 * tests. Failures become {@link IOException}s naming the call and the errno text.
 */
@SuppressWarnings("restricted") // binding libc is this class's purpose
final class FakeNative {
    private FakeNative() {}

    static final int AF_UNIX = 1;
    static final int SOCK_SEQPACKET = 5;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SCM_RIGHTS = 1;
    static final int MFD_CLOEXEC = 1;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int SHUT_RDWR = 2;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int EINTR = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");

    private static final MethodHandle MEMFD_CREATE =
            bind("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FTRUNCATE = bind("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MMAP = bind("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SOCKET =
            bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = bind("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 =
            bind("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDMSG =
            bind("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN = bind("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR =
            LINKER.downcallHandle(LINKER.defaultLookup().find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        MemorySegment symbol = LINKER.defaultLookup()
                .find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("C library function not found: " + name));
        return LINKER.downcallHandle(symbol, fd, ERRNO_OPT);
    }

    /** Per-call state: the errno capture segment, allocated from a caller's arena. */
    static MemorySegment state(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    static IOException error(String call, MemorySegment state) {
        int errno = (int) ERRNO.get(state, 0L);
        String text;
        try {
            MemorySegment p = (MemorySegment) STRERROR.invokeExact(errno);
            text = p.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            text = "errno " + errno;
        }
        return new IOException(call + ": " + text + " (errno " + errno + ")");
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** A new anonymous memory file of {@code size} bytes (sparse: pages cost memory when written). */
    static int memfd(String name, long size) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = state(arena);
            int fd = (int) MEMFD_CREATE.invokeExact(st, arena.allocateFrom(name), MFD_CLOEXEC);
            if (fd < 0) {
                throw error("memfd_create(" + name + ")", st);
            }
            if ((int) FTRUNCATE.invokeExact(st, fd, size) < 0) {
                IOException e = error("ftruncate(memfd, " + size + ")", st);
                close(fd);
                throw e;
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code ftruncate(fd, size)}. */
    static void truncate(int fd, long size) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = state(arena);
            if ((int) FTRUNCATE.invokeExact(st, fd, size) < 0) {
                throw error("ftruncate(memfd, " + size + ")", st);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Maps {@code fd} read-write and shared; the mapping is unmapped when {@code arena} closes. */
    static MemorySegment mapShared(int fd, long size, Arena arena) throws IOException {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment st = state(tmp);
            MemorySegment p = (MemorySegment) MMAP.invokeExact(
                    st, MemorySegment.NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0L);
            if (p.address() == -1L) {
                throw error("mmap(" + size + " bytes)", st);
            }
            long address = p.address();
            return p.reinterpret(size, arena, s -> munmap(address, size));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void munmap(long address, long size) {
        try (Arena tmp = Arena.ofConfined()) {
            int ignored = (int) MUNMAP.invokeExact(state(tmp), MemorySegment.ofAddress(address), size);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A listening {@code AF_UNIX}/{@code SOCK_SEQPACKET} socket bound to {@code path}. */
    static int listenSeqpacket(String path, int backlog) throws IOException {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= 108) {
            throw new IOException("socket path too long for AF_UNIX (" + bytes.length + " bytes): " + path);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = state(arena);
            int fd = (int) SOCKET.invokeExact(st, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw error("socket(AF_UNIX, SOCK_SEQPACKET)", st);
            }
            MemorySegment addr = arena.allocate(110, 8);
            addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(bytes, 0, addr, JAVA_BYTE, 2, bytes.length);
            if ((int) BIND.invokeExact(st, fd, addr, 2 + bytes.length + 1) < 0) {
                IOException e = error("bind(" + path + ")", st);
                close(fd);
                throw e;
            }
            if ((int) LISTEN.invokeExact(st, fd, backlog) < 0) {
                IOException e = error("listen(" + path + ")", st);
                close(fd);
                throw e;
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Blocks for the next connection; returns its fd, or -1 with errno in {@code st}. */
    static int accept(int listenFd, MemorySegment st) {
        try {
            return (int) ACCEPT4.invokeExact(st, listenFd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * What VPP's {@code stats_socket_accept_ready} does: one message with an empty payload whose
     * control data is {@code SCM_RIGHTS} carrying {@code passFd}.
     */
    static void sendFd(int connFd, int passFd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = state(arena);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(JAVA_LONG, 0, arena.allocate(8).address());
            iov.set(JAVA_LONG, 8, 0); // zero-length payload, as VPP sends
            MemorySegment control = arena.allocate(24, 8); // CMSG_SPACE(sizeof(int))
            control.set(JAVA_LONG, 0, 20); // CMSG_LEN(sizeof(int))
            control.set(JAVA_INT, 8, SOL_SOCKET);
            control.set(JAVA_INT, 12, SCM_RIGHTS);
            control.set(JAVA_INT, 16, passFd);
            MemorySegment msg = arena.allocate(56, 8);
            msg.set(JAVA_LONG, 16, iov.address());
            msg.set(JAVA_LONG, 24, 1);
            msg.set(JAVA_LONG, 32, control.address());
            msg.set(JAVA_LONG, 40, 24);
            long n;
            while ((n = (long) SENDMSG.invokeExact(st, connFd, msg, MSG_NOSIGNAL)) < 0 && errno(st) == EINTR) {
                // retry
            }
            if (n < 0) {
                throw error("sendmsg(SCM_RIGHTS)", st);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Wakes a thread blocked in {@link #accept} (it returns EINVAL). */
    static void shutdown(int fd) {
        try (Arena tmp = Arena.ofConfined()) {
            int ignored = (int) SHUTDOWN.invokeExact(state(tmp), fd, SHUT_RDWR);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try (Arena tmp = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(state(tmp), fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
