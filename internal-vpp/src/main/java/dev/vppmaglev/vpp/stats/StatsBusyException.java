package dev.vppmaglev.vpp.stats;

import java.time.Duration;

/**
 * No consistent read was possible within {@link StatsOptions#lockTimeout()}: VPP kept
 * {@code in_progress} set, or the epoch changed under every attempt. The segment is not
 * malformed; a later call may succeed. A VPP that died while holding the lock leaves
 * {@code in_progress} set for good.
 */
public final class StatsBusyException extends StatsException {
    private static final long serialVersionUID = 1L;

    private final Duration waited;

    StatsBusyException(String message, Duration waited) {
        super(message);
        this.waited = waited;
    }

    /** How long the reader tried before giving up. */
    public Duration waited() {
        return waited;
    }
}
