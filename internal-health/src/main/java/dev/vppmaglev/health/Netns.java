package dev.vppmaglev.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Entering a named network namespace, the way {@code ip netns exec} finds it: the name is a file
 * under {@value #RUN_NETNS} (a bind mount of the namespace, made by {@code ip netns add NAME});
 * the calling thread opens it and calls {@code setns(fd, CLONE_NEWNET)} (java-stack.md §8).
 * Namespaces are per thread in Linux, so only the calling thread moves; sockets it creates from
 * then on belong to that namespace for their whole life, whichever thread later uses them.
 *
 * <p>Every failure becomes one operator-readable message, {@code enter netns "NAME": REASON}
 * (behaviour.md §1: {@code enter netns "dataplane": operation not permitted}); {@link #message}
 * is the one place for that text.
 */
final class Netns {
    private Netns() {}

    /** Where {@code ip netns} keeps the named namespaces. */
    static final String RUN_NETNS = "/run/netns";

    /** The calls entering takes, as functions returning the result or {@code -errno} (a fake in tests). */
    interface Sys {
        /** {@code open(path, O_RDONLY | O_CLOEXEC)}: the fd, or {@code -errno}. */
        int open(String path);

        /** {@code setns(fd, CLONE_NEWNET)} on the calling thread: 0, or {@code -errno}. */
        int setns(int fd);

        /** {@code close(fd)}: 0, or {@code -errno}. */
        int close(int fd);
    }

    /** The real calls, through FFM ({@link Native}). */
    static final Sys LIBC = new Sys() {
        @Override
        public int open(String path) {
            return Native.open(path, Native.O_RDONLY | Native.O_CLOEXEC);
        }

        @Override
        public int setns(int fd) {
            return Native.setns(fd, Native.CLONE_NEWNET);
        }

        @Override
        public int close(int fd) {
            return Native.close(fd);
        }
    };

    /** Which call failed. */
    enum Step { OPEN, SETNS }

    /** Entering failed; the message is the operator's text (see {@link #message}). */
    static final class EnterException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int errno;

        EnterException(String message, int errno) {
            super(message, null, false, false);
            this.errno = errno;
        }

        /** The errno of the failed call; 0 when the failure was not a system call's. */
        int errno() {
            return errno;
        }
    }

    /** {@code /run/netns/NAME}. */
    static String path(String name) {
        return RUN_NETNS + "/" + name;
    }

    /**
     * Moves the calling thread into network namespace {@code name}. On failure the thread is where
     * it was (setns either fully succeeds or changes nothing).
     *
     * @throws EnterException with the {@link #message} for the failed call
     */
    static void enter(String name, Sys sys) throws EnterException {
        String path = path(name);
        int fd = sys.open(path);
        if (fd < 0) {
            throw new EnterException(message(name, Step.OPEN, -fd), -fd);
        }
        int r;
        try {
            r = sys.setns(fd);
        } finally {
            sys.close(fd);
        }
        if (r < 0) {
            throw new EnterException(message(name, Step.SETNS, -r), -r);
        }
    }

    /**
     * The operator's text for a failed {@code step} with {@code errno}, always
     * {@code enter netns "NAME": ...}. Examples:
     * <ul>
     *   <li>setns, EPERM: {@code enter netns "dataplane": operation not permitted (setns needs CAP_SYS_ADMIN)}</li>
     *   <li>open, ENOENT: {@code enter netns "dataplane": open /run/netns/dataplane: no such file or directory}</li>
     *   <li>setns, EINVAL: {@code enter netns "x": /run/netns/x is not a network namespace}</li>
     * </ul>
     */
    static String message(String name, Step step, int errno) {
        String path = path(name);
        String reason = switch (step) {
            case OPEN -> "open " + path + ": " + errnoText(errno);
            case SETNS -> switch (errno) {
                case Native.EPERM -> errnoText(errno) + " (setns needs CAP_SYS_ADMIN)";
                case Native.EINVAL -> path + " is not a network namespace";
                default -> "setns: " + errnoText(errno);
            };
        };
        return "enter netns \"" + name + "\": " + reason;
    }

    /**
     * Go-style errno text (lower case, as the reference logs it): a fixed English text for the
     * errnos entering can give, {@code strerror(3)} for any other.
     */
    static String errnoText(int errno) {
        return switch (errno) {
            case Native.EPERM -> "operation not permitted";
            case Native.ENOENT -> "no such file or directory";
            case Native.EBADF -> "bad file descriptor";
            case Native.ENOMEM -> "cannot allocate memory";
            case Native.EACCES -> "permission denied";
            case Native.ENOTDIR -> "not a directory";
            case Native.EINVAL -> "invalid argument";
            case Native.ENFILE -> "too many open files in system";
            case Native.EMFILE -> "too many open files";
            default -> {
                String s = Native.strerror(errno);
                yield (s.isEmpty() ? "errno " + errno : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1))
                        + " (errno " + errno + ")";
            }
        };
    }

    /**
     * The identity (nsfs inode) of the namespace {@code /run/netns/NAME} names now, or {@code -1}
     * when there is no such file; a namespace deleted and added again under the same name gets a
     * new identity.
     *
     * @throws IOException when the file exists but cannot be looked at
     */
    static long identity(String name) throws IOException {
        try {
            return ((Number) Files.getAttribute(Path.of(path(name)), "unix:ino")).longValue();
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    /**
     * The identity of the calling thread's network namespace ({@code /proc/thread-self/ns/net}),
     * comparable with {@link #identity}.
     *
     * @throws IOException when /proc is not readable
     */
    static long currentIdentity() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/thread-self/ns/net"), "unix:ino")).longValue();
    }
}
