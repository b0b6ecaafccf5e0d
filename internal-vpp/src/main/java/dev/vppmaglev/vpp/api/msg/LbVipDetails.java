package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code lb_vip_details} (40 bytes): one VIP. It does not carry {@code src_ip_sticky} nor the
 * VIP's pool index (read {@code show lb vips verbose} for those). Several fields are raw because
 * VPP fills them in host order or from a union (vpp-wire.md §3.6, golden observation 12):
 *
 * @param vip             prefix (plain length), protocol (255 for all-port), port
 * @param encap           the VIP's encap, mapped back from its internal type
 * @param dscp            L3DSR: the DSCP; NAT: the srv_type byte; GRE: 0 or garbage
 * @param srvType         raw u32: L3DSR holds the dscp in its first wire byte
 *                        (dscp 10 reads 167772160)
 * @param targetPort      raw u16: byte-swapped for NAT VIPs (8080 reads 36895)
 * @param flowTableLength new-flow table size as a u16: 65536 reads 0
 */
public record LbVipDetails(LbVip vip, LbEncap encap, int dscp, int srvType, int targetPort,
                           int flowTableLength) {
    static void encode(LbVipDetails m, WireWriter w) {
        LbVip.encode(m.vip, w);
        w.u32(m.encap.wire()).u8(m.dscp).u32(m.srvType).u16(m.targetPort).u16(m.flowTableLength);
    }

    static LbVipDetails decode(WireReader r) {
        return new LbVipDetails(LbVip.decode(r), LbEncap.ofWire(r.u32()), r.u8(), r.u32(), r.u16(), r.u16());
    }
}
