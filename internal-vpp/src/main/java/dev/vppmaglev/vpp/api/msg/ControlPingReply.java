package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code control_ping_reply}: liveness answer and the end marker of a dump.
 *
 * @param retval      always 0
 * @param clientIndex the request's {@code client_index}, echoed
 * @param vpePid      VPP's process id
 */
public record ControlPingReply(int retval, int clientIndex, int vpePid) implements ApiReply {
    static void encode(ControlPingReply m, WireWriter w) {
        w.u32(m.retval).u32(m.clientIndex).u32(m.vpePid);
    }

    static ControlPingReply decode(WireReader r) {
        return new ControlPingReply(r.u32(), r.u32(), r.u32());
    }
}
