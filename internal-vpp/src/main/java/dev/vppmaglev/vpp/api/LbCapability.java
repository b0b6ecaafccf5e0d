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
 * <p>A VPP without {@code lb_conf_get} also has the old lb handlers ({@link #oldHandlers()}):
 * {@code lb_conf_get} and the handler fixes came in one commit (db44addb, vpp-wire.md §3.6), so
 * every VPP up to 26.06 reads VIP prefixes as ip46 lengths and the encap without byte swapping,
 * and answers with ip46 lengths, protocol 0 and internal VIP types. {@link LbApi} speaks that
 * dialect ({@link dev.vppmaglev.vpp.api.msg.OldLbHandlers}) and recovers what the answers lose
 * from {@code show lb vips verbose}.
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
     * Whether a VPP with message table {@code table} has the pre-26.10 lb handlers: the one rule
     * for it, the absence of {@code lb_conf_get_51077d14}.
     */
    public static boolean oldHandlers(MessageTable table) {
        return !table.contains(Messages.LB_CONF_GET);
    }

    /** Whether this VPP has the pre-26.10 lb handlers ({@link #oldHandlers(MessageTable)}). */
    public boolean oldHandlers() {
        return missing.contains(Messages.LB_CONF_GET.nameCrc());
    }

    /**
     * Empty when supported; otherwise an operator-facing sentence naming the missing messages and
     * exactly what works and what does not in degraded mode.
     */
    public String degradedReason() {
        if (v2Supported) {
            return "";
        }
        String weights = "weights 1-100 all mean 'in', weight 0 deletes the AS without flush, flush deletes it "
                + "with flush";
        if (!oldHandlers()) {
            return "VPP lacks " + String.join(", ", missing) + " (lb plugin API older than 1.2.0 / VPP 26.10): "
                    + "degraded mode on the v1 lb messages: " + weights;
        }
        return "VPP lacks " + String.join(", ", missing) + " (lb plugin API 1.1.0, VPP 26.06 or older, with the "
                + "old lb handlers): degraded mode. Works: VIPs of every encap (IPv4 prefixes sent in VPP's ip46 "
                + "form, the encap in little-endian host order), adding and deleting ASes, flushes, reading the lb "
                + "table (VIP keys and protocols taken from 'show lb vips verbose', which must parse). "
                + "Does not work: AS weights (" + weights + "); reading the global lb settings back (no "
                + "lb_conf_get); a VIP without src_ip_sticky is not guaranteed one (the old handlers leave the flag "
                + "uninitialised)";
    }
}
