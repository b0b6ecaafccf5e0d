package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.util.Objects;

/**
 * {@code lb_add_del_vip} (v1, 49 bytes): add or delete a VIP without {@code src_ip_sticky}.
 * The fallback when {@code lb_add_del_vip_v2} is missing.
 *
 * @param pfx                  the VIP prefix
 * @param protocol             6, 17, or 255 (VPP forces 255 when {@code port == 0})
 * @param port                 0 = all-port VIP
 * @param encap                forwarding method
 * @param dscp                 L3DSR only (VPP masks it to 6 bits)
 * @param type                 NAT only; see {@link LbSrvType} for VPP's byte-order quirk
 * @param targetPort           NAT only
 * @param nodePort             never read by VPP
 * @param newFlowsTableLength  Maglev new-flow table size, a power of 2; never 0 (VPP would try
 *                             to allocate 2^32 entries)
 * @param isDel                delete instead of add
 */
public record LbAddDelVip(Prefix pfx, int protocol, int port, LbEncap encap, int dscp, LbSrvType type,
                          int targetPort, int nodePort, int newFlowsTableLength, boolean isDel) {
    public LbAddDelVip {
        Objects.requireNonNull(pfx, "pfx");
        Objects.requireNonNull(encap, "encap");
        Objects.requireNonNull(type, "type");
    }

    static void encode(LbAddDelVip m, WireWriter w) {
        Prefix.encode(m.pfx, w);
        w.u8(m.protocol).u16(m.port).u32(m.encap.wire()).u8(m.dscp).u32(m.type.wire())
                .u16(m.targetPort).u16(m.nodePort).u32(m.newFlowsTableLength).bool(m.isDel);
    }

    static LbAddDelVip decode(WireReader r) {
        return new LbAddDelVip(Prefix.decode(r), r.u8(), r.u16(), LbEncap.ofWire(r.u32()), r.u8(),
                LbSrvType.ofWire(r.u32()), r.u16(), r.u16(), r.u32(), r.bool());
    }
}
