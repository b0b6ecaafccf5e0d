package dev.vppmaglev.vpp.stats;

/**
 * Getting the segment failed: {@code socket}, {@code connect}, {@code recvmsg} (no fd, timeout),
 * {@code lseek} or {@code mmap} returned an error, or the file could not be opened. The message
 * names the step, the path and the C library's text for {@link #errno()}, e.g.
 * {@code connect(/run/vpp/stats.sock): No such file or directory (errno 2)}.
 */
public final class StatsConnectException extends StatsException {
    private static final long serialVersionUID = 1L;

    private final String step;
    private final int errno;

    StatsConnectException(String step, String message, int errno) {
        super(message);
        this.step = step;
        this.errno = errno;
    }

    StatsConnectException(String step, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
        this.errno = 0;
    }

    /** The failing step: {@code socket}, {@code connect}, {@code recvmsg}, {@code lseek}, {@code mmap}, {@code open}. */
    public String step() {
        return step;
    }

    /** The C {@code errno} of the failing call; 0 when the failure was not a system call error. */
    public int errno() {
        return errno;
    }
}
