package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One live VIP as VPP reports it: {@code lb_vip_details}, its ASes from the unfiltered AS dump,
 * and from {@code show lb vips verbose} the two facts the binary API does not give
 * ({@code src_ip_sticky} and the VIP's pool index, behaviour.md §5.7, §12 item 1).
 *
 * @param key                 prefix, protocol (255 = any), port
 * @param encap               the VIP's encap
 * @param newFlowsTableLength new-flow table size (from the CLI; else {@code lb_vip_details},
 *                            whose u16 reads 65536 as 0); 0 when unknown (no CLI block and a VPP
 *                            older than lb 1.2.0, whose details byte-swap it)
 * @param srcIpSticky         empty when the CLI text did not list this VIP
 * @param lbIndex             the VIP's pool index ("lb index", the column of its lb counters in
 *                            the stats segment); -1 when the CLI text did not list it
 * @param ases                its ASes in push order ({@link IpOrder}), removed ones included, one
 *                            per address (an in-use entry wins over a removed one of a deleted
 *                            VIP with the same key)
 * @param frontend            the configured frontend with this VIP key; empty when none (the
 *                            next full sync deletes such a VIP)
 */
public record LbVipState(LbVip key, LbEncap encap, int newFlowsTableLength, Optional<Boolean> srcIpSticky,
                         int lbIndex, List<LbAsState> ases, Optional<String> frontend) {
    public LbVipState {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(encap, "encap");
        Objects.requireNonNull(srcIpSticky, "srcIpSticky");
        ases = List.copyOf(ases);
        Objects.requireNonNull(frontend, "frontend");
    }

    /** The ASes in use (not deleted). */
    public List<LbAsState> usedAses() {
        return ases.stream().filter(LbAsState::used).toList();
    }
}
