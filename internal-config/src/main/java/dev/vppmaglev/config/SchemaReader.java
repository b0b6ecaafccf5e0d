package dev.vppmaglev.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Walks the node tree of {@code maglev.yaml} into the config records, applying defaults and the
 * rules that concern one section at a time (types, ranges, names, per-frontend duplicates). Rules
 * across sections (references, address families, VIP clashes) run afterwards in
 * {@link CrossChecks}, which needs the positions kept in {@link Parsed}.
 *
 * <p>Schema: spec README "YAML keys the reference left open" and behaviour.md §2.
 */
final class SchemaReader {
    /** Longest name of a health check, backend, frontend or pool. */
    static final int MAX_NAME_LENGTH = 128;

    static final List<String> TOP_KEYS = List.of("maglev");
    static final List<String> MAGLEV_KEYS =
            List.of("healthchecker", "vpp", "healthchecks", "backends", "frontends");
    static final List<String> HEALTHCHECKER_KEYS = List.of("transition-history", "netns");
    static final List<String> VPP_KEYS = List.of("lb");
    static final List<String> LB_KEYS = List.of("ipv4-src-address", "ipv6-src-address",
            "sync-interval", "sticky-buckets-per-core", "flow-timeout", "startup-min-delay",
            "startup-max-delay");
    static final List<String> HEALTHCHECK_KEYS = List.of("type", "port", "interval",
            "fast-interval", "down-interval", "timeout", "rise", "fall", "probe-ipv4-src",
            "probe-ipv6-src", "params");
    static final List<String> HTTP_KEYS = List.of("path", "host", "method", "expect-status",
            "expect-body", "server-name", "insecure-skip-verify");
    static final List<String> TCP_KEYS =
            List.of("send", "expect", "tls", "server-name", "insecure-skip-verify");
    static final List<String> BACKEND_KEYS = List.of("address", "healthcheck", "enabled");
    static final List<String> FRONTEND_KEYS = List.of("description", "address", "protocol",
            "port", "pools", "src-ip-sticky", "flush-on-down");
    static final List<String> POOL_KEYS = List.of("name", "backends");
    static final List<String> POOL_BACKEND_KEYS = List.of("weight");

    private static final Map<String, CheckType> CHECK_TYPES = Map.of("icmp", CheckType.ICMP,
            "tcp", CheckType.TCP, "http", CheckType.HTTP, "https", CheckType.HTTPS);
    private static final Map<String, Protocol> PROTOCOLS =
            Map.of("tcp", Protocol.TCP, "udp", Protocol.UDP, "any", Protocol.ANY);
    private static final Pattern STATUS_TEXT = Pattern.compile("\\s*([0-9]+)\\s*(?:-\\s*([0-9]+)\\s*)?");
    private static final InetAddress FILLER_ADDRESS = Inet4Address.ofLiteral("0.0.0.0");

    /** A pool member and where it is written. */
    record MemberAt(PoolBackend member, Mark keyMark) {}

    /** A backend and where its address and health check reference are written. */
    record BackendAt(Backend backend, Mark addressMark, Mark healthcheckMark) {}

    /** A frontend, where its address is written, and where each pool member is written. */
    record FrontendAt(Frontend frontend, Mark addressMark, List<List<MemberAt>> members) {}

    /** Everything read, in file order, with the positions {@link CrossChecks} needs. */
    record Parsed(
            HealthCheckerConfig healthchecker,
            VppLbConfig vppLb,
            Map<String, HealthCheck> healthchecks,
            Map<String, BackendAt> backends,
            Map<String, FrontendAt> frontends) {}

    private final Nodes nodes;
    private final Problems problems;

    SchemaReader(Nodes nodes) {
        this.nodes = nodes;
        this.problems = nodes.problems();
    }

