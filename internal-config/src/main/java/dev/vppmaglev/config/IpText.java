package dev.vppmaglev.config;

import java.net.InetAddress;

/**
 * IP addresses as operators write them and as VPP prints them ({@code format_ip4_address} /
 * {@code format_ip6_address}, VPP src/vnet/ip/format.c): dotted quad for IPv4; for IPv6 lower-case
 * hex groups without leading zeros, the longest run of two or more zero groups (the first on a
 * tie) written {@code ::} (RFC 5952). Java's {@link InetAddress#getHostAddress()} does not
 * compress ({@code 2001:db8:0:0:0:0:0:1}), so every address shown to an operator or compared with
 * VPP's text goes through here. The one place for this rule.
 */
public final class IpText {
    private IpText() {}

    /** The canonical text of {@code a}: {@code 192.0.2.1}, {@code 2001:db8::1}. */
    public static String format(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}
