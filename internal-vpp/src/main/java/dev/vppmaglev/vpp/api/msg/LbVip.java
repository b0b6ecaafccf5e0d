package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A VIP key as the lb plugin matches it: prefix, IP protocol and L4 port
 * ({@code vl_api_lb_vip_t}, VPP src/plugins/lb/lb_types.api; 21 bytes). The same three fields
 * are the whole payload of {@code lb_flush_vip}, {@code lb_as_dump} and {@code lb_as_v2_dump}.
 *
 * <p>{@code port == 0} is an all-port VIP, for which VPP forces {@code protocol = 255}
 * (vpp-wire.md §3.6); {@link #of} applies that rule so keys compare equal to what the dumps
 * return.
 *
 * @param pfx      the VIP prefix
 * @param protocol IP protocol: 6 TCP, 17 UDP, 255 any (u8)
 * @param port     L4 port, 0 = every port (u16)
 */
public record LbVip(Prefix pfx, int protocol, int port) {
    /** Size on the wire in bytes. */
    public static final int WIRE_BYTES = 21;

    public LbVip {
        Objects.requireNonNull(pfx, "pfx");
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol out of u8 range: " + protocol);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of u16 range: " + port);
        }
    }

    /** The VIP key VPP stores: protocol 255 when {@code port == 0}. */
    public static LbVip of(Prefix pfx, int protocol, int port) {
        return new LbVip(pfx, port == 0 ? 255 : protocol, port);
    }

    /** A host-prefix VIP (/32 or /128), normalised like {@link #of(Prefix, int, int)}. */
    public static LbVip host(InetAddress address, int protocol, int port) {
        return of(Prefix.host(address), protocol, port);
    }

    /** The all-zero key: asks the AS dumps for every VIP (vpp-wire.md §3.6). */
    public static LbVip dumpAll() {
        return new LbVip(Prefix.zero(), 0, 0);
    }

    /** e.g. {@code 192.0.2.1/32 tcp 80}, {@code 192.0.2.3/32 any 0}. */
    @Override
    public String toString() {
        String proto = switch (protocol) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 255 -> "any";
            default -> "proto-" + protocol;
        };
        return pfx + " " + proto + " " + port;
    }

    static void encode(LbVip v, WireWriter w) {
        Prefix.encode(v.pfx, w);
        w.u8(v.protocol).u16(v.port);
    }

    /** Reads the prefix with {@link Prefix#ofIp46} when it is in the older handlers' ip46 form. */
    static LbVip decode(WireReader r) {
        Prefix p = Prefix.decodeVip(r);
        int proto = r.u8();
        int port = r.u16();
        return new LbVip(p, proto, port);
    }
}
