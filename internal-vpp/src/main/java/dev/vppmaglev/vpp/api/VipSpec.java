package dev.vppmaglev.vpp.api;

import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbSrvType;
import dev.vppmaglev.vpp.api.msg.LbVip;

import java.util.Objects;

/**
 * Everything needed to create a VIP ({@code lb_add_del_vip_v2}).
 *
 * @param vip                 prefix, protocol, port
 * @param encap               forwarding method (GRE4 for IPv4 ASes, GRE6 for IPv6 ASes)
 * @param srcIpSticky         hash on the source address only; cannot change later
 * @param newFlowsTableLength Maglev table size, a power of 2 ≥ 1 (default 1024; never 0,
 *                            which makes VPP allocate 2^32 entries and die, behaviour.md §5.3)
 * @param dscp                L3DSR only, 0..63
 * @param srvType             NAT only
 * @param targetPort          NAT only, 0..65535
 */
public record VipSpec(LbVip vip, LbEncap encap, boolean srcIpSticky, int newFlowsTableLength, int dscp,
                      LbSrvType srvType, int targetPort) {
    /** VPP's default and ours: 1024 buckets. */
    public static final int DEFAULT_NEW_FLOWS_TABLE_LENGTH = 1024;

    public VipSpec {
        Objects.requireNonNull(vip, "vip");
        Objects.requireNonNull(encap, "encap");
        Objects.requireNonNull(srvType, "srvType");
        if (newFlowsTableLength < 1 || Integer.bitCount(newFlowsTableLength) != 1) {
            throw new IllegalArgumentException("new flows table length must be a power of 2 >= 1, is "
                    + newFlowsTableLength);
        }
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("dscp must be 0..63, is " + dscp);
        }
        if (targetPort < 0 || targetPort > 65535) {
            throw new IllegalArgumentException("target port must be 0..65535, is " + targetPort);
        }
    }

    /** A VIP with {@code encap}, 1024 buckets, not sticky. */
    public static VipSpec of(LbVip vip, LbEncap encap) {
        return new VipSpec(vip, encap, false, DEFAULT_NEW_FLOWS_TABLE_LENGTH, 0, LbSrvType.CLUSTERIP, 0);
    }

    public VipSpec withSrcIpSticky(boolean sticky) {
        return new VipSpec(vip, encap, sticky, newFlowsTableLength, dscp, srvType, targetPort);
    }

    public VipSpec withNewFlowsTableLength(int length) {
        return new VipSpec(vip, encap, srcIpSticky, length, dscp, srvType, targetPort);
    }
}
