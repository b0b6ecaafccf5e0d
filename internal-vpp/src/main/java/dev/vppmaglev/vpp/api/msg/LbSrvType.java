package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.VppProtocolException;

/**
 * {@code lb_srv_type} (u32 on the wire; VPP src/plugins/lb/lb_types.api): the NAT service type.
 * Note VPP reads this field without byte swapping (vpp-wire.md §3.6, golden observation 13), so a
 * big-endian NODEPORT arrives as CLUSTERIP; the enum is what we put on the wire.
 */
public enum LbSrvType {
    CLUSTERIP(0),
    NODEPORT(1);

    private final int wire;

    LbSrvType(int wire) {
        this.wire = wire;
    }

    /** The u32 value on the wire. */
    public int wire() {
        return wire;
    }

    /**
     * @throws VppProtocolException for a value other than 0 or 1
     */
    public static LbSrvType ofWire(int v) {
        for (LbSrvType t : values()) {
            if (t.wire == v) {
                return t;
            }
        }
        throw new VppProtocolException("unknown lb_srv_type " + Integer.toUnsignedLong(v));
    }
}
