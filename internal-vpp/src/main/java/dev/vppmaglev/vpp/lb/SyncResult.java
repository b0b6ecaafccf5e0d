package dev.vppmaglev.vpp.lb;

/**
 * What one sync changed in VPP, counted per successful call (a refused or unanswered call is
 * not counted). The gRPC {@code SyncVPPLBStateResponse} and the metric
 * {@code maglev_vpp_lbsync_total{scope,kind}} carry these numbers.
 *
 * @param vipAdded        {@code lb_add_del_vip_v2} adds (a recreate counts one add and one removal)
 * @param vipRemoved      VIP deletions
 * @param asAdded         application servers added ({@code lb_add_del_as_v2}, or v1 in degraded mode)
 * @param asRemoved       application servers deleted
 * @param asWeightUpdated {@code lb_as_set_weight} calls (weight changes and flushes)
 */
public record SyncResult(int vipAdded, int vipRemoved, int asAdded, int asRemoved, int asWeightUpdated) {
    /** Nothing changed. */
    public static final SyncResult NONE = new SyncResult(0, 0, 0, 0, 0);

    public SyncResult {
        if (vipAdded < 0 || vipRemoved < 0 || asAdded < 0 || asRemoved < 0 || asWeightUpdated < 0) {
            throw new IllegalArgumentException("negative count in " + vipAdded + "/" + vipRemoved + "/" + asAdded
                    + "/" + asRemoved + "/" + asWeightUpdated);
        }
    }

    /** The element-wise sum. */
    public SyncResult plus(SyncResult o) {
        return new SyncResult(vipAdded + o.vipAdded, vipRemoved + o.vipRemoved, asAdded + o.asAdded,
                asRemoved + o.asRemoved, asWeightUpdated + o.asWeightUpdated);
    }

    /** Total number of changes (= mutating calls that succeeded). */
    public int total() {
        return vipAdded + vipRemoved + asAdded + asRemoved + asWeightUpdated;
    }

    /** Whether nothing changed. */
    public boolean isEmpty() {
        return total() == 0;
    }
}
