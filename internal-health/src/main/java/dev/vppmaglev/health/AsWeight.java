package dev.vppmaglev.health;

/**
 * What one application server (AS) of a VIP should be set to in VPP.
 *
 * @param weight the VPP weight, 0..100 ({@code lb_as_set_weight.weight} / {@code lb_add_del_as_v2.weight},
 *               VPP src/plugins/lb/lb.api)
 * @param flush  when setting weight 0, also drop the AS's existing flow-table (sticky) entries
 *               ({@code lb_as_set_weight.is_flush}); the call must be sent whenever this is true,
 *               even if the weight is already 0 (behaviour.md §4.2, §12 item 10)
 */
public record AsWeight(int weight, boolean flush) {
    /** Weight 0, no flush: drain (unknown, paused, up in a standby pool). */
    public static final AsWeight DRAIN = new AsWeight(0, false);
    /** Weight 0 with flush (disabled, removed, or down with {@code flush-on-down}). */
    public static final AsWeight FLUSH = new AsWeight(0, true);

    public AsWeight {
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("AS weight " + weight + " out of range 0..100");
        }
    }
}
