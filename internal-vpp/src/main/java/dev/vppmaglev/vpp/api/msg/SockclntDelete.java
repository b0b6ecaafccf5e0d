package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code sockclnt_delete}: ends the registration; VPP replies then closes the socket.
 *
 * @param index the client handle to delete (our own)
 */
public record SockclntDelete(int index) {
    static void encode(SockclntDelete m, WireWriter w) {
        w.u32(m.index);
    }

    static SockclntDelete decode(WireReader r) {
        return new SockclntDelete(r.u32());
    }
}
