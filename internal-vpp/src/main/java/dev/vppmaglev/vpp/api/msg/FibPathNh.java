package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.util.Objects;

/**
 * {@code vl_api_fib_path_nh_t} (28 bytes): a path's next hop.
 *
 * @param address            next-hop address (family from the path's {@code proto})
 * @param viaLabel           MPLS label
 * @param objId              UDP-encap or other object id
 * @param classifyTableIndex classifier table
 */
public record FibPathNh(AddressUnion address, int viaLabel, int objId, int classifyTableIndex) {
    /** All zero. */
    public static final FibPathNh ZERO = new FibPathNh(AddressUnion.ZERO, 0, 0, 0);

    public FibPathNh {
        Objects.requireNonNull(address, "address");
    }

    static void encode(FibPathNh m, WireWriter w) {
        AddressUnion.encode(m.address, w);
        w.u32(m.viaLabel).u32(m.objId).u32(m.classifyTableIndex);
    }

    static FibPathNh decode(WireReader r) {
        return new FibPathNh(AddressUnion.decode(r), r.u32(), r.u32(), r.u32());
    }
}
