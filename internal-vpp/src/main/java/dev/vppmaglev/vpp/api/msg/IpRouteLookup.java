package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code ip_route_lookup} (VPP src/vnet/ip/ip.api): find a FIB entry, e.g. a VIP's host route
 * to learn its {@code stats_index} for {@code /net/route/to}.
 *
 * @param tableId FIB table (0 = default)
 * @param exact   1 = exact prefix match, 0 = longest-prefix match (u8)
 * @param prefix  what to look up
 */
public record IpRouteLookup(int tableId, int exact, Prefix prefix) {
    static void encode(IpRouteLookup m, WireWriter w) {
        w.u32(m.tableId).u8(m.exact);
        Prefix.encode(m.prefix, w);
    }

    static IpRouteLookup decode(WireReader r) {
        return new IpRouteLookup(r.u32(), r.u8(), Prefix.decode(r));
    }
}