    /**
     * Reads a whole document.
     *
     * @param root the composed document; {@code null} for an empty one
     * @return what was read (with fillers wherever a problem was recorded)
     */
    Parsed read(Node root) {
        if (root == null) {
            problems.add(Rule.MISSING_KEY, 1, 1, "the file is empty; it needs the top-level"
                    + " key maglev: with the configuration under it");
            return empty();
        }
        if (!(root instanceof MappingNode)) {
            problems.add(Rule.WRONG_TYPE, root.getStartMark(), "the top level must be a map"
                    + " with the key maglev:, got " + Nodes.describe(root));
            return empty();
        }
        Fields top = nodes.fields(root, "", root.getStartMark());
        Fields.Entry maglevEntry = top.entry("maglev");
        if (maglevEntry == null) {
            // One clear error rather than one per stray key: the usual cause is a missing wrapper.
            List<String> keys = top.entries().stream().map(Fields.Entry::key).limit(5).toList();
            problems.add(Rule.MISSING_KEY, root.getStartMark(),
                    "missing the top-level key maglev: (everything lives under it); found "
                            + String.join(", ", keys) + (MAGLEV_KEYS.containsAll(keys)
                            ? ", which belong under maglev:" : " instead"));
            return empty();
        }
        top.only(TOP_KEYS);
        if (Nodes.isNull(maglevEntry.value())) {
            problems.add(Rule.MISSING_KEY, maglevEntry.keyMark(), "maglev has no value;"
                    + " put the configuration under it");
            return empty();
        }
        Fields maglev = nodes.fields(maglevEntry.value(), "", maglevEntry.keyMark())
                .only(MAGLEV_KEYS);

        HealthCheckerConfig healthchecker = healthchecker(maglev);
        VppLbConfig vppLb = vppLb(maglev);
        Map<String, HealthCheck> healthchecks = new LinkedHashMap<>();
        for (Fields.Entry e : named(maglev, "healthchecks", "health check")) {
            healthchecks.put(e.key(), healthcheck(e));
        }
        Map<String, BackendAt> backends = new LinkedHashMap<>();
        for (Fields.Entry e : named(maglev, "backends", "backend")) {
            backends.put(e.key(), backend(e));
        }
        Map<String, FrontendAt> frontends = new LinkedHashMap<>();
        for (Fields.Entry e : named(maglev, "frontends", "frontend")) {
            frontends.put(e.key(), frontend(e));
        }
        return new Parsed(healthchecker, vppLb, healthchecks, backends, frontends);
    }

    private static Parsed empty() {
        return new Parsed(HealthCheckerConfig.DEFAULTS, VppLbConfig.DEFAULTS, Map.of(), Map.of(),
                Map.of());
    }

    /** The entries of a map keyed by user-chosen names, each name checked. */
    private List<Fields.Entry> named(Fields parent, String key, String what) {
        Fields.Entry e = parent.entry(key);
        if (e == null) {
            return List.of();
        }
        Fields section = nodes.fields(e.value(), key, e.keyMark());
        for (Fields.Entry item : section.entries()) {
            checkName(item.key(), item.keyMark(), key, what);
        }
        return section.entries();
    }

    private void checkName(String name, Mark at, String section, String what) {
        String problem = nameProblem(name);
        if (problem != null) {
            problems.add(Rule.BAD_NAME, at, section + ": " + what + " name \"" + printable(name) + "\" " + problem
                    + "; names are 1.." + MAX_NAME_LENGTH
                    + " characters without spaces or control characters");
        }
    }

