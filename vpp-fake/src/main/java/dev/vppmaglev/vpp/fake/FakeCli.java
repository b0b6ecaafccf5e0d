package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.msg.Prefix;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The debug-CLI commands of the lb plugin that {@code cli_inband} reaches (VPP
 * src/plugins/lb/cli.c, lb 1.2.0): {@code show lb}, {@code show lb vips [verbose]},
 * {@code lb vip ...}, {@code lb as ...} (with {@code weight}), {@code lb conf ...}. Output and
 * error texts as the golden captures show (golden observations 19–26): errors come back as
 * {@code "<command>: <message>\n"} with retval -1; unparsed input after {@code show lb} gives
 * {@code unknown input `...'}.
 */
final class FakeCli {
    /** A command's result: VPP's retval and the reply text. */
    record Result(int retval, String text) {
        static Result ok(String text) {
            return new Result(0, text);
        }

        static Result error(String text) {
            return new Result(-1, text.endsWith("\n") ? text : text + "\n");
        }
    }

    private final FakeLbPlugin lb;

    FakeCli(FakeLbPlugin lb) {
        this.lb = lb;
    }

    Result execute(String line) {
        List<String> w = new ArrayList<>(List.of(line.strip().split("\\s+")));
        if (line.isBlank()) {
            return Result.ok("");
        }
        if (w.size() >= 2 && w.get(0).equals("show") && w.get(1).equals("lb")) {
            if (w.size() >= 3 && w.get(2).equals("vips")) {
                boolean verbose = w.size() >= 4 && w.get(3).equals("verbose");
                return Result.ok(lb.showVips(verbose));
            }
            String out = lb.showLb();
            if (w.size() > 2) {
                return new Result(-1, out + "unknown input `" + String.join(" ", w.subList(2, w.size())) + "'\n");
            }
            return Result.ok(out);
        }
        if (w.size() >= 2 && w.get(0).equals("lb")) {
            List<String> args = w.subList(2, w.size());
            try {
                return switch (w.get(1)) {
                    case "vip" -> vip(args);
                    case "as" -> as(args);
                    case "conf" -> conf(args);
                    default -> Result.error("unknown input `" + line.strip() + "'");
                };
            } catch (CliError e) {
                return Result.error("lb " + w.get(1) + ": " + e.getMessage());
            }
        }
        return Result.error("unknown input `" + line.strip() + "'");
    }

    private static final class CliError extends RuntimeException {
        CliError(String message) {
            super(message);
        }
    }

    /** The IP protocol named at {@code a[i]} ({@code tcp} or {@code udp}, as VPP's lb CLI takes). */
    private static int protocol(List<String> a, int i) {
        String proto = i < a.size() ? a.get(i) : "";
        return switch (proto) {
            case "tcp" -> 6;
            case "udp" -> 17;
            default -> throw new CliError("parse error: 'protocol " + proto + "'");
        };
    }

    private static int number(List<String> a, int i) {
        if (i >= a.size()) {
            throw new CliError("parse error: '" + String.join(" ", a.subList(i - 1, a.size())) + "'");
        }
        try {
            return Integer.parseInt(a.get(i));
        } catch (NumberFormatException e) {
            throw new CliError("parse error: '" + String.join(" ", a.subList(i - 1, a.size())) + "'");
        }
    }

    private static Prefix prefix(List<String> a, String what) {
        if (a.isEmpty()) {
            throw new CliError("invalid " + what + ": ''");
        }
        try {
            return Prefix.parse(a.get(0));
        } catch (IllegalArgumentException e) {
            throw new CliError("invalid " + what + ": '" + String.join(" ", a) + "'");
        }
    }

    private static Ip46 ip46(Prefix p) {
        return Ip46.of(p.address());
    }

    private static int plen(Prefix p) {
        return p.len() + (p.isIp4() ? 96 : 0);
    }

    /** {@code lb vip <prefix> [protocol tcp|udp port n] [encap e] [dscp n] [type t target_port n] [new_len n] [src_ip_sticky] [del]}. */
    private Result vip(List<String> a) {
        Prefix p = prefix(a, "vip prefix");
        int protocol = 255;
        int port = 0;
        int encap = 0;
        int dscp = -1;
        int srvType = 0;
        int targetPort = 0;
        int newLen = 1024;
        boolean sticky = false;
        boolean del = false;
        for (int i = 1; i < a.size(); i++) {
            String t = a.get(i);
            switch (t) {
                case "new_len" -> newLen = number(a, ++i);
                case "del" -> del = true;
                case "src_ip_sticky" -> sticky = true;
                case "protocol" -> protocol = protocol(a, ++i);
                case "port" -> port = number(a, ++i);
                case "encap" -> {
                    String e = i + 1 < a.size() ? a.get(++i) : "";
                    encap = switch (e) {
                        case "gre4" -> 0;
                        case "gre6" -> 1;
                        case "l3dsr" -> 2;
                        case "nat4" -> 3;
                        case "nat6" -> 4;
                        default -> throw new CliError("parse error: 'encap " + e + "'");
                    };
                }
                case "dscp" -> dscp = number(a, ++i);
                case "type" -> {
                    String s = i + 1 < a.size() ? a.get(++i) : "";
                    srvType = switch (s) {
                        case "clusterip" -> 0;
                        case "nodeport" -> 1;
                        default -> throw new CliError("parse error: 'type " + s + "'");
                    };
                }
                case "target_port" -> targetPort = number(a, ++i);
                default -> throw new CliError("parse error: '" + String.join(" ", a.subList(i, a.size())) + "'");
            }
        }
        if (port == 0) {
            protocol = 255;
        }
        if (encap != 2 && dscp != -1) {
            throw new CliError("lb_vip_add error: should not configure dscp for none L3DSR.");
        }
        if (encap == 2 && dscp >= 64) {
            throw new CliError("lb_vip_add error: dscp for L3DSR should be less than 64.");
        }
        VipType type;
        if (p.isIp4()) {
            type = switch (encap) {
                case 0 -> VipType.IP4_GRE4;
                case 1 -> VipType.IP4_GRE6;
                case 2 -> VipType.IP4_L3DSR;
                case 3 -> VipType.IP4_NAT4;
                default -> throw new CliError("currently does not support NAT46");
            };
        } else {
            type = switch (encap) {
                case 0 -> VipType.IP6_GRE4;
                case 1 -> VipType.IP6_GRE6;
                case 4 -> VipType.IP6_NAT6;
                case 3 -> throw new CliError("currently does not support NAT64");
                default -> VipType.IP6_GRE6;
            };
        }
        lb.collectGarbage();
        if (!del) {
            int byte0 = encap == 2 ? dscp & 0x3f : (encap >= 3 ? srvType : 0);
            FakeLbPlugin.Added r = lb.addVip(ip46(p), plen(p), protocol, port, type, newLen, sticky, byte0, targetPort);
            if (r.retval() != 0) {
                throw new CliError("lb_vip_add error " + r.retval());
            }
            return Result.ok("lb_vip_add ok " + r.index() + "\n");
        }
        int index = lb.findVip(ip46(p).mask(plen(p)), plen(p), protocol, port);
        if (index < 0) {
            throw new CliError("lb_vip_find_index error -6");
        }
        int rv = lb.delVip(index);
        if (rv != 0) {
            throw new CliError("lb_vip_del error " + rv);
        }
        return Result.ok("");
    }

    /** {@code lb as <vip-prefix> [protocol tcp|udp port n] [<address> ...] [weight 0-100] [del] [flush]}. */
    private Result as(List<String> a) {
        Prefix p = prefix(a, "as address");
        int protocol = 255;
        int port = 0;
        int weight = -1;
        boolean del = false;
        boolean flush = false;
        List<Ip46> addresses = new ArrayList<>();
        for (int i = 1; i < a.size(); i++) {
            String t = a.get(i);
            switch (t) {
                case "del" -> del = true;
                case "flush" -> flush = true;
                case "protocol" -> protocol = protocol(a, ++i);
                case "port" -> port = number(a, ++i);
                case "weight" -> weight = number(a, ++i);
                default -> {
                    try {
                        addresses.add(Ip46.of(IpFormat.parse(t)));
                    } catch (IllegalArgumentException e) {
                        throw new CliError("parse error: '" + String.join(" ", a.subList(i, a.size())) + "'");
                    }
                }
            }
        }
        if (weight != -1 && (weight < 0 || weight > 100)) {
            throw new CliError("weight must be between 0 and 100");
        }
        if (port == 0) {
            protocol = 255;
        }
        int vip = lb.findVip(ip46(p).mask(plen(p)), plen(p), protocol, port);
        if (vip < 0) {
            throw new CliError("lb_vip_find_index error -6");
        }
        if (addresses.isEmpty()) {
            throw new CliError("No AS address provided");
        }
        lb.collectGarbage();
        if (del) {
            int rv = lb.delAses(vip, addresses, flush);
            if (rv != 0) {
                throw new CliError("lb_vip_del_ass error " + rv);
            }
            return Result.ok("");
        }
        if (weight != -1) {
            // weight on an existing, in-use AS changes its weight (lb_vip_set_as_weight)
            List<Ip46> fresh = new ArrayList<>();
            for (Ip46 x : addresses) {
                if (lb.setWeight(vip, x, weight, flush) != 0) {
                    fresh.add(x);
                }
            }
            addresses = fresh;
            if (addresses.isEmpty()) {
                return Result.ok("");
            }
        }
        int rv = lb.addAses(vip, addresses, weight == -1 ? 100 : weight, flush);
        if (rv != 0) {
            throw new CliError("lb_vip_add_ass error " + rv);
        }
        return Result.ok("");
    }

    /** {@code lb conf [ip4-src-address a] [ip6-src-address a] [buckets n] [buckets-log2 n] [timeout s]}. */
    private Result conf(List<String> a) {
        Inet4Address ip4 = lb.ip4Src;
        Inet6Address ip6 = lb.ip6Src;
        int buckets = lb.stickyBucketsPerCore;
        int timeout = lb.flowTimeout;
        for (int i = 0; i < a.size(); i++) {
            String t = a.get(i);
            switch (t) {
                case "ip4-src-address", "ip6-src-address" -> {
                    InetAddress x;
                    try {
                        x = IpFormat.parse(i + 1 < a.size() ? a.get(++i) : "");
                    } catch (IllegalArgumentException e) {
                        throw new CliError("parse error: '" + String.join(" ", a.subList(i - 1, a.size())) + "'");
                    }
                    if (t.startsWith("ip4") && x instanceof Inet4Address v4) {
                        ip4 = v4;
                    } else if (t.startsWith("ip6") && x instanceof Inet6Address v6) {
                        ip6 = v6;
                    } else {
                        throw new CliError("parse error: '" + t + " " + a.get(i) + "'");
                    }
                }
                case "buckets" -> buckets = number(a, ++i);
                case "buckets-log2" -> {
                    int log2 = number(a, ++i);
                    if (log2 >= 32) {
                        throw new CliError("buckets-log2 value is too high");
                    }
                    buckets = 1 << log2;
                }
                case "timeout" -> timeout = number(a, ++i);
                default -> throw new CliError("parse error: '" + String.join(" ", a.subList(i, a.size())) + "'");
            }
        }
        lb.collectGarbage();
        int rv = lb.conf(ip4, ip6, buckets, timeout);
        if (rv != 0) {
            throw new CliError("lb_conf error " + rv);
        }
        return Result.ok("");
    }
}
