package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code vl_api_ip_route_t}: a FIB entry.
 *
 * @param tableId    FIB table
 * @param statsIndex the entry's load-balance index = its column in the stats segment's
 *                   {@code /net/route/to} (vpp-wire.md §4.8)
 * @param prefix     the entry's prefix
 * @param paths      its paths (count sent as {@code n_paths} u8)
 */
public record IpRoute(int tableId, int statsIndex, Prefix prefix, List<FibPath> paths) {
    public IpRoute {
        Objects.requireNonNull(prefix, "prefix");
        paths = List.copyOf(paths);
        if (paths.size() > 255) {
            throw new IllegalArgumentException("at most 255 paths fit n_paths (u8)");
        }
    }

    static void encode(IpRoute m, WireWriter w) {
        w.u32(m.tableId).u32(m.statsIndex);
        Prefix.encode(m.prefix, w);
        w.u8(m.paths.size());
        for (FibPath p : m.paths) {
            FibPath.encode(p, w);
        }
    }

    static IpRoute decode(WireReader r) {
        int tableId = r.u32();
        int statsIndex = r.u32();
        Prefix prefix = Prefix.decode(r);
        int n = r.u8();
        List<FibPath> paths = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            paths.add(FibPath.decode(r));
        }
        return new IpRoute(tableId, statsIndex, prefix, paths);
    }
}
