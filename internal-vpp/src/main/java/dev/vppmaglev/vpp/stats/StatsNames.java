package dev.vppmaglev.vpp.stats;

import java.util.List;

/**
 * Directory names of the entries maglevd reads (vpp-wire.md §4.8). The lb plugin registers its
 * four simple counters by {@code .name} only ({@code lb_foreach_vip_counter}, VPP
 * {@code src/plugins/lb/lb.h}), so their directory names have <b>no leading slash</b> and
 * contain spaces; they are indexed by the VIP's lb pool index and exist only after the first
 * VIP was added.
 */
public final class StatsNames {
    private StatsNames() {}

    /** lb NEXT_PACKET (0): hits in the per-thread sticky table. */
    public static final String LB_NEXT_PACKET = "packet from existing sessions";
    /** lb FIRST_PACKET (1): new flows assigned from the Maglev new-flow table. */
    public static final String LB_FIRST_PACKET = "first session packet";
    /** lb UNTRACKED_PACKET (2): sticky table full; forwarded without tracking. */
    public static final String LB_UNTRACKED_PACKET = "untracked packet";
    /** lb NO_SERVER (3): new flow whose bucket maps to no live AS. */
    public static final String LB_NO_SERVER = "no server configured";
    /** The four lb counters in VPP's enum order (NEXT, FIRST, UNTRACKED, NO_SERVER). */
    public static final List<String> LB_COUNTERS =
            List.of(LB_NEXT_PACKET, LB_FIRST_PACKET, LB_UNTRACKED_PACKET, LB_NO_SERVER);

    /** Combined counter indexed by FIB load-balance (stats) index: ip4/ip6-lookup hits. */
    public static final String ROUTE_TO = "/net/route/to";
    /** Combined counter, same index space: packets through the LB DPO as a recursive via. */
    public static final String ROUTE_VIA = "/net/route/via";

    /** Scalar, directory entry 0: bumped by VPP's collector every update interval (10 s). */
    public static final String HEARTBEAT = "/sys/heartbeat";
    /** Scalar, directory entry 1: unix time (s) of the last {@code clear stats}. */
    public static final String LAST_STATS_CLEAR = "/sys/last_stats_clear";
    /** Scalar, directory entry 2: unix time (s) when VPP's stats collector started. */
    public static final String BOOTTIME = "/sys/boottime";
    /** Name vector indexed by sw_if_index. */
    public static final String IF_NAMES = "/if/names";
}
