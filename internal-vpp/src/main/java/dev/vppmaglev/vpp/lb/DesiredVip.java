package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;

import java.util.List;
import java.util.Objects;

/**
 * What one frontend's VIP should be in VPP ({@code desiredVIP} of behaviour.md §5.3).
 *
 * @param frontend    the frontend's name
 * @param key         {@code vipKey}: host prefix (/32 or /128), protocol number (6, 17, 255), port
 *                    (protocol 255 when the port is 0, as VPP stores it)
 * @param encap       GRE4 when the backends are IPv4, GRE6 when they are IPv6
 * @param srcIpSticky {@code src-ip-sticky}: hash on the source address only
 * @param ases        the application servers in push order ({@link IpOrder}), one per address
 */
public record DesiredVip(String frontend, LbVip key, LbEncap encap, boolean srcIpSticky, List<DesiredAs> ases) {
    public DesiredVip {
        Objects.requireNonNull(frontend, "frontend");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(encap, "encap");
        ases = List.copyOf(ases);
    }

    /**
     * The {@code lb_add_del_vip_v2} arguments: encap, {@code src_ip_sticky} and a new-flows table
     * of 1024 buckets (never 0: behaviour.md §5.3, §12 item 5).
     */
    public VipSpec spec() {
        return VipSpec.of(key, encap).withSrcIpSticky(srcIpSticky);
    }
}
