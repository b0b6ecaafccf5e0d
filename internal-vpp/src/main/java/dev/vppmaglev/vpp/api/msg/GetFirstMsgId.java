package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code get_first_msg_id}: the base id of a module's range. The name carries the C file CRC
 * (e.g. {@code lb_487dee0a}), not the JSON {@code vl_api_version} (vpp-wire.md §1.5). We resolve
 * ids from the message table instead; this exists for tests and diagnostics.
 *
 * @param name {@code <module>_<crc>}
 */
public record GetFirstMsgId(String name) {
    static void encode(GetFirstMsgId m, WireWriter w) {
        w.fixedString(m.name, 64);
    }

    static GetFirstMsgId decode(WireReader r) {
        return new GetFirstMsgId(r.fixedString(64));
    }
}
