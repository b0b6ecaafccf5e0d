package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.util.Objects;

/**
 * {@code ip_route_lookup_reply}: on a miss VPP answers -6 with an all-zero route and no paths
 * (37-byte body, golden observation 18).
 *
 * @param retval 0, -3 (no such table) or -6 (no match)
 * @param route  the entry found
 */
public record IpRouteLookupReply(int retval, IpRoute route) implements ApiReply {
    public IpRouteLookupReply {
        Objects.requireNonNull(route, "route");
    }

    static void encode(IpRouteLookupReply m, WireWriter w) {
        w.u32(m.retval);
        IpRoute.encode(m.route, w);
    }

    static IpRouteLookupReply decode(WireReader r) {
        return new IpRouteLookupReply(r.u32(), IpRoute.decode(r));
    }
}
