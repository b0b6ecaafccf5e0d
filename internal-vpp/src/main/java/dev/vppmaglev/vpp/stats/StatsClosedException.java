package dev.vppmaglev.vpp.stats;

/**
 * The {@link StatsSegment} was closed (the mapping is gone), or its memory vanished under the
 * mapping ({@link StatsSegment#faulted()}); open a new one.
 */
public final class StatsClosedException extends StatsException {
    private static final long serialVersionUID = 1L;

    StatsClosedException(String what) {
        super("stats segment " + what + " is closed");
    }

    StatsClosedException(String what, String why, Throwable cause) {
        super("stats segment " + what + " " + why, cause);
    }
}
