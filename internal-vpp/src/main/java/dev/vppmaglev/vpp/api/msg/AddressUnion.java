package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * {@code vl_api_address_union_t} without its family: 16 raw bytes, an IPv4 address in the first
 * 4 (VPP src/vnet/ip/ip_types.api). Used where the family is implied elsewhere, e.g. the next hop
 * of a {@code fib_path}.
 *
 * @param hi bytes 0..7, big-endian
 * @param lo bytes 8..15, big-endian
 */
public record AddressUnion(long hi, long lo) {
    /** All zero. */
    public static final AddressUnion ZERO = new AddressUnion(0, 0);

    /** The union holding {@code a} (IPv4 in the first 4 bytes, the rest zero). */
    public static AddressUnion of(InetAddress a) {
        byte[] b = new byte[16];
        byte[] src = a.getAddress();
        System.arraycopy(src, 0, b, 0, src.length);
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new AddressUnion(bb.getLong(), bb.getLong());
    }

    /** The 16 bytes. */
    public byte[] bytes() {
        return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
    }

    /** The first 4 bytes as IPv4. */
    public Inet4Address ip4() {
        try {
            return (Inet4Address) InetAddress.getByAddress(java.util.Arrays.copyOf(bytes(), 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** All 16 bytes as IPv6. */
    public Inet6Address ip6() {
        try {
            return Inet6Address.getByAddress(null, bytes(), -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static void encode(AddressUnion u, WireWriter w) {
        w.u64(u.hi).u64(u.lo);
    }

    static AddressUnion decode(WireReader r) {
        return new AddressUnion(r.u64(), r.u64());
    }
}
