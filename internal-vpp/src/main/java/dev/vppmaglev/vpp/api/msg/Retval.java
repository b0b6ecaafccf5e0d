package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * A reply that carries only {@code retval} ({@code {context, retval}}, CRC e8d4e804): the lb
 * plugin's autoreplies and {@code memclnt_keepalive_reply}.
 *
 * @param retval 0 on success, else a negative {@code vnet_api_error_t}
 */
public record Retval(int retval) implements ApiReply {
    /** Success. */
    public static final Retval OK = new Retval(0);

    static void encode(Retval m, WireWriter w) {
        w.u32(m.retval);
    }

    static Retval decode(WireReader r) {
        return new Retval(r.u32());
    }
}
