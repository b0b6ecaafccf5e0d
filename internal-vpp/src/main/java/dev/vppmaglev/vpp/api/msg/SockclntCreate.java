package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code sockclnt_create} (VPP src/vlibmemory/memclnt.api): the handshake, always message id
 * 15; the only request without {@code client_index}.
 *
 * @param name client name shown by {@code show api clients}; at most 63 bytes
 */
public record SockclntCreate(String name) {
    static void encode(SockclntCreate m, WireWriter w) {
        w.fixedString(m.name, 64);
    }

    static SockclntCreate decode(WireReader r) {
        return new SockclntCreate(r.fixedString(64));
    }
}
