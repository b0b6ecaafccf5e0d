package dev.vppmaglev.vpp.api.cli;

import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.VppProtocolException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the text of {@code show lb} (VPP src/plugins/lb/lb.c {@code format_lb_main}; vpp-wire.md
 * §5.3; golden {@code cli/show-lb*.txt}):
 * <pre>
 * lb_main ip4-src-address: 192.0.2.254 
 *  ip6-src-address: 2001:db8::254 
 *  #vips: 5
 *  #ass: 5
 * </pre>
 * (each address is followed by a space), then per thread with a sticky table its timeout and
 * usage. Only the two addresses are read: the per-thread lines appear only once a worker has a
 * sticky table, so the bucket count and the timeout cannot be read reliably this way.
 */
public final class ShowLbParser {
    private static final Pattern IP4 = Pattern.compile("(?m)^lb_main ip4-src-address: (\\S+)\\s*$");
    private static final Pattern IP6 = Pattern.compile("(?m)^ ip6-src-address: (\\S+)\\s*$");

    private ShowLbParser() {}

    /**
     * @param text the whole command output (LF or CRLF)
     * @throws VppProtocolException when either address line is missing or holds no address of its
     *                              family
     */
    public static CliLbMain parse(String text) {
        String t = text.replace("\r\n", "\n");
        return new CliLbMain((Inet4Address) address(IP4, t, "ip4-src-address", Inet4Address.class),
                (Inet6Address) address(IP6, t, "ip6-src-address", Inet6Address.class));
    }

    private static InetAddress address(Pattern p, String text, String name, Class<? extends InetAddress> family) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new VppProtocolException("show lb: no '" + name + ": <address>' line in '" + firstLine(text) + "'");
        }
        InetAddress a;
        try {
            a = IpFormat.parse(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new VppProtocolException("show lb: " + name + " '" + m.group(1) + "' is not an address", e);
        }
        if (!family.isInstance(a)) {
            throw new VppProtocolException("show lb: " + name + " '" + m.group(1) + "' is of the other family");
        }
        return a;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
