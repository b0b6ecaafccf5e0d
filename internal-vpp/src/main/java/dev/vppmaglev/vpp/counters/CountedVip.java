package dev.vppmaglev.vpp.counters;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.vpp.api.msg.LbVip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A VIP whose counters the {@link CountersLoop} reads: the frontend that configures it and the key
 * VPP's lb plugin matches it by (host prefix /32 or /128, IP protocol, port; port 0 means every
 * port and protocol 255, as VPP stores it).
 *
 * @param frontend the frontend's name ({@code maglev.frontends.<name>})
 * @param vip      prefix, protocol, port
 */
public record CountedVip(String frontend, LbVip vip) {
    public CountedVip {
        Objects.requireNonNull(frontend, "frontend");
        Objects.requireNonNull(vip, "vip");
    }

    /** The VIP of one frontend: its address as a host prefix, protocol number and port. */
    public static CountedVip of(Frontend f) {
        return new CountedVip(f.name(), LbVip.host(f.address(), f.protocol().number(), f.port()));
    }

    /** Every frontend's VIP, in config order. */
    public static List<CountedVip> of(Config config) {
        List<CountedVip> out = new ArrayList<>(config.frontends().size());
        for (Frontend f : config.frontends().values()) {
            out.add(of(f));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The VIPs of a live config (e.g. {@code checker::config}), recomputed only when the supplier
     * hands out another {@link Config} instance: while the config is unchanged the same list
     * instance comes back, so the counters loop sees at a glance that nothing changed. A weight
     * change gives a new config with an equal list (indexes are kept).
     */
    public static Supplier<List<CountedVip>> fromLiveConfig(Supplier<Config> config) {
        Objects.requireNonNull(config, "config");
        return new Supplier<>() {
            private record Memo(Config config, List<CountedVip> vips) {}

            private volatile Memo memo;

            @Override
            public List<CountedVip> get() {
                Config c = config.get();
                Memo m = memo;
                if (m == null || m.config() != c) {
                    m = new Memo(c, of(c));
                    memo = m;
                }
                return m.vips();
            }
        };
    }
}
