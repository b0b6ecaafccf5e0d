package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code vl_api_fib_path_t} (167 bytes, vpp-wire.md §3.2). Enum fields are kept as their raw u32
 * values.
 *
 * @param swIfIndex  interface, ~0 for none
 * @param tableId    next-hop table
 * @param rpfId      written by VPP in host order (read it as opaque)
 * @param weight     UCMP weight (u8)
 * @param preference lower is preferred (u8)
 * @param type       {@code fib_path_type}: 0 NORMAL, 1 LOCAL, 2 DROP, ...
 * @param flags      {@code fib_path_flags}
 * @param proto      {@code fib_path_nh_proto}: 0 IP4, 1 IP6, 2 MPLS, 3 ETHERNET, 4 BIER
 * @param nh         next hop
 * @param nLabels    labels in use
 * @param labelStack exactly 16 labels
 */
public record FibPath(int swIfIndex, int tableId, int rpfId, int weight, int preference, int type, int flags,
                      int proto, FibPathNh nh, int nLabels, List<FibMplsLabel> labelStack) {
    /** Labels in {@link #labelStack()}. */
    public static final int LABEL_STACK = 16;

    public FibPath {
        Objects.requireNonNull(nh, "nh");
        labelStack = List.copyOf(labelStack);
        if (labelStack.size() != LABEL_STACK) {
            throw new IllegalArgumentException("label_stack needs " + LABEL_STACK + " entries, has " + labelStack.size());
        }
    }

    /** 16 zero labels. */
    public static List<FibMplsLabel> emptyLabelStack() {
        return java.util.Collections.nCopies(LABEL_STACK, FibMplsLabel.ZERO);
    }

    static void encode(FibPath m, WireWriter w) {
        w.u32(m.swIfIndex).u32(m.tableId).u32(m.rpfId).u8(m.weight).u8(m.preference).u32(m.type).u32(m.flags)
                .u32(m.proto);
        FibPathNh.encode(m.nh, w);
        w.u8(m.nLabels);
        for (FibMplsLabel l : m.labelStack) {
            FibMplsLabel.encode(l, w);
        }
    }

    static FibPath decode(WireReader r) {
        int swIfIndex = r.u32();
        int tableId = r.u32();
        int rpfId = r.u32();
        int weight = r.u8();
        int preference = r.u8();
        int type = r.u32();
        int flags = r.u32();
        int proto = r.u32();
        FibPathNh nh = FibPathNh.decode(r);
        int nLabels = r.u8();
        List<FibMplsLabel> labels = new ArrayList<>(LABEL_STACK);
        for (int i = 0; i < LABEL_STACK; i++) {
            labels.add(FibMplsLabel.decode(r));
        }
        return new FibPath(swIfIndex, tableId, rpfId, weight, preference, type, flags, proto, nh, nLabels, labels);
    }
}
