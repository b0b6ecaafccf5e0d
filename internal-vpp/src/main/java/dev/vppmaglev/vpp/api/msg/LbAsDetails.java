package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.net.InetAddress;

/**
 * {@code lb_as_details} (v1, 49 bytes): one application server of one VIP.
 *
 * @param vip        the VIP
 * @param appSrv     the AS address
 * @param flags      bit 0 = in use; 0 = deleted, waiting for garbage collection
 * @param inUseSince VPP uptime in seconds when the AS was deleted (0 if never)
 */
public record LbAsDetails(LbVip vip, InetAddress appSrv, int flags, int inUseSince) {
    static void encode(LbAsDetails m, WireWriter w) {
        LbVip.encode(m.vip, w);
        w.address(m.appSrv).u8(m.flags).u32(m.inUseSince);
    }

    static LbAsDetails decode(WireReader r) {
        return new LbAsDetails(LbVip.decode(r), r.address(), r.u8(), r.u32());
    }
}
