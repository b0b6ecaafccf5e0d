package dev.vppmaglev.vpp.api.cli;

import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.Prefix;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One VIP block of {@code show lb vips verbose} (format: vpp-wire.md §5.3, golden observations
 * 20–25). The text is the only source of {@code src_ip_sticky} and of the VIP's pool index (the
 * column of the lb counters in the stats segment); {@code lb_vip_details} carries neither.
 *
 * @param type        VPP's VIP type, e.g. {@code ip4-gre4}, {@code ip6-nat6}
 * @param index       the VIP's pool index ("lb index")
 * @param prefix      the VIP prefix
 * @param srcIpSticky flows hash on the source address only
 * @param removed     deleted, waiting for garbage collection
 * @param newSize     new-flow table length
 * @param protocol    6, 17, or 255 for an all-port VIP (no {@code protocol:} line)
 * @param port        L4 port, 0 for an all-port VIP
 * @param dscp        L3DSR VIPs only
 * @param nat         NAT4/NAT6 VIPs only
 * @param counters    the four lb counters
 * @param ases        application servers in VPP's pool order
 */
public record CliVip(String type, int index, Prefix prefix, boolean srcIpSticky, boolean removed, int newSize,
                     int protocol, int port, OptionalInt dscp, Optional<CliNat> nat, CliVipCounters counters,
                     List<CliAs> ases) {
    public CliVip {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(dscp, "dscp");
        Objects.requireNonNull(nat, "nat");
        Objects.requireNonNull(counters, "counters");
        ases = List.copyOf(ases);
    }

    /** The key VPP matches this VIP by. */
    public LbVip key() {
        return new LbVip(prefix, protocol, port);
    }

    /**
     * The encap, from the VIP type's suffix ({@code ip4-gre6 -> GRE6}).
     *
     * @throws IllegalStateException for an unknown type name
     */
    public LbEncap encap() {
        int dash = type.indexOf('-');
        String suffix = dash < 0 ? type : type.substring(dash + 1);
        for (LbEncap e : LbEncap.values()) {
            if (e.keyword().equals(suffix)) {
                return e;
            }
        }
        throw new IllegalStateException("unknown VIP type " + type);
    }
}
