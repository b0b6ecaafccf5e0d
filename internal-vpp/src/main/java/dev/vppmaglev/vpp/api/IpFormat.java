package dev.vppmaglev.vpp.api;

import dev.vppmaglev.config.IpText;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address text exactly as VPP prints it ({@code format_ip4_address},
 * {@code format_ip6_address} in VPP src/vnet/ip/format.c): dotted quad for IPv4; for IPv6
 * lower-case hex groups without leading zeros, the longest run of two or more zero groups
 * (the first one on a tie) shown as {@code ::}. Java's {@link InetAddress#getHostAddress()}
 * does not compress, so every VPP-facing text goes through here.
 */
public final class IpFormat {
    private IpFormat() {}

    /** VPP's text for {@code a} (the same rule as {@link IpText#format}). */
    public static String format(InetAddress a) {
        return IpText.format(a);
    }

    /**
     * Parses an IP literal (IPv4 dotted quad or IPv6 text) without any name lookup.
     *
     * @throws IllegalArgumentException when {@code text} is not an IP literal
     */
    public static InetAddress parse(String text) {
        String t = text.strip();
        boolean v6 = t.indexOf(':') >= 0;
        boolean v4 = !v6 && t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!v4 && !(v6 && t.matches("[0-9A-Fa-f:.]+"))) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            InetAddress a = InetAddress.getByName(t); // literal: no lookup
            if (v6 && a instanceof Inet4Address) {
                // ::ffff:a.b.c.d is an IPv6 address to VPP; keep it one.
                return Inet6Address.getByAddress(null, toMapped(a.getAddress()), -1);
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }

    private static byte[] toMapped(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }
}