    /** Why {@code name} cannot be a name, or {@code null} when it can. */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            return "is longer than " + MAX_NAME_LENGTH + " characters";
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT) {
                return "contains whitespace or a control character";
            }
        }
        return null;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(40).forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return s.codePointCount(0, s.length()) > 40 ? b + "..." : b.toString();
    }

    // ---- maglev.healthchecker

    private HealthCheckerConfig healthchecker(Fields maglev) {
        Fields.Entry e = maglev.entry("healthchecker");
        if (e == null) {
            return HealthCheckerConfig.DEFAULTS;
        }
        Fields f = nodes.fields(e.value(), "healthchecker", e.keyMark()).only(HEALTHCHECKER_KEYS);
        int history = HealthCheckerConfig.DEFAULT_TRANSITION_HISTORY;
        Node n = f.get("transition-history");
        if (n != null) {
            Integer v = nodes.integer(n, f.path("transition-history"));
            if (v != null) {
                history = v;
                if (v < 1) {
                    problems.add(Rule.TRANSITION_HISTORY_RANGE, n.getStartMark(),
                            f.path("transition-history") + ": " + v
                                    + " is too small; keep at least 1 transition");
                }
            }
        }
        String netns = "";
        n = f.get("netns");
        if (n != null) {
            String v = nodes.string(n, f.path("netns"));
            if (v != null) {
                netns = v;
                // "" is the default spelled out (the reference's zero value): the daemon's own namespace
                if (!v.isEmpty() && (v.contains("/") || v.equals(".") || v.equals("..") || v.contains("\0")
                        || nameProblem(v) != null)) {
                    problems.add(Rule.BAD_NETNS, n.getStartMark(), f.path("netns") + ": \""
                            + printable(v) + "\" is not a namespace name; write the name under"
                            + " /run/netns (as ip netns shows it), not a path");
                }
            }
        }
        return new HealthCheckerConfig(history, netns);
    }

    // ---- maglev.vpp.lb

    private VppLbConfig vppLb(Fields maglev) {
        Fields.Entry vppEntry = maglev.entry("vpp");
        if (vppEntry == null) {
            return VppLbConfig.DEFAULTS;
        }
        Fields vpp = nodes.fields(vppEntry.value(), "vpp", vppEntry.keyMark()).only(VPP_KEYS);
        Fields.Entry lbEntry = vpp.entry("lb");
        if (lbEntry == null) {
            return VppLbConfig.DEFAULTS;
        }
        Fields f = nodes.fields(lbEntry.value(), "vpp.lb", lbEntry.keyMark()).only(LB_KEYS);
        Inet4Address ip4 = (Inet4Address) optionalAddress(f, "ipv4-src-address", Nodes.Family.IPV4);
        Inet6Address ip6 = (Inet6Address) optionalAddress(f, "ipv6-src-address", Nodes.Family.IPV6);

        Duration sync = duration(f, "sync-interval", VppLbConfig.DEFAULT_SYNC_INTERVAL);
        if (sync.isNegative() || sync.isZero()) {
            problems.add(Rule.SYNC_INTERVAL_RANGE, f.mark("sync-interval"), f.path("sync-interval")
                    + ": " + GoDuration.format(sync) + " must be more than 0 (default "
                    + GoDuration.format(VppLbConfig.DEFAULT_SYNC_INTERVAL) + ")");
        }

        int buckets = VppLbConfig.DEFAULT_STICKY_BUCKETS_PER_CORE;
        Node n = f.get("sticky-buckets-per-core");
        if (n != null) {
            Integer v = nodes.integer(n, f.path("sticky-buckets-per-core"));
            if (v != null) {
                buckets = v;
                if (v < 1 || Integer.bitCount(v) != 1) {
                    int up = v < 1 ? 1 : Integer.highestOneBit(v);
                    problems.add(Rule.STICKY_BUCKETS_POWER_OF_TWO, n.getStartMark(),
                            f.path("sticky-buckets-per-core") + ": " + v + " is not a power of two"
                                    + " (e.g. " + up + (up <= (1 << 29) ? " or " + (up << 1) : "")
                                    + "; default " + VppLbConfig.DEFAULT_STICKY_BUCKETS_PER_CORE
                                    + ")");
                }
            }
        }

        Duration flow = duration(f, "flow-timeout", VppLbConfig.DEFAULT_FLOW_TIMEOUT);
        if (flow.compareTo(VppLbConfig.MIN_FLOW_TIMEOUT) < 0
                || flow.compareTo(VppLbConfig.MAX_FLOW_TIMEOUT) > 0
                || flow.getNano() != 0) {
            problems.add(Rule.FLOW_TIMEOUT_RANGE, f.mark("flow-timeout"), f.path("flow-timeout")
                    + ": " + GoDuration.format(flow) + " is out of range; VPP takes whole seconds"
                    + " from 1s to 120s (default 40s)");
        }

        Duration min = duration(f, "startup-min-delay", VppLbConfig.DEFAULT_STARTUP_MIN_DELAY);
        Duration max = duration(f, "startup-max-delay", VppLbConfig.DEFAULT_STARTUP_MAX_DELAY);
        for (String key : List.of("startup-min-delay", "startup-max-delay")) {
            Duration d = key.equals("startup-min-delay") ? min : max;
            if (d.isNegative()) {
                problems.add(Rule.STARTUP_DELAY_RANGE, f.mark(key), f.path(key) + ": "
                        + GoDuration.format(d) + " is negative; use 0 to disable or a positive"
                        + " duration");
            }
        }
        if (!min.isNegative() && !max.isNegative() && !min.isZero() && !max.isZero()
                && max.compareTo(min) < 0) {
            boolean written = f.has("startup-max-delay");
            problems.add(Rule.STARTUP_DELAY_ORDER, f.mark("startup-max-delay"),
                    f.path("startup-max-delay") + ": " + GoDuration.format(max)
                            + (written ? "" : " (the default)") + " is shorter than"
                            + " startup-min-delay " + GoDuration.format(min)
                            + "; the release phase must end after the hands-off window"
                            + (written ? "" : ": set startup-max-delay too"));
        }
        return new VppLbConfig(ip4, ip6, sync, buckets, flow, min, max);
    }

    private InetAddress optionalAddress(Fields f, String key, Nodes.Family family) {
        Node n = f.get(key);
        return n == null ? null : nodes.address(n, f.path(key), family);
    }

    private Duration duration(Fields f, String key, Duration dflt) {
        Node n = f.get(key);
        if (n == null) {
            return dflt;
        }
        Duration d = nodes.duration(n, f.path(key));
        return d == null ? dflt : d;
    }

    private int integer(Fields f, String key, int dflt) {
        Node n = f.get(key);
        if (n == null) {
            return dflt;
        }
        Integer v = nodes.integer(n, f.path(key));
        return v == null ? dflt : v;
    }

    private boolean bool(Fields f, String key, boolean dflt) {
        Node n = f.get(key);
        if (n == null) {
            return dflt;
        }
        Boolean v = nodes.bool(n, f.path(key));
        return v == null ? dflt : v;
    }

    private String string(Fields f, String key) {
        Node n = f.get(key);
        if (n == null) {
            return "";
        }
        String v = nodes.string(n, f.path(key));
        return v == null ? "" : v;
    }

    // ---- maglev.healthchecks.<name>

    private HealthCheck healthcheck(Fields.Entry e) {
        String name = e.key();
        Fields f = nodes.fields(e.value(), "healthchecks." + name, e.keyMark())
                .only(HEALTHCHECK_KEYS);
        Node typeNode = f.required("type");
        CheckType type = typeNode == null ? null : nodes.keyword(typeNode, f.path("type"),
                CHECK_TYPES, "icmp, tcp, http, https");

        int port = 0;
        Node portNode = f.get("port");
        if (type == CheckType.ICMP && portNode != null) {
            problems.add(Rule.NOT_FOR_TYPE, f.keyMark("port"), f.path("port")
                    + ": icmp checks have no port; remove it");
        } else if (type != null && type.needsPort()) {
            Node n = f.required("port");
            Integer v = n == null ? null : nodes.integer(n, f.path("port"));
            if (v != null) {
                port = v;
                if (v < 1 || v > 65535) {
                    problems.add(Rule.PORT_RANGE, n.getStartMark(), f.path("port") + ": " + v
                            + " is out of range 1..65535");
                }
            }
        } else if (portNode != null) {
            nodes.integer(portNode, f.path("port")); // still report a malformed value
        }

        Duration interval = interval(f, "interval", HealthCheck.DEFAULT_INTERVAL);
        Duration fast = interval(f, "fast-interval", interval);
        Duration down = interval(f, "down-interval", interval);
        Duration timeout = duration(f, "timeout", HealthCheck.DEFAULT_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero()) {
            problems.add(Rule.TIMEOUT_RANGE, f.mark("timeout"), f.path("timeout") + ": "
                    + GoDuration.format(timeout) + " must be more than 0 (default "
                    + GoDuration.format(HealthCheck.DEFAULT_TIMEOUT) + ")");
        } else if (timeout.compareTo(HealthCheck.MAX_TIMEOUT) > 0) {
            problems.add(Rule.TIMEOUT_RANGE, f.mark("timeout"), f.path("timeout") + ": "
                    + GoDuration.format(timeout) + " is above the maximum of "
                    + GoDuration.format(HealthCheck.MAX_TIMEOUT) + " (default "
                    + GoDuration.format(HealthCheck.DEFAULT_TIMEOUT) + ")");
        }
        int rise = riseFall(f, "rise", HealthCheck.DEFAULT_RISE);
        int fall = riseFall(f, "fall", HealthCheck.DEFAULT_FALL);
        Inet4Address src4 = (Inet4Address) probeSource(f, type, "probe-ipv4-src", Nodes.Family.IPV4);
        Inet6Address src6 = (Inet6Address) probeSource(f, type, "probe-ipv6-src", Nodes.Family.IPV6);
        ProbeParams params = params(f, type);
        return new HealthCheck(name, type == null ? CheckType.TCP : type, port, interval, fast,
                down, timeout, rise, fall, src4, src6, params);
    }

    /**
     * {@code probe-ipv4-src} / {@code probe-ipv6-src}; refused on icmp checks, whose probes share
     * one socket per address family (IcmpProber) and so cannot choose a source address.
     */
    private InetAddress probeSource(Fields f, CheckType type, String key, Nodes.Family family) {
        if (type == CheckType.ICMP && f.has(key)) {
            problems.add(Rule.NOT_FOR_TYPE, f.keyMark(key), f.path(key)
                    + ": icmp checks cannot choose a source address (every icmp probe of a family"
                    + " shares one socket); remove it");
            return null;
        }
        return optionalAddress(f, key, family);
    }

    private Duration interval(Fields f, String key, Duration dflt) {
        Duration d = duration(f, key, dflt);
        if (f.has(key) && d.compareTo(HealthCheck.MIN_INTERVAL) < 0) {
            problems.add(Rule.INTERVAL_MINIMUM, f.mark(key), f.path(key) + ": "
                    + GoDuration.format(d) + " is below the minimum of "
                    + GoDuration.format(HealthCheck.MIN_INTERVAL));
        }
        return d;
    }

    private int riseFall(Fields f, String key, int dflt) {
        int v = integer(f, key, dflt);
        if (v < 1) {
            problems.add(Rule.RISE_FALL_RANGE, f.mark(key), f.path(key) + ": " + v
                    + " is too small; it counts probes and must be at least 1");
        }
        return v;
    }

    private ProbeParams params(Fields check, CheckType type) {
        Fields.Entry e = check.entry("params");
        if (type == null) {
            return IcmpParams.INSTANCE; // the type error is reported; params cannot be judged
        }
        String path = check.path("params");
        return switch (type) {
            case ICMP -> {
                if (e != null && !nodes.fields(e.value(), path, e.keyMark()).isEmpty()) {
                    problems.add(Rule.NOT_FOR_TYPE, e.keyMark(), path
                            + ": icmp checks take no params; remove them");
                }
                yield IcmpParams.INSTANCE;
            }
            case TCP -> e == null ? TcpParams.DEFAULTS
                    : tcpParams(nodes.fields(e.value(), path, e.keyMark()).only(TCP_KEYS));
            case HTTP, HTTPS -> e == null ? HttpParams.DEFAULTS : httpParams(
                    nodes.fields(e.value(), path, e.keyMark()).only(HTTP_KEYS), type);
        };
    }

    private TcpParams tcpParams(Fields f) {
        String send = string(f, "send");
        String expect = "";
        Node n = f.get("expect");
        if (n != null) {
            String v = nodes.regex(n, f.path("expect"));
            expect = v == null ? "" : v;
        }
        boolean tls = bool(f, "tls", false);
        String serverName = string(f, "server-name");
        boolean insecure = bool(f, "insecure-skip-verify", false);
        if (!tls) {
            for (String key : List.of("server-name", "insecure-skip-verify")) {
                if (f.has(key)) {
                    problems.add(Rule.NEEDS_TLS, f.keyMark(key), f.path(key)
                            + ": only used with tls: true, which this check does not set");
                }
            }
        }
        return new TcpParams(send, expect, tls, serverName, insecure);
    }

    private HttpParams httpParams(Fields f, CheckType type) {
        String path = HttpParams.DEFAULT_PATH;
        Node n = f.get("path");
        if (n != null) {
            String v = nodes.string(n, f.path("path"));
            if (v != null) {
                path = v;
                if (!v.startsWith("/") || v.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                    problems.add(Rule.PATH_FORMAT, n.getStartMark(), f.path("path") + ": \""
                            + printable(v) + "\" must start with / and contain no spaces or"
                            + " control characters, e.g. /healthz");
                }
            }
        }
        String host = string(f, "host");
        String method = "GET";
        n = f.get("method");
        if (n != null) {
            String v = nodes.string(n, f.path("method"));
            if (v != null) {
                String upper = v.toUpperCase(Locale.ROOT);
                if (upper.equals("GET") || upper.equals("HEAD")) {
                    method = upper;
                } else {
                    problems.add(Rule.BAD_VALUE, n.getStartMark(), f.path("method") + ": \""
                            + v + "\" is not one of GET, HEAD");
                }
            }
        }
        List<StatusRange> expectStatus = HttpParams.DEFAULT_EXPECT_STATUS;
        n = f.get("expect-status");
        if (n != null) {
            expectStatus = expectStatus(n, f.path("expect-status"));
        }
        String expectBody = "";
        n = f.get("expect-body");
        if (n != null) {
            String v = nodes.regex(n, f.path("expect-body"));
            expectBody = v == null ? "" : v;
        }
        if (method.equals("HEAD") && !expectBody.isEmpty()) {
            problems.add(Rule.HEAD_WITH_BODY, f.mark("expect-body"), f.path("expect-body")
                    + ": needs method GET; a response to HEAD has no body to search");
        }
        String serverName = string(f, "server-name");
        boolean insecure = bool(f, "insecure-skip-verify", false);
        if (type == CheckType.HTTP) {
            for (String key : List.of("server-name", "insecure-skip-verify")) {
                if (f.entry(key) != null) {
                    problems.add(Rule.NOT_FOR_TYPE, f.keyMark(key), f.path(key)
                            + ": only used by https checks; this check is http");
                }
            }
        }
        return new HttpParams(path, host, method, expectStatus,
                expectBody, serverName, insecure);
    }

    /** {@code expect-status}: a code, a "lo-hi" string, or a list of those. */
    private List<StatusRange> expectStatus(Node node, String path) {
        List<Node> items;
        if (node instanceof SequenceNode) {
            items = nodes.list(node, path);
            if (items.isEmpty()) {
                problems.add(Rule.STATUS_RANGE, node.getStartMark(), path
                        + ": the list is empty; give at least one code or range, e.g. [200-399]");
                return HttpParams.DEFAULT_EXPECT_STATUS;
            }
        } else {
            items = List.of(node);
        }
        List<StatusRange> out = new ArrayList<>();
        for (Node item : items) {
            StatusRange r = statusRange(item, path);
            if (r != null) {
                out.add(r);
            }
        }
        return out.isEmpty() ? HttpParams.DEFAULT_EXPECT_STATUS : out;
    }

    private StatusRange statusRange(Node item, String path) {
        nodes.visit();
        if (!(item instanceof ScalarNode s) || Nodes.isNull(s)
                || !s.getTag().getValue().startsWith(Tag.PREFIX)) {
            problems.add(Rule.WRONG_TYPE, item.getStartMark(), path
                    + ": expected a status code or a range like 200-399, got "
                    + Nodes.describe(item));
            return null;
        }
        Matcher m = STATUS_TEXT.matcher(s.getValue());
        if (!m.matches() || m.group(1).length() > 4 || (m.group(2) != null && m.group(2).length() > 4)) {
            problems.add(Rule.BAD_STATUS, item.getStartMark(), path + ": \"" + s.getValue()
                    + "\" is not a status code or a range; write e.g. 200 or 200-399");
            return null;
        }
        int from = Integer.parseInt(m.group(1));
        int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
        if (from < 100 || to > 599 || from > to) {
            problems.add(Rule.STATUS_RANGE, item.getStartMark(), path + ": " + s.getValue().strip()
                    + " is out of range; codes are 100..599 and a range is low-high");
            return null;
        }
        return new StatusRange(from, to);
    }

    // ---- maglev.backends.<name>

    private BackendAt backend(Fields.Entry e) {
        Fields f = nodes.fields(e.value(), "backends." + e.key(), e.keyMark()).only(BACKEND_KEYS);
        Node a = f.required("address");
        InetAddress address = a == null ? null : nodes.address(a, f.path("address"), Nodes.Family.ANY);
        Node h = f.required("healthcheck");
        String healthcheck = h == null ? null : nodes.string(h, f.path("healthcheck"));
        boolean enabled = bool(f, "enabled", true);
        Backend b = new Backend(e.key(), address == null ? FILLER_ADDRESS : address,
                healthcheck == null ? "" : healthcheck, enabled);
        return new BackendAt(b, f.mark("address"), f.mark("healthcheck"));
    }

    // ---- maglev.frontends.<name>

    private FrontendAt frontend(Fields.Entry e) {
        String name = e.key();
        Fields f = nodes.fields(e.value(), "frontends." + name, e.keyMark()).only(FRONTEND_KEYS);
        String description = string(f, "description");
        Node a = f.required("address");
        InetAddress address = a == null ? null : nodes.address(a, f.path("address"), Nodes.Family.ANY);
        Protocol protocol = Protocol.ANY;
        Node n = f.get("protocol");
        if (n != null) {
            Protocol p = nodes.keyword(n, f.path("protocol"), PROTOCOLS, "tcp, udp (or any)");
            protocol = p == null ? protocol : p;
        }
        int port = 0;
        n = f.get("port");
        if (n != null) {
            Integer v = nodes.integer(n, f.path("port"));
            if (v != null) {
                port = v;
                if (v < 0 || v > 65535) {
                    problems.add(Rule.PORT_RANGE, n.getStartMark(), f.path("port") + ": " + v
                            + " is out of range 0..65535 (0 = every port)");
                } else if (v != 0 && protocol == Protocol.ANY) {
                    problems.add(Rule.PORT_NEEDS_PROTOCOL, n.getStartMark(), f.path("port")
                            + ": port " + v + " needs protocol: tcp or udp (VPP's lb plugin only"
                            + " makes port-specific VIPs for tcp and udp); or use port 0");
                }
            }
        }
        if (protocol != Protocol.ANY && port == 0 && f.has("protocol")) {
            // VPP src/plugins/lb/api.c: port 0 forces protocol 255 (every protocol).
            problems.add(Rule.PROTOCOL_NEEDS_PORT, f.mark("protocol"), f.path("protocol")
                    + ": protocol " + protocol.keyword() + " needs a port; VPP's all-port VIPs"
                    + " (port 0) take every protocol, so give a port or leave protocol out");
        }
        List<Pool> pools = new ArrayList<>();
        List<List<MemberAt>> members = new ArrayList<>();
        Node poolsNode = f.required("pools");
        if (poolsNode != null) {
            List<Node> items = nodes.list(poolsNode, f.path("pools"));
            if (items != null && items.isEmpty()) {
                problems.add(Rule.EMPTY_POOLS, poolsNode.getStartMark(), f.path("pools")
                        + ": the list is empty; a frontend needs at least one pool");
            }
            if (items != null) {
                Map<String, Mark> poolNames = new HashMap<>();
                Map<String, String> memberPool = new HashMap<>();
                for (int i = 0; i < items.size(); i++) {
                    List<MemberAt> at = new ArrayList<>();
                    pools.add(pool(items.get(i), f.path("pools") + "[" + i + "]", name,
                            poolNames, memberPool, at));
                    members.add(at);
                }
            }
        }
        boolean sticky = bool(f, "src-ip-sticky", false);
        boolean flush = bool(f, "flush-on-down", true);
        Frontend fe = new Frontend(name, description, address == null ? FILLER_ADDRESS : address,
                protocol, port, pools, sticky, flush);
        return new FrontendAt(fe, f.mark("address"), members);
    }

    private Pool pool(Node node, String path, String frontend, Map<String, Mark> poolNames,
                      Map<String, String> memberPool, List<MemberAt> at) {
        Fields f = nodes.fields(node, path, node.getStartMark()).only(POOL_KEYS);
        if (Nodes.isNull(node)) {
            problems.add(Rule.WRONG_TYPE, node.getStartMark(), path
                    + ": expected a pool (a map with name and backends), got nothing");
        }
        String name = "";
        Node n = node instanceof MappingNode ? f.required("name") : null;
        if (n != null) {
            String v = nodes.string(n, f.path("name"));
            if (v != null) {
                name = v;
                String problem = nameProblem(v);
                if (problem != null) {
                    problems.add(Rule.BAD_NAME, n.getStartMark(), f.path("name")
                            + ": pool name \"" + printable(v) + "\" " + problem + "; names are 1.."
                            + MAX_NAME_LENGTH + " characters without spaces or control characters");
                } else {
                    Mark first = poolNames.putIfAbsent(v, n.getStartMark());
                    if (first != null) {
                        problems.add(Rule.DUPLICATE_POOL, n.getStartMark(), f.path("name")
                                + ": frontend " + frontend + " already has a pool named \"" + v
                                + "\" (line " + (first.getLine() + 1) + "); pool names are unique"
                                + " within a frontend");
                    }
                }
            }
        }
        List<PoolBackend> members = new ArrayList<>();
        Node b = node instanceof MappingNode ? f.required("backends") : null;
        if (b != null) {
            Fields backends = nodes.fields(b, f.path("backends"), f.keyMark("backends"));
            for (Fields.Entry m : backends.entries()) {
                String memberPath = f.path("backends") + "." + m.key();
                Fields mf = nodes.fields(m.value(), memberPath, m.keyMark()).only(POOL_BACKEND_KEYS);
                int weight = PoolBackend.DEFAULT_WEIGHT;
                Node w = mf.get("weight");
                if (w != null) {
                    Integer v = nodes.integer(w, mf.path("weight"));
                    if (v != null) {
                        weight = v;
                        if (v < 0 || v > PoolBackend.MAX_WEIGHT) {
                            problems.add(Rule.WEIGHT_RANGE, w.getStartMark(), mf.path("weight")
                                    + ": weight " + v + " out of range 0.." + PoolBackend.MAX_WEIGHT);
                        }
                    }
                }
                String firstPool = memberPool.putIfAbsent(m.key(), name);
                if (firstPool != null) {
                    problems.add(Rule.DUPLICATE_POOL_BACKEND, m.keyMark(), memberPath
                            + ": backend " + m.key() + " is already in pool \"" + firstPool
                            + "\" of frontend " + frontend + "; a backend may be in one pool per"
                            + " frontend (VPP holds one AS per address per VIP)");
                }
                PoolBackend pb = new PoolBackend(m.key(), weight);
                members.add(pb);
                at.add(new MemberAt(pb, m.keyMark()));
            }
        }
        return new Pool(name, members);
    }
}
