package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.net.InetAddress;
import java.util.Objects;

/**
 * {@code lb_add_del_as_v2} (51 bytes, lb 1.2.0 / VPP ≥ 26.10): add an application server with a
 * weight, or delete one. VPP does not range-check the weight (the CLI does, 0..100).
 *
 * @param pfx       VIP prefix
 * @param protocol  VIP protocol (255 when {@code port == 0})
 * @param port      VIP port
 * @param asAddress the application server (must match the encap's family, else -97)
 * @param weight    0..100 (u8; VPP's default 100 is client-side only, always sent)
 * @param isDel     delete instead of add
 * @param isFlush   evict the AS's sticky flows (on delete, or on re-adding a removed AS)
 */
public record LbAddDelAsV2(Prefix pfx, int protocol, int port, InetAddress asAddress, int weight,
                           boolean isDel, boolean isFlush) {
    public LbAddDelAsV2 {
        Objects.requireNonNull(pfx, "pfx");
        Objects.requireNonNull(asAddress, "asAddress");
    }

    static void encode(LbAddDelAsV2 m, WireWriter w) {
        Prefix.encode(m.pfx, w);
        w.u8(m.protocol).u16(m.port).address(m.asAddress).u8(m.weight).bool(m.isDel).bool(m.isFlush);
    }

    static LbAddDelAsV2 decode(WireReader r) {
        return new LbAddDelAsV2(Prefix.decode(r), r.u8(), r.u16(), r.address(), r.u8(), r.bool(), r.bool());
    }
}
