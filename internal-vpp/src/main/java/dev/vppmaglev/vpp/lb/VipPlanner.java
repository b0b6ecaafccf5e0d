package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.lb.KnownVip.KnownAs;
import dev.vppmaglev.vpp.lb.LbOp.AddAs;
import dev.vppmaglev.vpp.lb.LbOp.AddVip;
import dev.vppmaglev.vpp.lb.LbOp.DelAs;
import dev.vppmaglev.vpp.lb.LbOp.DelVip;
import dev.vppmaglev.vpp.lb.LbOp.SetWeight;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The diff between a desired VIP and what VPP holds: {@code reconcileVIP} of behaviour.md §5.4.
 * Pure; the only place these decisions are made.
 *
 * <p>Normal mode (lb v2 messages):
 * <ul>
 *   <li>VIP missing: add it, then add every desired AS with its weight and flush flag.</li>
 *   <li>{@code src_ip_sticky}, encap or {@code new_flows_table_length} differs (none can change
 *       on a live VIP: VPP answers -81 to a second add): delete every AS with flush, delete the
 *       VIP, add it, add the ASes. Each is compared only when VPP's value is known, and
 *       {@code src_ip_sticky} only when VPP can set it ({@code lb_add_del_vip_v2}).</li>
 *   <li>Otherwise per AS: add when missing; {@code lb_as_set_weight} when the weight differs, or
 *       when flush is requested and the AS is not known to be clean (§4.2, §12 item 10: a
 *       backend drained to 0 by pool failover that is then disabled still gets its sticky flows
 *       flushed); delete with flush when no longer desired.</li>
 * </ul>
 * "Clean" ({@link KnownAs#clean()}) refines "even if already 0": a flush that VPP would answer
 * by evicting nothing (the AS has been at weight 0 since our own flush, or VPP reports no sticky
 * flows for it) is not sent, so an in-sync table costs zero mutating calls, every time.
 *
 * <p>Degraded mode (v1 messages only, spec README "VPP compatibility"): weights 1..100 all mean
 * "in" (add when missing), weight 0 means "out" (delete; with flush only when flush is
 * requested), and undesired ASes are deleted with flush. A flush of an AS that is already out
 * cannot be expressed with v1 messages and is not attempted.
 *
 * <p>Every AS call of a VIP is in {@link IpOrder}: desired ASes first, then deletions.
 */
final class VipPlanner {
    private VipPlanner() {}

    /**
     * @param desired  the frontend's VIP
     * @param current  what VPP holds for that key; {@code null} when VPP has no such VIP
     * @param degraded VPP lacks the lb v2 messages
     */
    static VipPlan plan(DesiredVip desired, KnownVip current, boolean degraded) {
        return plan(desired, current, degraded, true);
    }

    /**
     * @param desired        the frontend's VIP
     * @param current        what VPP holds for that key; {@code null} when VPP has no such VIP
     * @param degraded       VPP lacks the lb v2 messages
     * @param stickySettable VPP has {@code lb_add_del_vip_v2} (VPP 23.02 and later), the only way
     *                       to choose {@code src_ip_sticky}: without it a recreate cannot fix the
     *                       flag (v1 leaves it uninitialised), so a difference in it alone never
     *                       recreates the VIP — that would flush every flow on every sync
     */
    static VipPlan plan(DesiredVip desired, KnownVip current, boolean degraded, boolean stickySettable) {
        Optional<String> frontend = Optional.of(desired.frontend());
        List<LbOp> ops = new ArrayList<>();
        if (current == null) {
            ops.add(new AddVip(desired.spec()));
            addAll(desired, degraded, ops);
            return new VipPlan(desired.key(), frontend, Optional.empty(), ops);
        }
        Optional<VipPlan.Recreate> recreate = recreateReason(desired, current, stickySettable);
        if (recreate.isPresent()) {
            deleteAll(current, ops);
            ops.add(new AddVip(desired.spec()));
            addAll(desired, degraded, ops);
            return new VipPlan(desired.key(), frontend, recreate, ops);
        }
        Set<InetAddress> wanted = new HashSet<>();
        for (DesiredAs d : desired.ases()) {
            wanted.add(d.address());
            KnownAs k = current.ases().get(d.address());
            if (degraded) {
                if (d.weight() > 0 && k == null) {
                    ops.add(new AddAs(desired.key(), d.address(), d.weight(), false));
                } else if (d.weight() == 0 && k != null) {
                    ops.add(new DelAs(desired.key(), d.address(), d.flush()));
                }
            } else if (k == null) {
                ops.add(new AddAs(desired.key(), d.address(), d.weight(), d.flush()));
            } else if (k.weight() != d.weight() || (d.flush() && d.weight() == 0 && !k.clean())) {
                ops.add(new SetWeight(desired.key(), d.address(), d.weight(), d.flush(), k.weight()));
            }
        }
        for (InetAddress a : IpOrder.sortedIPKeys(current.ases().keySet())) {
            if (!wanted.contains(a)) {
                ops.add(new DelAs(desired.key(), a, true));
            }
        }
        return new VipPlan(desired.key(), frontend, Optional.empty(), ops);
    }

    /** Removal of a VIP that is not in the config: its ASes with flush, then the VIP. */
    static VipPlan remove(KnownVip current) {
        List<LbOp> ops = new ArrayList<>();
        deleteAll(current, ops);
        return new VipPlan(current.key(), Optional.empty(), Optional.empty(), ops);
    }

    /**
     * Why the VIP must be recreated: the facts VPP cannot change on a live VIP, each compared only
     * when VPP's value is known. Several at once are named together ({@code "src_ip_sticky,encap"}).
     */
    private static Optional<VipPlan.Recreate> recreateReason(DesiredVip d, KnownVip c, boolean stickySettable) {
        List<String> what = new ArrayList<>(3);
        List<String> from = new ArrayList<>(3);
        List<String> to = new ArrayList<>(3);
        if (stickySettable && stickyDiffers(d, c)) {
            what.add("src_ip_sticky");
            from.add(String.valueOf(c.srcIpSticky().get()));
            to.add(String.valueOf(d.srcIpSticky()));
        }
        if (c.encap() != d.encap()) {
            what.add("encap");
            from.add(c.encap().keyword());
            to.add(d.encap().keyword());
        }
        int length = d.spec().newFlowsTableLength();
        if (c.newFlowsTableLength().isPresent() && c.newFlowsTableLength().getAsInt() != length) {
            what.add("new_flows_table_length");
            from.add(String.valueOf(c.newFlowsTableLength().getAsInt()));
            to.add(String.valueOf(length));
        }
        if (what.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new VipPlan.Recreate(String.join(",", what), String.join(",", from), String.join(",", to)));
    }

    /** Whether VPP's {@code src_ip_sticky} of the VIP is known and not the desired one. */
    static boolean stickyDiffers(DesiredVip d, KnownVip c) {
        return c != null && c.srcIpSticky().isPresent() && c.srcIpSticky().get() != d.srcIpSticky();
    }

    private static void addAll(DesiredVip desired, boolean degraded, List<LbOp> ops) {
        for (DesiredAs d : desired.ases()) {
            if (!degraded) {
                ops.add(new AddAs(desired.key(), d.address(), d.weight(), d.flush()));
            } else if (d.weight() > 0) {
                ops.add(new AddAs(desired.key(), d.address(), d.weight(), false));
            }
        }
    }

    private static void deleteAll(KnownVip current, List<LbOp> ops) {
        for (InetAddress a : IpOrder.sortedIPKeys(current.ases().keySet())) {
            ops.add(new DelAs(current.key(), a, true));
        }
        ops.add(new DelVip(current.key()));
    }
}
