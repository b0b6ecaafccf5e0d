package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.VppProtocolException;

/**
 * {@code lb_encap_type} (u32 on the wire; VPP src/plugins/lb/lb_types.api): how the lb plugin
 * forwards a VIP's packets to its application servers.
 */
public enum LbEncap {
    /** GRE over IPv4: application servers are IPv4. */
    GRE4(0, true),
    /** GRE over IPv6: application servers are IPv6. */
    GRE6(1, false),
    /** L3 direct server return (IPv4 VIPs only, DSCP marks the VIP). */
    L3DSR(2, true),
    /** NAT to IPv4 application servers (IPv4 VIPs only). */
    NAT4(3, true),
    /** NAT to IPv6 application servers (IPv6 VIPs only). */
    NAT6(4, false);

    private final int wire;
    private final boolean ip4Servers;

    LbEncap(int wire, boolean ip4Servers) {
        this.wire = wire;
        this.ip4Servers = ip4Servers;
    }

    /** The u32 value on the wire. */
    public int wire() {
        return wire;
    }

    /** Whether application servers of this encap must be IPv4 (else IPv6); VPP answers -97 otherwise. */
    public boolean ip4Servers() {
        return ip4Servers;
    }

    /** The CLI keyword, e.g. {@code gre4}. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @throws VppProtocolException for a value outside 0..4
     */
    public static LbEncap ofWire(int v) {
        for (LbEncap e : values()) {
            if (e.wire == v) {
                return e;
            }
        }
        throw new VppProtocolException("unknown lb_encap_type " + Integer.toUnsignedLong(v));
    }
}
