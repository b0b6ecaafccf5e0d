package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code sockclnt_create_reply} (id 16): the client handle and the whole message table. Its
 * body starts with {@code client_index} (always 0) before {@code context} (vpp-wire.md §1.4).
 *
 * @param response     0 on success
 * @param index        the client handle, {@code 0x80000000 | registration index}; every later
 *                     request carries it as {@code client_index}
 * @param messageTable every registered message, in VPP's hash order
 */
public record SockclntCreateReply(int response, int index, List<MessageTableEntry> messageTable) {
    public SockclntCreateReply {
        messageTable = List.copyOf(messageTable);
    }

    static void encode(SockclntCreateReply m, WireWriter w) {
        w.u32(m.response).u32(m.index).u16(m.messageTable.size());
        for (MessageTableEntry e : m.messageTable) {
            MessageTableEntry.encode(e, w);
        }
    }

    static SockclntCreateReply decode(WireReader r) {
        int response = r.u32();
        int index = r.u32();
        int count = r.u16();
        List<MessageTableEntry> table = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            table.add(MessageTableEntry.decode(r));
        }
        return new SockclntCreateReply(response, index, table);
    }
}
