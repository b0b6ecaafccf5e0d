package dev.vppmaglev.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Strict IP address literals for the config: dotted-quad IPv4 ({@code 192.0.2.1}) or IPv6
 * ({@code 2001:db8::1}). Never resolves names. Refuses what would surprise later: the BSD short
 * forms ({@code 10}, {@code 10.1}) and leading zeros (octal to some parsers, an error to Go's
 * {@code net.ParseIP}), prefixes ({@code /32}), zone ids ({@code %eth0}), brackets, and
 * IPv4-mapped IPv6 addresses (which Java turns into IPv4).
 */
final class IpLiteral {
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiteral() {}

    /**
     * Parses {@code text} as one IP address.
     *
     * @return an {@link Inet4Address} or an {@link Inet6Address}
     * @throws IllegalArgumentException with an operator-facing reason when it is not a literal
     */
    static InetAddress parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        if (t.indexOf('/') >= 0) {
            throw new IllegalArgumentException("\"" + t + "\" is a prefix; write a single address"
                    + " without /" + t.substring(t.indexOf('/') + 1));
        }
        if (t.indexOf(':') < 0) {
            if (!IPV4.matcher(t).matches()) {
                throw new IllegalArgumentException("\"" + t + "\" is not an IP address (names are"
                        + " not resolved; IPv4 is four decimal numbers 0..255 without leading"
                        + " zeros, e.g. 192.0.2.1)");
            }
            return Inet4Address.ofLiteral(t);
        }
        if (t.indexOf('%') >= 0) {
            throw new IllegalArgumentException("\"" + t + "\": zone ids (%...) are not allowed");
        }
        if (!IPV6_CHARS.matcher(t).matches()) {
            throw new IllegalArgumentException("\"" + t + "\" is not an IP address (IPv6 is"
                    + " written like 2001:db8::1, without brackets)");
        }
        InetAddress a;
        try {
            a = Inet6Address.ofLiteral(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + t + "\" is not a valid IPv6 address");
        }
        if (a instanceof Inet4Address v4) {
            throw new IllegalArgumentException("\"" + t + "\" is an IPv4-mapped IPv6 address;"
                    + " write the IPv4 address " + v4.getHostAddress());
        }
        return a;
    }

    /** {@code IPv4} or {@code IPv6}. */
    static String family(InetAddress a) {
        return a instanceof Inet4Address ? "IPv4" : "IPv6";
    }

    /** The address as operators write it ({@code 2001:db8::1}, not Java's long form). */
    static String format(InetAddress a) {
        return IpText.format(a);
    }
}
