package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.util.Objects;

/**
 * {@code lb_add_del_vip_v2} (50 bytes, VPP ≥ 23.02): add or delete a VIP, with
 * {@code src_ip_sticky}. Fields as {@link LbAddDelVip}, plus:
 *
 * @param pfx                 the VIP prefix
 * @param protocol            6, 17, or 255
 * @param port                0 = all-port VIP
 * @param encap               forwarding method
 * @param dscp                L3DSR only
 * @param type                NAT only
 * @param targetPort          NAT only
 * @param nodePort            never read by VPP
 * @param newFlowsTableLength power of 2, never 0; we send 1024 unless configured
 * @param srcIpSticky         hash on the source address only; fixed for the VIP's lifetime
 * @param isDel               delete instead of add
 */
public record LbAddDelVipV2(Prefix pfx, int protocol, int port, LbEncap encap, int dscp, LbSrvType type,
                            int targetPort, int nodePort, int newFlowsTableLength, boolean srcIpSticky,
                            boolean isDel) {
    public LbAddDelVipV2 {
        Objects.requireNonNull(pfx, "pfx");
        Objects.requireNonNull(encap, "encap");
        Objects.requireNonNull(type, "type");
    }

    static void encode(LbAddDelVipV2 m, WireWriter w) {
        Prefix.encode(m.pfx, w);
        w.u8(m.protocol).u16(m.port).u32(m.encap.wire()).u8(m.dscp).u32(m.type.wire())
                .u16(m.targetPort).u16(m.nodePort).u32(m.newFlowsTableLength).bool(m.srcIpSticky).bool(m.isDel);
    }

    static LbAddDelVipV2 decode(WireReader r) {
        return new LbAddDelVipV2(Prefix.decode(r), r.u8(), r.u16(), LbEncap.ofWire(r.u32()), r.u8(),
                LbSrvType.ofWire(r.u32()), r.u16(), r.u16(), r.u32(), r.bool(), r.bool());
    }
}
