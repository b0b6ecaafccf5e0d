package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code get_first_msg_id_reply}.
 *
 * @param retval     0, or -7 for an unknown module name
 * @param firstMsgId the module's first id (u16), 0xffff when unknown
 */
public record GetFirstMsgIdReply(int retval, int firstMsgId) implements ApiReply {
    static void encode(GetFirstMsgIdReply m, WireWriter w) {
        w.u32(m.retval).u16(m.firstMsgId);
    }

    static GetFirstMsgIdReply decode(WireReader r) {
        return new GetFirstMsgIdReply(r.u32(), r.u16());
    }
}
