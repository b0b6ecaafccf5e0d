package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.net.InetAddress;
import java.util.Objects;

/**
 * {@code lb_as_set_weight} (50 bytes, lb 1.2.0): change an in-use AS's weight and rebuild the
 * VIP's new-flow table. Weight 0 drains gracefully; with {@code isFlush} the AS's sticky flows
 * are evicted too (vpp-wire.md §5.2).
 *
 * @param pfx       VIP prefix
 * @param protocol  VIP protocol
 * @param port      VIP port
 * @param asAddress the application server
 * @param weight    0..100 (u8)
 * @param isFlush   evict this AS's sticky flows
 */
public record LbAsSetWeight(Prefix pfx, int protocol, int port, InetAddress asAddress, int weight,
                            boolean isFlush) {
    public LbAsSetWeight {
        Objects.requireNonNull(pfx, "pfx");
        Objects.requireNonNull(asAddress, "asAddress");
    }

    static void encode(LbAsSetWeight m, WireWriter w) {
        Prefix.encode(m.pfx, w);
        w.u8(m.protocol).u16(m.port).address(m.asAddress).u8(m.weight).bool(m.isFlush);
    }

    static LbAsSetWeight decode(WireReader r) {
        return new LbAsSetWeight(Prefix.decode(r), r.u8(), r.u16(), r.address(), r.u8(), r.bool());
    }
}
