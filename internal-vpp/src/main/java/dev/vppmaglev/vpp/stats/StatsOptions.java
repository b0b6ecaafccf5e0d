package dev.vppmaglev.vpp.stats;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts of a {@link StatsSegment}.
 *
 * @param lockTimeout    how long one read may wait for VPP to clear {@code in_progress} and
 *                       for the epoch to hold still before it fails with
 *                       {@link StatsBusyException} (govpp waits 100 ms; VPP holds the lock
 *                       for microseconds, a little longer when it grows the directory)
 * @param connectTimeout how long {@code recvmsg} waits on {@code stats.sock} for the segment's
 *                       file descriptor
 */
public record StatsOptions(Duration lockTimeout, Duration connectTimeout) {
    /** 500 ms lock timeout, 5 s connect timeout. */
    public static final StatsOptions DEFAULT = new StatsOptions(Duration.ofMillis(500), Duration.ofSeconds(5));

    /**
     * @throws IllegalArgumentException if a duration is not positive
     * @throws NullPointerException     if a duration is null
     */
    public StatsOptions {
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new IllegalArgumentException("lockTimeout must be > 0, got " + lockTimeout);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be > 0, got " + connectTimeout);
        }
    }

    /** A copy with another lock timeout. */
    public StatsOptions withLockTimeout(Duration timeout) {
        return new StatsOptions(timeout, connectTimeout);
    }

    /** A copy with another connect timeout. */
    public StatsOptions withConnectTimeout(Duration timeout) {
        return new StatsOptions(lockTimeout, timeout);
    }
}
