package dev.vppmaglev.vpp.stats;

/** The {@link StatsSegment} was closed (the mapping is gone); open a new one. */
public final class StatsClosedException extends StatsException {
    private static final long serialVersionUID = 1L;

    StatsClosedException(String what) {
        super("stats segment " + what + " is closed");
    }
}
