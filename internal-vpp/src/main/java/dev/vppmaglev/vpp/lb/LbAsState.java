package dev.vppmaglev.vpp.lb;

import java.net.InetAddress;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One application server of a VIP as VPP reports it: {@code lb_as_v2_details} (weight, buckets,
 * flags, in-use-since) plus the sticky-flow count of {@code show lb vips verbose}.
 *
 * @param address    the AS
 * @param weight     0..100; empty on a VPP without {@code lb_as_v2_dump} (degraded mode)
 * @param buckets    new-flow table buckets it owns; empty in degraded mode
 * @param inUseSince VPP uptime in seconds when the AS was deleted; 0 if never deleted
 * @param used       false: deleted, waiting for VPP's garbage collection (10 s after deletion at
 *                   the earliest, vpp-wire.md §5.2)
 * @param flows      sticky flows that reference it (CLI {@code flows:}); empty when the CLI text
 *                   did not list it
 */
public record LbAsState(InetAddress address, OptionalInt weight, OptionalInt buckets, int inUseSince, boolean used,
                        OptionalLong flows) {
    public LbAsState {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(buckets, "buckets");
        Objects.requireNonNull(flows, "flows");
    }

    /** {@code lb_as_v2_details.flags}: bit 0 = in use. */
    public int flags() {
        return used ? 1 : 0;
    }
}
