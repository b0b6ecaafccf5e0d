package dev.vppmaglev.vpp.stats;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The stats half of a VPP connection: the connection manager calls {@link #open()} after the
 * binary-API handshake and closes the returned segment on teardown (API and stats socket are
 * torn down and rebuilt together, behaviour.md §5.1). Tests substitute a connector that serves
 * a fake segment; this interface knows nothing of the API client.
 */
@FunctionalInterface
public interface StatsConnector {
    /**
     * Connects and maps a fresh segment.
     *
     * @return an open segment; the caller closes it
     * @throws StatsException when the socket, the fd passing or the mapping fails, or the segment
     *                        is not a v2 stats segment
     */
    StatsSegment open() throws StatsException;

    /** A connector for VPP's {@code stats.sock} (default {@code /run/vpp/stats.sock}). */
    static StatsConnector unixSocket(Path socket, StatsOptions options) {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(options, "options");
        return () -> StatsSegment.open(socket, options);
    }
}
