package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.net.InetAddress;

/**
 * {@code lb_as_v2_details} (54 bytes, lb 1.2.0): one application server with its weight and the
 * number of new-flow buckets it owns.
 *
 * @param vip        the VIP
 * @param appSrv     the AS address
 * @param flags      bit 0 = in use; 0 = deleted, waiting for garbage collection
 * @param inUseSince VPP uptime in seconds when the AS was deleted (0 if never)
 * @param weight     0..255 as stored (u8)
 * @param numBuckets Maglev buckets owned
 */
public record LbAsV2Details(LbVip vip, InetAddress appSrv, int flags, int inUseSince, int weight,
                            int numBuckets) {
    /** Whether the AS is in use (flag bit 0). */
    public boolean used() {
        return (flags & 1) != 0;
    }

    static void encode(LbAsV2Details m, WireWriter w) {
        LbVip.encode(m.vip, w);
        w.address(m.appSrv).u8(m.flags).u32(m.inUseSince).u8(m.weight).u32(m.numBuckets);
    }

    static LbAsV2Details decode(WireReader r) {
        return new LbAsV2Details(LbVip.decode(r), r.address(), r.u8(), r.u32(), r.u8(), r.u32());
    }
}
