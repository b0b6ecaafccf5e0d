package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code vl_api_prefix_matcher_t}: {@code le}, {@code ge} (u8 each). Ignored by
 * {@code lb_vip_dump}.
 */
public record PrefixMatcher(int le, int ge) {
    /** Both zero. */
    public static final PrefixMatcher NONE = new PrefixMatcher(0, 0);

    static void encode(PrefixMatcher m, WireWriter w) {
        w.u8(m.le).u8(m.ge);
    }

    static PrefixMatcher decode(WireReader r) {
        return new PrefixMatcher(r.u8(), r.u8());
    }
}
