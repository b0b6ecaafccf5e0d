package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.fake.stats.FakeStatsSegment;
import dev.vppmaglev.vpp.stats.StatsNames;

/**
 * What VPP's lb and FIB code does to the stats segment, for the fake: validating and zeroing a
 * VIP's four lb counters when the VIP is created ({@code lb_vip_add}: {@code vlib_validate_simple_counter}
 * + {@code vlib_zero_simple_counter}, VPP src/plugins/lb/lb.c), validating and zeroing
 * {@code /net/route/to} and {@code /net/route/via} when a load-balance (FIB stats) index is
 * allocated ({@code load_balance_alloc_i}, src/vnet/dpo/load_balance.c), and counting packets
 * the way the lb nodes and {@code ip4/ip6-lookup} do: per thread, summed by readers. Without a
 * segment (no {@code --stats}), or once it is closed ({@link FakeVpp#truncateStatsSegment}),
 * every call does nothing.
 *
 * <p>Called by {@link FakeVpp} under its lock.
 */
final class FakeDataPlaneCounters {
    private final FakeStatsSegment segment; // null: no stats segment

    FakeDataPlaneCounters(FakeStatsSegment segment) {
        this.segment = segment;
    }

    /** A VIP was created at pool index {@code vipIndex}. */
    void vipAdded(int vipIndex) {
        if (segment == null || !segment.isOpen()) {
            return;
        }
        segment.validateLbCounters(vipIndex);
        int threads = segment.options().threads();
        for (String name : StatsNames.LB_COUNTERS) {
            for (int t = 0; t < threads; t++) {
                segment.setSimple(name, t, vipIndex, 0);
            }
        }
    }

    /** A FIB entry got load-balance index {@code statsIndex} (new or reused). */
    void routeAllocated(int statsIndex) {
        if (segment == null || !segment.isOpen()) {
            return;
        }
        int threads = segment.options().threads();
        for (String name : new String[] {StatsNames.ROUTE_TO, StatsNames.ROUTE_VIA}) {
            segment.validate(name, statsIndex);
            for (int t = 0; t < threads; t++) {
                segment.setCombined(name, t, statsIndex, 0, 0);
            }
        }
    }

    /**
     * Counts packets in the four lb counters of VIP {@code vipIndex}, spread over VPP's threads as
     * RSS would spread flows (thread {@code t} gets {@code n / threads}, the first
     * {@code n % threads} threads one more).
     *
     * @param counts next (existing sessions), first, untracked, no server: VPP's enum order
     */
    void countVip(int vipIndex, long[] counts) {
        if (segment == null || !segment.isOpen()) {
            return;
        }
        int threads = segment.options().threads();
        for (int c = 0; c < StatsNames.LB_COUNTERS.size(); c++) {
            if (counts[c] == 0) {
                continue;
            }
            String name = StatsNames.LB_COUNTERS.get(c);
            segment.validateLbCounters(vipIndex);
            for (int t = 0; t < threads; t++) {
                long share = share(counts[c], t, threads);
                if (share != 0) {
                    segment.addSimple(name, t, vipIndex, share);
                }
            }
        }
    }

    /** Counts packets and bytes in {@code /net/route/to} at {@code statsIndex}, spread over threads. */
    void countRoute(int statsIndex, long packets, long bytes) {
        if (segment == null || !segment.isOpen() || (packets == 0 && bytes == 0)) {
            return;
        }
        int threads = segment.options().threads();
        for (int t = 0; t < threads; t++) {
            long p = share(packets, t, threads);
            long b = share(bytes, t, threads);
            if (p != 0 || b != 0) {
                segment.addCombined(StatsNames.ROUTE_TO, t, statsIndex, p, b);
            }
        }
    }

    private static long share(long n, int thread, int threads) {
        return n / threads + (thread < n % threads ? 1 : 0);
    }
}
