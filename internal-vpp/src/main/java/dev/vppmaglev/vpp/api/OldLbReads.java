package dev.vppmaglev.vpp.api;

import dev.vppmaglev.vpp.api.cli.CliAs;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.cli.ShowLbVipsParser;
import dev.vppmaglev.vpp.api.msg.LbAsDetails;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.LbVipDetails;
import dev.vppmaglev.vpp.api.msg.Prefix;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Reading the lb table of a VPP with the pre-26.10 lb handlers ({@link LbCapability#oldHandlers()};
 * {@code db44addb^:src/plugins/lb/api.c}, vpp-wire.md §3.6). Their answers lose what the
 * reconciler keys VIPs by:
 * <ul>
 *   <li>{@code lb_vip_details}: {@code protocol = (u8) htonl(p)}, 0 on every little-endian VPP;
 *       {@code encap = htonl(internal VIP type)} (0..6, not an {@code lb_encap_type}: an
 *       {@code ip6-gre6} VIP reads as GRE4, {@code ip6-nat6} as nothing);
 *       {@code flow_table_length = (u16) htonl(n)} (0 for 1024); removed VIPs are listed too.
 *       So the VIP list is read from {@code show lb vips verbose} alone, which has all of it
 *       right: type, pool index, prefix, protocol, port, removed, table size.</li>
 *   <li>{@code lb_as_details}: the VIP as above (ip46 prefix length, decoded by
 *       {@link LbVip}; protocol 0). Each one is matched to the text's AS line at the same
 *       position — both walk VPP's VIP pool, then each VIP's AS pool, in pool order — and takes
 *       the VIP key from the text. Position, not key, because a TCP and a UDP VIP on one prefix
 *       and port differ only in the protocol the details lost.</li>
 * </ul>
 * When the two answers disagree (VPP changed between them, or the text is not what these
 * handlers print) the read fails with {@link VppProtocolException} instead of guessing: the
 * reconciler retries on its next sync.
 *
 * <p>The text of these VPPs lists an AS as {@code <address> <n> buckets   <f> flows  dpo:<d>
 * used|" removed"} (no weights before 26.10); {@link #parseShowLbVipsVerbose} rewrites those
 * lines into the 26.10 form with {@code weight:100} (every AS of an old VPP has the same share,
 * as weight 100 does) so one parser reads both.
 */
public final class OldLbReads {
    private OldLbReads() {}

    private static final Pattern OLD_AS_LINE = Pattern.compile(
            "(?m)^    (\\S+) (\\d+) buckets   (\\d+) flows  dpo:(\\d+) (used| removed)$");

    /**
     * {@code show lb vips verbose} of a VPP older than 26.10 (lb.c {@code format_lb_vip_detailed}
     * before weights), parsed; text in the 26.10 form parses the same.
     *
     * @throws VppProtocolException naming the line that does not fit
     */
    public static List<CliVip> parseShowLbVipsVerbose(String text) {
        return List.copyOf(ShowLbVipsParser.parseVerbose(normalize(text)));
    }

    /**
     * The text with every pre-26.10 AS line rewritten into the 26.10 form ({@code weight:100});
     * text already in the 26.10 form is returned unchanged.
     */
    public static String normalize(String text) {
        return OLD_AS_LINE.matcher(text).replaceAll("    $1 weight:100 buckets:$2 flows:$3 dpo:$4 $5");
    }

    /**
     * The live VIPs as {@code lb_vip_dump} of a fixed VPP would list them, from the text: key,
     * encap from the VIP type, L3DSR dscp, NAT type and target port in the fixed handlers' raw
     * forms ({@link LbVipDetails}), table length as a u16.
     *
     * @throws VppProtocolException for a VIP type the text names but no encap fits
     */
    static List<LbVipDetails> vips(List<CliVip> cli) {
        List<LbVipDetails> out = new ArrayList<>(cli.size());
        for (CliVip c : cli) {
            if (c.removed()) {
                continue;
            }
            LbEncap encap;
            try {
                encap = c.encap();
            } catch (IllegalStateException e) {
                throw new VppProtocolException("show lb vips verbose: VIP [" + c.index() + "] " + c.prefix()
                        + " has type '" + c.type() + "', which is no lb encap", e);
            }
            int srvType = c.nat().map(n -> n.srvType().equals("nodeport") ? 1 << 24 : 0).orElse(0);
            int targetPort = c.nat().map(n -> swap16(n.targetPort())).orElse(0);
            out.add(new LbVipDetails(c.key(), encap, c.dscp().orElse(0), srvType, targetPort, c.newSize() & 0xffff));
        }
        return out;
    }

    /**
     * Every application server of {@code details} ({@code lb_as_dump}, all VIPs) with its VIP key
     * from the text's VIP at the same position; weights and buckets unknown.
     *
     * @throws VppProtocolException when the two lists do not line up
     */
    static List<AsEntry> ases(List<LbAsDetails> details, List<CliVip> cli) {
        List<AsEntry> out = new ArrayList<>(details.size());
        int i = 0;
        for (CliVip v : cli) {
            for (CliAs a : v.ases()) {
                if (i == details.size()) {
                    throw disagree("AS " + a.address().getHostAddress() + " of VIP [" + v.index() + "] " + v.key()
                            + " is in the text but not in lb_as_dump (" + details.size() + " details)");
                }
                LbAsDetails d = details.get(i++);
                boolean used = (d.flags() & 1) != 0;
                if (!sameVip(d.vip(), v) || !d.appSrv().equals(a.address()) || used != a.used()) {
                    throw disagree("lb_as_dump detail #" + i + " is " + d.vip().pfx() + " port " + d.vip().port()
                            + " AS " + d.appSrv().getHostAddress() + (used ? " used" : " removed")
                            + ", the text has VIP [" + v.index() + "] " + v.key() + " AS "
                            + a.address().getHostAddress() + (a.used() ? " used" : " removed") + " there");
                }
                out.add(new AsEntry(v.key(), d.appSrv(), used, d.inUseSince(), OptionalInt.empty(),
                        OptionalInt.empty()));
            }
        }
        if (i != details.size()) {
            throw disagree("lb_as_dump has " + details.size() + " details, the text " + i + " AS lines");
        }
        return out;
    }

    /**
     * Whether detail VIP {@code d} can be text VIP {@code v}: same port, the same prefix, and the
     * protocol byte 0 (what a little-endian VPP writes) or equal. One more reading of the prefix
     * is the same: an IPv4 address with a plain length {@code L} is the ip46 prefix
     * {@code ::a.b.c.d/L}, which the text prints as IPv6 (a VIP such a VPP made of an IPv4 VIP
     * sent with its plain length).
     */
    private static boolean sameVip(LbVip d, CliVip v) {
        if (d.port() != v.port() || (d.protocol() != 0 && d.protocol() != v.protocol())) {
            return false;
        }
        Prefix p = d.pfx();
        if (p.equals(v.prefix())) {
            return true;
        }
        return p.isIp4() && v.prefix().address() instanceof Inet6Address
                && Prefix.ofIp46(p.address(), p.len()).equals(v.prefix());
    }

    private static VppProtocolException disagree(String what) {
        return new VppProtocolException("reading the lb table of a VPP with the pre-26.10 lb handlers: " + what
                + "; lb_as_dump and 'show lb vips verbose' disagree (VPP changed between them, or its text is not "
                + "the expected format), so the VIP protocols cannot be recovered and the read is refused");
    }

    private static int swap16(int x) {
        return ((x & 0xff) << 8) | ((x >> 8) & 0xff);
    }
}
