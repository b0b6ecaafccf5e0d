package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.net.InetAddress;
import java.util.Objects;

/**
 * {@code lb_add_del_as} (v1, 50 bytes): add (at weight 100) or delete an application server.
 * The fallback when {@code lb_add_del_as_v2} is missing.
 *
 * @param pfx       VIP prefix
 * @param protocol  VIP protocol (255 when {@code port == 0})
 * @param port      VIP port
 * @param asAddress the application server
 * @param isDel     delete instead of add
 * @param isFlush   with delete: evict the AS's sticky flows now
 */
public record LbAddDelAs(Prefix pfx, int protocol, int port, InetAddress asAddress, boolean isDel,
                         boolean isFlush) {
    public LbAddDelAs {
        Objects.requireNonNull(pfx, "pfx");
        Objects.requireNonNull(asAddress, "asAddress");
    }

    static void encode(LbAddDelAs m, WireWriter w) {
        Prefix.encode(m.pfx, w);
        w.u8(m.protocol).u16(m.port).address(m.asAddress).bool(m.isDel).bool(m.isFlush);
    }

    static LbAddDelAs decode(WireReader r) {
        return new LbAddDelAs(Prefix.decode(r), r.u8(), r.u16(), r.address(), r.bool(), r.bool());
    }
}
