package dev.vppmaglev.vpp.fake.faults;

import dev.vppmaglev.config.Backend;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.config.Pool;
import dev.vppmaglev.config.PoolBackend;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.cli.CliAs;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.cli.ShowLbVipsParser;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.fake.FakeVpp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The lb table twice: as the config and the live health want it, computed here from
 * behaviour.md §4.1–4.2 and §5.3 on purpose without the production code ({@code Weights},
 * {@code DesiredState}), and as the fake VPP's own model holds it ({@code show lb vips verbose}).
 * {@link #differences} compares the two exactly.
 */
final class LbTable {
    private LbTable() {}

    /** A wanted AS: VPP weight and whether its sticky flows must be gone (flush). */
    record WantAs(int weight, boolean flush) {}

    /** A wanted VIP. */
    record WantVip(String frontend, LbEncap encap, boolean sticky, Map<InetAddress, WantAs> ases) {}

    /** An AS in use in VPP: weight and the sticky flows that reference it. */
    record HaveAs(int weight, long flows) {}

    /** A live VIP in VPP: its pool index, encap, sticky flag and in-use ASes. */
    record HaveVip(int index, LbEncap encap, boolean sticky, Map<InetAddress, HaveAs> ases) {}

    /**
     * The desired table: per frontend its VIP (host prefix, protocol number, port), encap from the
     * backends' family, {@code src-ip-sticky}, and per backend the weight and flush of §4.2:
     * active pool = first pool with an up backend (else 0); up in the active pool → pool weight;
     * up elsewhere → 0; down → 0, flush = {@code flush-on-down}; disabled → 0, flush; unknown and
     * paused → 0, no flush.
     */
    static Map<LbVip, WantVip> desired(Config config, Function<String, BackendState> states) {
        Map<LbVip, WantVip> out = new LinkedHashMap<>();
        for (Frontend f : config.frontends().values()) {
            int active = 0;
            for (int i = 0; i < f.pools().size(); i++) {
                if (f.pools().get(i).backends().stream().anyMatch(m -> state(states, m) == BackendState.UP)) {
                    active = i;
                    break;
                }
            }
            Map<InetAddress, WantAs> ases = new LinkedHashMap<>();
            boolean v4 = false;
            boolean v6 = false;
            for (int i = 0; i < f.pools().size(); i++) {
                Pool p = f.pools().get(i);
                for (PoolBackend m : p.backends()) {
                    Backend b = config.backends().get(m.backend());
                    WantAs as = switch (state(states, m)) {
                        case UP -> new WantAs(i == active ? m.weight() : 0, false);
                        case DOWN -> new WantAs(0, f.flushOnDown());
                        case DISABLED -> new WantAs(0, true);
                        case UNKNOWN, PAUSED, REMOVED -> new WantAs(0, false);
                    };
                    if (ases.put(b.address(), as) != null) {
                        throw new IllegalArgumentException("the fault tests' configs name a backend once per frontend");
                    }
                    v4 |= b.address() instanceof Inet4Address;
                    v6 |= !(b.address() instanceof Inet4Address);
                }
            }
            LbEncap encap = v4 == v6 ? (f.address() instanceof Inet4Address ? LbEncap.GRE4 : LbEncap.GRE6)
                    : v4 ? LbEncap.GRE4 : LbEncap.GRE6;
            out.put(LbVip.host(f.address(), f.protocol().number(), f.port()),
                    new WantVip(f.name(), encap, f.srcIpSticky(), ases));
        }
        return out;
    }

    private static BackendState state(Function<String, BackendState> states, PoolBackend m) {
        return Objects.requireNonNullElse(states.apply(m.backend()), BackendState.UNKNOWN);
    }

    /** The fake VPP's live VIPs and in-use ASes, from its own model (no API traffic). */
    static Map<LbVip, HaveVip> actual(FakeVpp fake) {
        Map<LbVip, HaveVip> out = new TreeMap<>(java.util.Comparator.comparing(LbVip::toString));
        for (CliVip v : ShowLbVipsParser.parseVerbose(fake.cli("show lb vips verbose"))) {
            if (v.removed()) {
                continue;
            }
            Map<InetAddress, HaveAs> ases = new LinkedHashMap<>();
            for (CliAs a : v.ases()) {
                if (a.used()) {
                    ases.put(a.address(), new HaveAs(a.weight(), a.flows()));
                }
            }
            out.put(v.key(), new HaveVip(v.index(), v.encap(), v.srcIpSticky(), ases));
        }
        return out;
    }

    /**
     * Every way {@code have} differs from {@code want}: a missing or stale VIP, a wrong encap or
     * sticky flag, a missing or stale AS, a wrong weight, an AS that should have been flushed but
     * still has sticky flows. Empty when VPP holds exactly the desired table.
     */
    static List<String> differences(Map<LbVip, WantVip> want, Map<LbVip, HaveVip> have) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<LbVip, WantVip> e : want.entrySet()) {
            WantVip w = e.getValue();
            HaveVip h = have.get(e.getKey());
            if (h == null) {
                out.add("missing VIP " + e.getKey() + " (" + w.frontend() + ")");
                continue;
            }
            if (h.encap() != w.encap() || h.sticky() != w.sticky()) {
                out.add("VIP " + e.getKey() + ": " + h.encap() + " sticky " + h.sticky() + ", want " + w.encap()
                        + " sticky " + w.sticky());
            }
            for (Map.Entry<InetAddress, WantAs> a : w.ases().entrySet()) {
                HaveAs x = h.ases().get(a.getKey());
                String as = e.getKey() + " AS " + IpFormat.format(a.getKey());
                if (x == null) {
                    out.add("missing " + as);
                } else if (x.weight() != a.getValue().weight()) {
                    out.add(as + ": weight " + x.weight() + ", want " + a.getValue().weight());
                } else if (a.getValue().flush() && x.flows() != 0) {
                    out.add(as + ": " + x.flows() + " sticky flows, want flushed");
                }
            }
            for (InetAddress a : h.ases().keySet()) {
                if (!w.ases().containsKey(a)) {
                    out.add("stale " + e.getKey() + " AS " + IpFormat.format(a));
                }
            }
        }
        for (LbVip k : have.keySet()) {
            if (!want.containsKey(k)) {
                out.add("stale VIP " + k);
            }
        }
        return out;
    }

    /**
     * About how many mutating calls take {@code have} to {@code want} (a VIP add or delete counts
     * its ASes; a sticky or encap flip deletes and re-adds everything): how long the next sync
     * is, so a fault can be placed inside it.
     */
    static int callsToConverge(Map<LbVip, WantVip> want, Map<LbVip, HaveVip> have) {
        int n = 0;
        for (Map.Entry<LbVip, WantVip> e : want.entrySet()) {
            WantVip w = e.getValue();
            HaveVip h = have.get(e.getKey());
            if (h == null) {
                n += 1 + w.ases().size();
            } else if (h.encap() != w.encap() || h.sticky() != w.sticky()) {
                n += h.ases().size() + 2 + w.ases().size();
            } else {
                for (Map.Entry<InetAddress, WantAs> a : w.ases().entrySet()) {
                    HaveAs x = h.ases().get(a.getKey());
                    if (x == null || x.weight() != a.getValue().weight() || (a.getValue().flush() && x.flows() != 0)) {
                        n++;
                    }
                }
                n += (int) h.ases().keySet().stream().filter(a -> !w.ases().containsKey(a)).count();
            }
        }
        for (Map.Entry<LbVip, HaveVip> e : have.entrySet()) {
            if (!want.containsKey(e.getKey())) {
                n += 1 + e.getValue().ases().size();
            }
        }
        return n;
    }
}
