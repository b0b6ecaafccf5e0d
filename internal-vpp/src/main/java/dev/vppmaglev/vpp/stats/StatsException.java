package dev.vppmaglev.vpp.stats;

import java.io.IOException;

/**
 * Why the stats segment could not be read. Every failure of {@link StatsSegment} is one of the
 * permitted subclasses, so a caller can tell "VPP is gone" ({@link StatsConnectException},
 * {@link StatsClosedException}) from "the segment is malformed" ({@link StatsFormatException}),
 * "VPP holds the lock too long" ({@link StatsBusyException}) and "no such counter"
 * ({@link StatsNoSuchEntryException}, {@link StatsEntryTypeException}). Messages are meant for
 * operators: they name the step, the socket or entry, and the errno text where there is one.
 */
public abstract sealed class StatsException extends IOException
        permits StatsConnectException,
                StatsFormatException,
                StatsBusyException,
                StatsNoSuchEntryException,
                StatsEntryTypeException,
                StatsClosedException {
    private static final long serialVersionUID = 1L;

    StatsException(String message) {
        super(message);
    }

    StatsException(String message, Throwable cause) {
        super(message, cause);
    }
}
