package dev.vppmaglev.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The semantic rules across sections, run once the whole file has been read without parse
 * errors: health check and backend references, address families within a frontend, one AS per
 * address per VIP, unique VIPs (and no all-port VIP beside a per-port one on an address, which
 * VPP's lb plugin refuses: vpp-wire.md §3.5), and the {@code vpp.lb} source address each VIP
 * family needs.
 */
final class CrossChecks {
    private CrossChecks() {}

    private record VipKey(InetAddress address, Protocol protocol, int port) {}

    static void check(SchemaReader.Parsed p, ConfigLoader.Options options, Problems problems) {
        for (SchemaReader.BackendAt b : p.backends().values()) {
            String hc = b.backend().healthcheck();
            if (!p.healthchecks().containsKey(hc)) {
                problems.add(Rule.UNKNOWN_HEALTHCHECK, b.healthcheckMark(), "backends."
                        + b.backend().name() + ".healthcheck: no health check named \"" + hc
                        + "\"" + hint(hc, p.healthchecks().keySet().stream().toList()));
            }
        }

        Map<VipKey, String> vips = new HashMap<>();
        Map<InetAddress, String> allPort = new HashMap<>();
        Map<InetAddress, String> perPort = new HashMap<>();
        for (SchemaReader.FrontendAt fa : p.frontends().values()) {
            Frontend f = fa.frontend();
            String vip = IpLiteral.format(f.address());
            String family = IpLiteral.family(f.address());

            VipKey key = new VipKey(f.address(), f.protocol(), f.port());
            String other = vips.putIfAbsent(key, f.name());
            if (other != null) {
                problems.add(Rule.DUPLICATE_VIP, fa.addressMark(), "frontends." + f.name()
                        + ".address: frontend " + f.name() + " has the same VIP as frontend "
                        + other + " (" + vip + " " + f.protocol().keyword() + " port " + f.port()
                        + "); each VIP (address, protocol, port) belongs to one frontend");
            } else {
                // VPP's lb plugin refuses a per-port VIP beside an all-port one on one address.
                Map<InetAddress, String> opposite = f.port() == 0 ? perPort : allPort;
                String clash = opposite.get(f.address());
                if (clash != null) {
                    problems.add(Rule.ALL_PORT_CONFLICT, fa.addressMark(), "frontends." + f.name()
                            + ".address: " + (f.port() == 0
                            ? "frontend " + f.name() + " takes every port of " + vip
                                    + " but frontend " + clash + " has a port on it"
                            : "frontend " + clash + " takes every port of " + vip
                                    + " so frontend " + f.name() + " cannot have port " + f.port())
                            + "; VPP's lb plugin refuses all-port and per-port VIPs on one"
                            + " address");
                }
                (f.port() == 0 ? allPort : perPort).putIfAbsent(f.address(), f.name());
            }

            if (options.vppEnabled()) {
                boolean v4 = f.address() instanceof Inet4Address;
                if (v4 ? p.vppLb().ipv4SrcAddress() == null : p.vppLb().ipv6SrcAddress() == null) {
                    String srcKey = v4 ? "ipv4-src-address" : "ipv6-src-address";
                    problems.add(Rule.MISSING_SRC_ADDRESS, fa.addressMark(), "frontends."
                            + f.name() + ".address: the " + family + " VIP " + vip
                            + " needs vpp.lb." + srcKey + " (the source of the GRE"
                            + (v4 ? "4" : "6") + " tunnels to its application servers)");
                }
            }

            Map<InetAddress, String> asAddress = new HashMap<>();
            for (int i = 0; i < fa.members().size(); i++) {
                String poolName = f.pools().get(i).name();
                for (SchemaReader.MemberAt m : fa.members().get(i)) {
                    String name = m.member().backend();
                    String path = "frontends." + f.name() + ".pools[" + i + "].backends." + name;
                    SchemaReader.BackendAt b = p.backends().get(name);
                    if (b == null) {
                        problems.add(Rule.UNKNOWN_BACKEND, m.keyMark(), path
                                + ": no backend named \"" + name + "\""
                                + hint(name, p.backends().keySet().stream().toList()));
                        continue;
                    }
                    InetAddress as = b.backend().address();
                    if (!Objects.equals(IpLiteral.family(as), family)) {
                        problems.add(Rule.FAMILY_MISMATCH, m.keyMark(), path + ": backend "
                                + name + " (" + IpLiteral.family(as) + " " + IpLiteral.format(as)
                                + ") in pool \"" + poolName + "\" does not match the " + family
                                + " VIP " + vip + " of frontend " + f.name()
                                + "; all backends of a frontend share the VIP's address family");
                        continue;
                    }
                    String first = asAddress.putIfAbsent(as, name);
                    if (first != null && !first.equals(name)) {
                        problems.add(Rule.DUPLICATE_AS_ADDRESS, m.keyMark(), path + ": backends "
                                + first + " and " + name + " both have address "
                                + IpLiteral.format(as) + "; VPP holds one AS per address per"
                                + " VIP, so frontend " + f.name() + " can use only one of them");
                    }
                }
            }
        }
    }

    private static String hint(String name, List<String> known) {
        String near = Fields.closest(name, known);
        if (near != null) {
            return " (did you mean \"" + near + "\"?)";
        }
        if (known.isEmpty()) {
            return "; none are defined";
        }
        return known.size() <= 8 ? "; defined: " + String.join(", ", known) : "";
    }
}
