package dev.vppmaglev.vpp.stats;

/**
 * The counters of one VIP at one instant, as read by {@link StatsSegment#readLbCounters}: the
 * four lb plugin counters at the VIP's lb pool index and {@code /net/route/to} at the FIB
 * stats index of the VIP's prefix, all summed over VPP's threads. Field names follow the
 * {@code VIPCounters} gRPC message.
 *
 * @param first      packets, {@code first session packet} (new flows assigned from the Maglev table)
 * @param next       packets, {@code packet from existing sessions} (sticky-table hits)
 * @param untracked  packets, {@code untracked packet} (sticky table full; forwarded untracked)
 * @param noServer   packets, {@code no server configured} (new flow, bucket maps to no live AS)
 * @param fibPackets packets of {@code /net/route/to} at the VIP prefix's FIB stats index (all ports)
 * @param fibBytes   bytes of {@code /net/route/to} at the VIP prefix's FIB stats index
 */
public record LbCounterValues(
        long first, long next, long untracked, long noServer, long fibPackets, long fibBytes) {
    /** A VIP that has seen nothing (or whose counters do not exist yet). */
    public static final LbCounterValues ZERO = new LbCounterValues(0, 0, 0, 0, 0, 0);
}
