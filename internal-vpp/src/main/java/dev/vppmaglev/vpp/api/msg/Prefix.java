package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.VppProtocolException;
import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * {@code vl_api_prefix_t} / {@code vl_api_address_with_prefix_t} (VPP src/vnet/ip/ip_types.api):
 * an address and a prefix length, 18 bytes on the wire (address 17 + len u8). Lengths are the
 * plain IPv4 (0..32) or IPv6 (0..128) lengths; VPP's lb handlers of 26.10 and later add the
 * internal +96 for IPv4 themselves (vpp-wire.md §3.6). The older handlers take and report VIP
 * prefixes in VPP's internal ip46 form instead: {@link #ip46()} and {@link #ofIp46} convert.
 *
 * @param address the address (host bits are kept as given)
 * @param len     prefix length in bits
 */
public record Prefix(InetAddress address, int len) {
    /** Size on the wire in bytes. */
    public static final int WIRE_BYTES = 18;

    public Prefix {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (len < 0 || len > max) {
            throw new IllegalArgumentException("prefix length " + len + " out of 0.." + max + " for "
                    + IpFormat.format(address));
        }
    }

    /** The host prefix of {@code address}: /32 or /128. */
    public static Prefix host(InetAddress address) {
        return new Prefix(address, address instanceof Inet4Address ? 32 : 128);
    }

    /**
     * Parses {@code a.b.c.d/len}, {@code x::y/len}, or an address alone (host prefix).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return host(IpFormat.parse(text));
        }
        InetAddress a = IpFormat.parse(text.substring(0, slash));
        try {
            return new Prefix(a, Integer.parseInt(text.substring(slash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'", e);
        }
    }

    /** The all-zero IPv4 prefix 0.0.0.0/0 (used as "no filter" by the lb dumps). */
    public static Prefix zero() {
        try {
            return new Prefix(InetAddress.getByAddress(new byte[4]), 0);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the address is IPv4. */
    public boolean isIp4() {
        return address instanceof Inet4Address;
    }

    /** Whether this is a host prefix (/32 or /128). */
    public boolean isHost() {
        return len == (isIp4() ? 32 : 128);
    }

    /**
     * This prefix as VPP stores it internally ({@code ip46_address_t} with an ip46 length,
     * src/vnet/ip/ip46_address.h), written as an IPv6 prefix: an IPv4 prefix {@code a.b.c.d/len}
     * becomes {@code ::a.b.c.d/(96 + len)}; an IPv6 prefix stays as it is. The pre-26.10 lb
     * handlers take VIP prefixes in this form ({@link OldLbHandlers}).
     */
    public Prefix ip46() {
        if (!isIp4()) {
            return this;
        }
        byte[] b = new byte[16];
        System.arraycopy(address.getAddress(), 0, b, 12, 4);
        try {
            return new Prefix(Inet6Address.getByAddress(null, b, -1), len + 96);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes always make an address
        }
    }

    /**
     * The plain prefix of VPP's internal ip46 prefix {@code (address, ip46Len)} as the pre-26.10 lb
     * handlers put it on the wire ({@code ip_address_encode} makes an IPv4 address of an ip46 whose
     * first 12 bytes are zero; the length is not converted). An ip46 prefix with that IPv4 form
     * and a length of at least 96 is the IPv4 prefix of {@code ip46Len - 96} bits (VPP's
     * {@code ip46_prefix_is_ip4}); anything else is an IPv6 prefix, also {@code ::a.b.c.d/32},
     * which is what such a VPP made of an IPv4 VIP sent with its plain length.
     *
     * @throws VppProtocolException when {@code ip46Len} is above 128
     */
    public static Prefix ofIp46(InetAddress address, int ip46Len) {
        if (ip46Len < 0 || ip46Len > 128) {
            throw new VppProtocolException("ip46 prefix length " + ip46Len + " out of 0..128 for "
                    + IpFormat.format(address));
        }
        byte[] b = new byte[16];
        byte[] a = address.getAddress();
        System.arraycopy(a, 0, b, 16 - a.length, a.length);
        boolean ip4Form = true;
        for (int i = 0; i < 12; i++) {
            ip4Form &= b[i] == 0;
        }
        try {
            if (ip4Form && ip46Len >= 96) {
                return new Prefix(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)), ip46Len - 96);
            }
            return new Prefix(Inet6Address.getByAddress(null, b, -1), ip46Len);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes always make an address
        }
    }

    /** VPP's text, e.g. {@code 192.0.2.1/32}, {@code 2001:db8::1/128}. */
    @Override
    public String toString() {
        return IpFormat.format(address) + "/" + len;
    }

    static void encode(Prefix p, WireWriter w) {
        w.address(p.address).u8(p.len);
    }

    /**
     * A VIP prefix ({@code vl_api_lb_vip_t.pfx}): plain as the 26.10 handlers send it, or in ip46
     * form as the older ones do. An IPv4 address with a length above 32 can only be the latter
     * and is converted with {@link #ofIp46}; an IPv4 VIP of an older VPP therefore reads as its
     * plain prefix whichever handlers sent it.
     */
    static Prefix decodeVip(WireReader r) {
        InetAddress a = r.address();
        int len = r.u8();
        if (a instanceof Inet4Address && len > 32) {
            return ofIp46(a, len);
        }
        return checked(a, len);
    }

    static Prefix decode(WireReader r) {
        return checked(r.address(), r.u8());
    }

    private static Prefix checked(InetAddress a, int len) {
        try {
            return new Prefix(a, len);
        } catch (IllegalArgumentException e) {
            throw new VppProtocolException(e.getMessage(), e);
        }
    }
}
