package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A live VIP as the reconciler knows it (its cache of VPP's lb table): from the last read,
 * updated by every successful call since.
 *
 * @param key                 prefix, protocol, port
 * @param encap               the VIP's encap
 * @param srcIpSticky         empty when unknown (the CLI text did not list the VIP): never
 *                            recreate on missing information
 * @param newFlowsTableLength the new-flow table size; empty when unknown (never recreate on
 *                            missing information)
 * @param lbIndex             the VIP's pool index ("lb index", the column of its counters in the
 *                            stats segment); -1 when unknown: not listed by the CLI text, or
 *                            created since the last read (VPP's reply does not say where)
 * @param ases                the ASes in use, by address (deleted ones are absent: re-adding them
 *                            is an add)
 * @param removed             addresses VPP may still hold as deleted-but-not-collected ASes of
 *                            this VIP, with their sticky flows (VPP re-uses such an entry when the
 *                            address is added again). Conservative: a collected one may linger here
 */
record KnownVip(LbVip key, LbEncap encap, Optional<Boolean> srcIpSticky, OptionalInt newFlowsTableLength,
                int lbIndex, Map<InetAddress, KnownAs> ases, Set<InetAddress> removed) {
    KnownVip {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(encap, "encap");
        Objects.requireNonNull(srcIpSticky, "srcIpSticky");
        Objects.requireNonNull(newFlowsTableLength, "newFlowsTableLength");
        ases = Map.copyOf(ases);
        removed = Set.copyOf(removed);
    }

    /**
     * One AS in use.
     *
     * @param weight its weight; -1 when unknown (v1 dump in degraded mode: "in")
     * @param clean  it sits at weight 0 and holds no sticky flows: VPP reported 0 flows, we
     *               flushed it at weight 0 and it has stayed at 0 since (an AS without buckets
     *               gets no new flows), or we created it at weight 0. A flush of a clean AS
     *               changes nothing and is not sent.
     */
    record KnownAs(int weight, boolean clean) {
        static final KnownAs UNKNOWN_WEIGHT = new KnownAs(-1, false);
    }

    /**
     * From a fresh read: in-use ASes; clean = weight 0 and the CLI reported 0 flows. Removed ASes
     * go to {@link #removed()}; a table length of 0 (unknown) becomes empty.
     *
     * @param previous the same VIP in the cache this read replaces (null when none): an AS the
     *                 read shows at weight 0 without a flow count (its CLI block did not parse)
     *                 stays clean if it was clean at weight 0 there — at weight 0 it has no buckets,
     *                 so it got no flows since — instead of being flushed again on every full sync
     */
    static KnownVip of(LbVipState s, KnownVip previous) {
        Map<InetAddress, KnownAs> ases = new HashMap<>();
        Set<InetAddress> removed = new HashSet<>();
        for (LbAsState a : s.ases()) {
            if (a.used()) {
                int w = a.weight().orElse(-1);
                boolean clean = w == 0 && (a.flows().isPresent() ? a.flows().getAsLong() == 0
                        : previous != null && previous.cleanAtZero(a.address()));
                ases.put(a.address(), new KnownAs(w, clean));
            } else {
                removed.add(a.address());
            }
        }
        OptionalInt length = s.newFlowsTableLength() > 0 ? OptionalInt.of(s.newFlowsTableLength()) : OptionalInt.empty();
        return new KnownVip(s.key(), s.encap(), s.srcIpSticky(), length, s.lbIndex(), ases, removed);
    }

    /** As {@link #of(LbVipState, KnownVip)} without a previous entry. */
    static KnownVip of(LbVipState s) {
        return of(s, null);
    }

    private boolean cleanAtZero(InetAddress as) {
        KnownAs k = ases.get(as);
        return k != null && k.weight() == 0 && k.clean();
    }
}
