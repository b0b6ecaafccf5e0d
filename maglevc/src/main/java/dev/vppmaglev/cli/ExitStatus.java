package dev.vppmaglev.cli;

/**
 * maglevc's exit statuses, the same for one-shot mode and for a script fed on stdin (there the
 * status of the last failing line). Documented in man/maglevc.1 and docs/user-guide.md.
 */
final class ExitStatus {
    /** The command ran and the daemon answered without an error. */
    static final int OK = 0;
    /**
     * The daemon answered with an error (unknown name, refused transition, VPP unavailable, ...),
     * or {@code config check} / {@code config reload} found errors in the config file.
     */
    static final int SERVER_ERROR = 1;
    /** Bad flags or a command line that does not fit the command tree. */
    static final int USAGE = 2;
    /** maglevd could not be reached (connection refused, no such socket, no answer in time). */
    static final int UNREACHABLE = 3;
    /** {@code watch events} in one-shot mode was stopped by Ctrl-C (SIGINT): 128 + 2. */
    static final int INTERRUPTED = 130;

    private ExitStatus() {}
}
