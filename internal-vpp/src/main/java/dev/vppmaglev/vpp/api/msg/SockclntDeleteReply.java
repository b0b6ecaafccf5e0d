package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code sockclnt_delete_reply}. Not an {@link ApiReply}: success is {@code response == 1}
 * (vpp-wire.md §1.8, golden observation 3), -1 when the index was not a live registration.
 *
 * @param response 1 = deleted
 */
public record SockclntDeleteReply(int response) {
    static void encode(SockclntDeleteReply m, WireWriter w) {
        w.u32(m.response);
    }

    static SockclntDeleteReply decode(WireReader r) {
        return new SockclntDeleteReply(r.u32());
    }
}
