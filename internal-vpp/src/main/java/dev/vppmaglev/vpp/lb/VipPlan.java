package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.api.msg.LbVip;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The calls that bring one VIP to its desired state, in the order they must be sent.
 *
 * @param key      the VIP
 * @param frontend the frontend it belongs to; empty for a VIP that is not in the config
 * @param recreate set when {@code src_ip_sticky}, the encap or the new-flow table length differs:
 *                 the VIP is deleted and created again (behaviour.md §12 items 2, 3)
 * @param ops      the calls; empty when VPP already matches
 */
record VipPlan(LbVip key, Optional<String> frontend, Optional<Recreate> recreate, List<LbOp> ops) {
    VipPlan {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(frontend, "frontend");
        Objects.requireNonNull(recreate, "recreate");
        ops = List.copyOf(ops);
    }

    /**
     * Why a VIP is recreated, e.g. {@code src_ip_sticky false -> true}.
     *
     * @param what {@code src_ip_sticky}, {@code encap}, {@code new_flows_table_length}, or several
     *             of them comma-separated
     * @param from the values in VPP
     * @param to   the values wanted
     */
    record Recreate(String what, String from, String to) {}
}
