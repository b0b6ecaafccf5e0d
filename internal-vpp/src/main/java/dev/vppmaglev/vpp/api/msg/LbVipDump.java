package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code lb_vip_dump} (33 bytes): every VIP except the placeholder and deleted ones. VPP ignores
 * all filter fields (golden observation 6); {@link #ALL} sends zeros.
 *
 * @param pfx        ignored by VPP
 * @param pfxMatcher ignored by VPP
 * @param protocol   ignored by VPP
 * @param port       ignored by VPP
 */
public record LbVipDump(Prefix pfx, PrefixMatcher pfxMatcher, int protocol, int port) {
    /** All fields zero. */
    public static final LbVipDump ALL = new LbVipDump(Prefix.zero(), PrefixMatcher.NONE, 0, 0);

    static void encode(LbVipDump m, WireWriter w) {
        Prefix.encode(m.pfx, w);
        PrefixMatcher.encode(m.pfxMatcher, w);
        w.u8(m.protocol).u16(m.port);
    }

    static LbVipDump decode(WireReader r) {
        return new LbVipDump(Prefix.decode(r), PrefixMatcher.decode(r), r.u8(), r.u16());
    }
}
