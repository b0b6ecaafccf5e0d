package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

/**
 * {@code vl_api_message_table_entry_t}: one id and its {@code name_crc} (66 bytes on the wire).
 *
 * @param index the message id (u16)
 * @param name  {@code <name>_<crc>}, e.g. {@code control_ping_51077d14}
 */
public record MessageTableEntry(int index, String name) {
    static void encode(MessageTableEntry e, WireWriter w) {
        w.u16(e.index).fixedString(e.name, 64);
    }

    static MessageTableEntry decode(WireReader r) {
        int index = r.u16();
        return new MessageTableEntry(index, r.fixedString(64));
    }
}
