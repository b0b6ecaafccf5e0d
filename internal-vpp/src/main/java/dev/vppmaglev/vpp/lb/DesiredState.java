package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.config.Backend;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.health.AsWeight;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.MemberWeight;
import dev.vppmaglev.health.Weights;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The desired lb table: config plus live backend states, through {@link Weights#effectiveWeights}
 * (the one place of the pool-failover and weight/flush rules, behaviour.md §4). Pure functions.
 */
public final class DesiredState {
    private DesiredState() {}

    /**
     * The VIP key of {@code frontend}: its address as a host prefix, its protocol number (255 for
     * any) and port; port 0 makes protocol 255 as in VPP (vpp-wire.md §3.6).
     */
    public static LbVip key(Frontend frontend) {
        return LbVip.host(frontend.address(), frontend.protocol().number(), frontend.port());
    }

    /**
     * Every frontend's desired VIP, in config order.
     *
     * @param states a backend's current state; {@code null} (unknown name) counts as unknown
     */
    public static Map<String, DesiredVip> of(Config config, Function<String, BackendState> states) {
        Map<String, DesiredVip> out = new java.util.LinkedHashMap<>();
        for (Frontend f : config.frontends().values()) {
            out.put(f.name(), of(f, config.backends(), states));
        }
        return out;
    }

    /**
     * One frontend's desired VIP.
     *
     * <p>ASes: one per backend address, weight and flush from {@link Weights#effectiveWeights}. A
     * backend named in two pools of the frontend (the only way one address appears twice in a
     * loaded config) keeps its highest weight; when every occurrence has weight 0, flush is
     * requested if any occurrence requests it. A pool member whose backend is not in
     * {@code backends} (impossible for a loaded config) is skipped.
     *
     * <p>Encap: GRE4 when the ASes are IPv4, GRE6 when they are IPv6; with no AS, or with both
     * families (which the config loader refuses), the VIP's own family decides.
     */
    public static DesiredVip of(Frontend frontend, Map<String, Backend> backends,
                                Function<String, BackendState> states) {
        TreeMap<InetAddress, DesiredAs> ases = new TreeMap<>(IpOrder.ADDRESSES);
        for (MemberWeight m : Weights.effectiveWeights(frontend, states)) {
            Backend b = backends.get(m.backend());
            if (b == null) {
                continue;
            }
            AsWeight w = m.effective();
            ases.merge(b.address(), new DesiredAs(b.address(), w.weight(), w.flush()), DesiredState::merge);
        }
        return new DesiredVip(frontend.name(), key(frontend), encap(frontend, ases.keySet()), frontend.srcIpSticky(),
                new ArrayList<>(ases.values()));
    }

    private static DesiredAs merge(DesiredAs a, DesiredAs b) {
        if (a.weight() != b.weight()) {
            return a.weight() > b.weight() ? a : b;
        }
        return new DesiredAs(a.address(), a.weight(), a.weight() == 0 && (a.flush() || b.flush()));
    }

    private static LbEncap encap(Frontend frontend, Iterable<InetAddress> ases) {
        boolean v4 = false;
        boolean v6 = false;
        for (InetAddress a : ases) {
            if (a instanceof Inet4Address) {
                v4 = true;
            } else {
                v6 = true;
            }
        }
        if (v4 == v6) { // none, or both (refused by the config loader)
            return frontend.address() instanceof Inet4Address ? LbEncap.GRE4 : LbEncap.GRE6;
        }
        return v4 ? LbEncap.GRE4 : LbEncap.GRE6;
    }
}
