package dev.vppmaglev.vpp.lb;

/**
 * Told the outcome of every sync that ran (not of requests that were coalesced, suppressed by
 * the startup warmup, or dropped while VPP was down). Called on the sync thread: be quick.
 *
 * <p>The daemon backs it with {@code maglev_vpp_lbsync_total{scope,kind}} where kind is one of
 * {@code vip_added, vip_removed, as_added, as_removed, as_weight_updated} (the
 * {@link SyncResult} components); kinds whose count is 0 are not added, so a series appears only
 * once something changed (behaviour.md §5.4 step 5, §8).
 */
@FunctionalInterface
public interface LbSyncObserver {
    /** Ignores everything. */
    LbSyncObserver NONE = (scope, result) -> { };

    /** Scope of a full sync (every frontend; VIPs not in the config are removed). */
    String SCOPE_ALL = "all";
    /** Scope of a targeted sync of one frontend's VIP. */
    String SCOPE_VIP = "vip";

    /**
     * @param scope  {@link #SCOPE_ALL} or {@link #SCOPE_VIP}
     * @param result what changed (possibly nothing); on a partly failed sync, what did succeed
     */
    void onSync(String scope, SyncResult result);
}
