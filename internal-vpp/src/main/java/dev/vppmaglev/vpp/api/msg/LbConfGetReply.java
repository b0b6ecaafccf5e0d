package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.net.Inet4Address;
import java.net.Inet6Address;

/**
 * {@code lb_conf_get_reply} (lb 1.2.0, VPP ≥ 26.10): the current global settings.
 *
 * @param retval               always 0
 * @param ip4SrcAddress        255.255.255.255 when unset
 * @param ip6SrcAddress        all-ones when unset
 * @param stickyBucketsPerCore buckets per worker (VPP default 1024)
 * @param flowTimeout          seconds (VPP default 40)
 */
public record LbConfGetReply(int retval, Inet4Address ip4SrcAddress, Inet6Address ip6SrcAddress,
                             int stickyBucketsPerCore, int flowTimeout) implements ApiReply {
    /** The settings as an {@link LbConf}. */
    public LbConf conf() {
        return new LbConf(ip4SrcAddress, ip6SrcAddress, stickyBucketsPerCore, flowTimeout);
    }

    static void encode(LbConfGetReply m, WireWriter w) {
        w.u32(m.retval).ip4(m.ip4SrcAddress).ip6(m.ip6SrcAddress).u32(m.stickyBucketsPerCore).u32(m.flowTimeout);
    }

    static LbConfGetReply decode(WireReader r) {
        return new LbConfGetReply(r.u32(), r.ip4(), r.ip6(), r.u32(), r.u32());
    }
}
