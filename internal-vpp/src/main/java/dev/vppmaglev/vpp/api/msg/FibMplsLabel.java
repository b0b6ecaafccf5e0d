package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/** {@code vl_api_fib_mpls_label_t} (7 bytes): is_uniform u8, label u32, ttl u8, exp u8. */
public record FibMplsLabel(int isUniform, int label, int ttl, int exp) {
    /** All zero. */
    public static final FibMplsLabel ZERO = new FibMplsLabel(0, 0, 0, 0);

    static void encode(FibMplsLabel m, WireWriter w) {
        w.u8(m.isUniform).u32(m.label).u8(m.ttl).u8(m.exp);
    }

    static FibMplsLabel decode(WireReader r) {
        return new FibMplsLabel(r.u8(), r.u32(), r.u8(), r.u8());
    }
}
