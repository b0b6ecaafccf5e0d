package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Objects;

/**
 * {@code lb_conf} (VPP src/plugins/lb/lb.api): the plugin's global settings. VPP always
 * overwrites both source addresses, so read them with {@code lb_conf_get} first and send them
 * back (vpp-wire.md §5.1).
 *
 * @param ip4SrcAddress        GRE4 / NAT4 source address (255.255.255.255 = unset)
 * @param ip6SrcAddress        GRE6 / NAT6 source address (all-ones = unset)
 * @param stickyBucketsPerCore sticky-table buckets per worker, a power of 2 (u32; 0xffffffff
 *                             keeps the current value)
 * @param flowTimeout          seconds of idleness before a sticky flow expires (u32;
 *                             0xffffffff keeps the current value)
 */
public record LbConf(Inet4Address ip4SrcAddress, Inet6Address ip6SrcAddress, int stickyBucketsPerCore,
                     int flowTimeout) {
    /** The "keep the current value" marker for the two u32 fields. */
    public static final int KEEP = 0xffffffff;

    public LbConf {
        Objects.requireNonNull(ip4SrcAddress, "ip4SrcAddress");
        Objects.requireNonNull(ip6SrcAddress, "ip6SrcAddress");
    }

    static void encode(LbConf m, WireWriter w) {
        w.ip4(m.ip4SrcAddress).ip6(m.ip6SrcAddress).u32(m.stickyBucketsPerCore).u32(m.flowTimeout);
    }

    static LbConf decode(WireReader r) {
        return new LbConf(r.ip4(), r.ip6(), r.u32(), r.u32());
    }
}
