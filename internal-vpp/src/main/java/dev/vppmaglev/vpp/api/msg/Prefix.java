package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.VppProtocolException;
import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * {@code vl_api_prefix_t} / {@code vl_api_address_with_prefix_t} (VPP src/vnet/ip/ip_types.api):
 * an address and a prefix length, 18 bytes on the wire (address 17 + len u8). Lengths are the
 * plain IPv4 (0..32) or IPv6 (0..128) lengths; VPP's lb handlers add the internal +96 for IPv4
 * themselves (vpp-wire.md §3.6).
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

    /** VPP's text, e.g. {@code 192.0.2.1/32}, {@code 2001:db8::1/128}. */
    @Override
    public String toString() {
        return IpFormat.format(address) + "/" + len;
    }

    static void encode(Prefix p, WireWriter w) {
        w.address(p.address).u8(p.len);
    }

    static Prefix decode(WireReader r) {
        InetAddress a = r.address();
        int len = r.u8();
        try {
            return new Prefix(a, len);
        } catch (IllegalArgumentException e) {
            if (a instanceof Inet4Address && len >= 96) {
                throw new VppProtocolException("IPv4 prefix " + IpFormat.format(a) + " with ip46 length " + len
                        + ": this VPP has the pre-26.10 lb handlers (lb 1.1.0), whose answers use 96 + len and are"
                        + " not supported", e);
            }
            throw new VppProtocolException(e.getMessage(), e);
        }
    }
}
