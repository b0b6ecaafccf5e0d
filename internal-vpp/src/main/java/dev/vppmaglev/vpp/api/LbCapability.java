package dev.vppmaglev.vpp.api;

import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.wire.MessageTable;
import dev.vppmaglev.vpp.api.wire.MessageType;

import java.util.ArrayList;
import java.util.List;

/**
 * Which generation of the lb plugin API the running VPP offers. {@code v2Supported} needs all of
 * {@code lb_conf_get}, {@code lb_add_del_as_v2}, {@code lb_as_set_weight} and
 * {@code lb_as_v2_dump} by exact {@code name_crc} (lb 1.2.0, VPP ≥ 26.10; spec README "VPP
 * compatibility"). Without them maglevd runs degraded on the v1 messages.
 *
 * @param v2Supported whether every v2 message is present
 * @param missing     the absent {@code name_crc}s, empty when supported
 */
public record LbCapability(boolean v2Supported, List<String> missing) {
    public LbCapability {
        missing = List.copyOf(missing);
    }

    /** The capability of a VPP with message table {@code table}. */
    public static LbCapability of(MessageTable table) {
        List<String> missing = new ArrayList<>();
        for (MessageType<?> t : Messages.LB_V2_REQUIRED) {
            if (!table.contains(t)) {
                missing.add(t.nameCrc());
            }
        }
        return new LbCapability(missing.isEmpty(), missing);
    }

    /**
     * Empty when supported; otherwise an operator-facing sentence naming the missing messages and
     * what the degraded mode means.
     */
    public String degradedReason() {
        if (v2Supported) {
            return "";
        }
        return "VPP lacks " + String.join(", ", missing) + " (lb plugin API older than 1.2.0 / VPP 26.10): "
                + "degraded mode on the v1 lb messages: weights 1-100 all mean 'in', weight 0 deletes the AS "
                + "without flush, flush deletes it with flush";
    }
}
