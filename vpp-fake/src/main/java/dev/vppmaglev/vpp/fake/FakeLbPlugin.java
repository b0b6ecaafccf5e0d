package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.VppErrors;
import dev.vppmaglev.vpp.api.msg.AddressUnion;
import dev.vppmaglev.vpp.api.msg.FibPath;
import dev.vppmaglev.vpp.api.msg.FibPathNh;
import dev.vppmaglev.vpp.api.msg.IpRoute;
import dev.vppmaglev.vpp.api.msg.LbAsDetails;
import dev.vppmaglev.vpp.api.msg.LbAsV2Details;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.LbVipDetails;
import dev.vppmaglev.vpp.api.msg.Prefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The lb plugin's state and semantics (VPP src/plugins/lb/{lb.c,cli.c} at lb 1.2.0, the CLI text
 * also as before 26.10; the API handlers are {@link FakeLbApi};
 * vpp-wire.md §3.5, §3.6, §5; golden observations 6–28): VIP and AS pools with index reuse, the
 * placeholder VIP 0 and AS 0, per-port/all-port rules, encap/family checks, the Maglev new-flow
 * table with weights, removed-but-not-collected VIPs and ASes, garbage collection (10 s after an
 * AS delete, at most every 60 s per VIP), and VPP's byte-order quirks in the VIP details.
 *
 * <p>Not thread-safe: {@link FakeVpp} calls it under one lock, as VPP runs API handlers on its
 * main thread.
 */
final class FakeLbPlugin {
    private static final Logger log = LoggerFactory.getLogger(FakeLbPlugin.class);

    static final int GARBAGE_RUN_S = 60;
    static final int CONCURRENCY_TIMEOUT_S = 10;
    static final String[] COUNTER_NAMES = {
        "packet from existing sessions", "first session packet", "untracked packet", "no server configured"};

    /** Thrown when a request would crash a real VPP (new_flows_table_length 0). */
    static final class Crash extends RuntimeException {
        Crash(String message) {
            super(message);
        }
    }

    static final class Vip {
        Ip46 prefix;
        int plen; // internal: IPv4 prefixes are 96 + len
        int protocol;
        int port;
        VipType type;
        int encapByte0; // dscp (L3DSR) or srv_type (NAT): one union byte in VPP
        int targetPort; // NAT target port (host order)
        int mask;
        boolean used;
        boolean srcIpSticky;
        final Pool<Integer> asIndexes = new Pool<>();
        int[] table = new int[1];
        long lastGc;
        final long[] counters = new long[4];

        boolean prefixIp4() {
            return plen >= 96 && prefix.isIp4();
        }

        /**
         * {@code format_ip46_prefix (.., IP46_TYPE_ANY)}: IPv4 only for an IPv4 prefix
         * ({@code ip46_prefix_is_ip4}), else the 16 bytes as IPv6 (so {@code ::/32}, not
         * {@code 0.0.0.0/32}).
         */
        Prefix textPrefix() {
            return prefixIp4() ? apiPrefix() : new Prefix(prefix.toInet6(), plen);
        }

        /** The details' prefix: {@code ip_address_encode (.., IP46_TYPE_ANY)} and the 26.10 length. */
        Prefix apiPrefix() {
            return new Prefix(prefix.toInet(), prefixIp4() ? plen - 96 : plen);
        }

        LbVip key() {
            return new LbVip(apiPrefix(), protocol, port);
        }

        FakeFib.Key fibKey() {
            return new FakeFib.Key(!type.vipIp4(), prefix, prefixIp4() ? plen - 96 : plen);
        }
    }

    static final class As {
        Ip46 address;
        boolean used;
        int vipIndex;
        int weight;
        long lastUsed;
        int dpo;
        FakeFib.Key fibKey;
        long flows;
    }

    private final FakeFib fib;
    private final LongSupplier now;
    private final FakeDataPlaneCounters counters;
    /** The plugin of a VPP older than 26.10: no AS weights in {@code show lb vips verbose}. */
    private final boolean old;
    Inet4Address ip4Src;
    Inet6Address ip6Src;
    int stickyBucketsPerCore = 1024;
    int flowTimeout = 40;
    final Pool<Vip> vips = new Pool<>();
    final Pool<As> ass = new Pool<>();
    private final Map<Integer, Integer> vipByNodePort = new HashMap<>();
    /** Sticky-table entries in use on thread 0; negative = no table yet (no packet seen). */
    long stickyUsage = -1;

    /**
     * @param fib VPP's FIB (shared load-balance index space)
     * @param now VPP uptime in seconds ({@code vlib_time_now})
     * @param counters the stats segment's lb counters (validated and zeroed for every new VIP)
     */
    FakeLbPlugin(FakeFib fib, LongSupplier now) {
        this(fib, now, new FakeDataPlaneCounters(null));
    }

    FakeLbPlugin(FakeFib fib, LongSupplier now, FakeDataPlaneCounters counters) {
        this(fib, now, counters, false);
    }

    /**
     * @param old the plugin of a VPP older than 26.10 (lb API 1.1.0): {@code show lb vips
     *            verbose} lists ASes without weights, in that version's format
     */
    FakeLbPlugin(FakeFib fib, LongSupplier now, FakeDataPlaneCounters counters, boolean old) {
        this.fib = fib;
        this.now = now;
        this.counters = counters;
        this.old = old;
        try {
            ip4Src = (Inet4Address) InetAddress.getByName("255.255.255.255");
            ip6Src = (Inet6Address) IpFormat.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        Vip placeholder = new Vip();
        placeholder.prefix = new Ip46(-1, -1);
        placeholder.plen = 0;
        placeholder.protocol = 255;
        placeholder.type = VipType.IP6_GRE6;
        placeholder.used = true;
        placeholder.mask = 0;
        vips.get(placeholder);
        As drop = new As();
        drop.address = new Ip46(-1, -1);
        drop.vipIndex = -1;
        ass.get(drop);
    }

    long now() {
        return now.getAsLong();
    }

    // ---- conf ---------------------------------------------------------------------------------

    int conf(Inet4Address ip4, Inet6Address ip6, int buckets, int timeout) {
        if ((buckets & (buckets - 1)) != 0) { // is_pow2 (0 passes, as in VPP)
            return VppErrors.INVALID_MEMORY_SIZE;
        }
        ip4Src = ip4;
        ip6Src = ip6;
        stickyBucketsPerCore = buckets;
        flowTimeout = timeout;
        return 0;
    }

    // ---- VIPs ---------------------------------------------------------------------------------

    private enum Lookup { SAME_IP_PORT, DIFF_IP_PORT, ALL_PORT_IP }

    /** Used VIPs by exact key: the plugin scans its pool, we index it (same answers, faster). */
    private record ExactKey(Ip46 prefix, int plen, int protocol, int port) {}

    private final Map<ExactKey, Integer> usedByKey = new HashMap<>();

    private int find(Ip46 prefix, int plen, int protocol, int port, Lookup how) {
        Ip46 p = prefix.mask(plen);
        if (how == Lookup.SAME_IP_PORT) {
            Integer i = usedByKey.get(new ExactKey(p, plen, protocol, port));
            return i == null ? -1 : i;
        }
        for (int i : vips.indexes()) {
            Vip v = vips.at(i);
            if (!v.used || v.plen != plen || !v.prefix.equals(p)) {
                continue;
            }
            boolean hit = switch (how) {
                case SAME_IP_PORT -> v.protocol == protocol && v.port == port;
                case ALL_PORT_IP -> v.port == 0;
                case DIFF_IP_PORT -> v.protocol != protocol || v.port != port;
            };
            if (hit) {
                return i;
            }
        }
        return -1;
    }

    /** {@code lb_vip_find_index}: the used VIP with exactly this key, or -1. */
    int findVip(Ip46 prefix, int plen, int protocol, int port) {
        return find(prefix, plen, protocol, port, Lookup.SAME_IP_PORT);
    }

    /** Result of {@link #addVip}: retval and, on success, the new VIP's index. */
    record Added(int retval, int index) {}

    /**
     * {@code lb_vip_add}. {@code plen} is internal (IPv4: 96 + len); {@code port == 0} makes an
     * all-port VIP (protocol 255).
     */
    Added addVip(Ip46 prefix, int plen, int protocol, int port, VipType type, int newLength, boolean sticky,
                 int encapByte0, int targetPort) {
        Ip46 p = prefix.mask(plen);
        if (find(p, plen, protocol, port, Lookup.SAME_IP_PORT) >= 0) {
            return new Added(VppErrors.VALUE_EXIST, -1);
        }
        if (port != 0 && find(p, plen, protocol, port, Lookup.ALL_PORT_IP) >= 0) {
            return new Added(VppErrors.VALUE_EXIST, -1);
        }
        if (port == 0 && find(p, plen, protocol, port, Lookup.DIFF_IP_PORT) >= 0) {
            return new Added(VppErrors.VALUE_EXIST, -1);
        }
        if (port != 0) {
            int other = find(p, plen, protocol, port, Lookup.DIFF_IP_PORT);
            if (other >= 0 && vips.at(other).type != type) {
                return new Added(VppErrors.INVALID_ARGUMENT, -1);
            }
        }
        if (newLength == 0) {
            throw new Crash("new_flows_table_length 0: VPP allocates a 2^32-entry table and dies (behaviour.md §5.3)");
        }
        if ((newLength & (newLength - 1)) != 0) {
            return new Added(VppErrors.INVALID_MEMORY_SIZE, -1);
        }
        boolean ip4 = plen >= 96 && p.isIp4();
        if (ip4 != type.vipIp4()) {
            return new Added(VppErrors.INVALID_ADDRESS_FAMILY, -1);
        }
        if (type == VipType.IP4_L3DSR && encapByte0 >= 64) {
            return new Added(VppErrors.VALUE_EXIST, -1);
        }
        Vip v = new Vip();
        v.prefix = p;
        v.plen = plen;
        v.protocol = port != 0 ? protocol : 255;
        v.port = port;
        v.type = type;
        if (type == VipType.IP4_L3DSR || type.nat()) {
            v.encapByte0 = encapByte0;
        }
        if (type.nat()) {
            v.targetPort = targetPort;
        }
        v.used = true;
        v.srcIpSticky = sticky;
        v.mask = newLength - 1;
        v.lastGc = now();
        int index = vips.get(v);
        counters.vipAdded(index); // lb_vip_add: validate + zero the VIP's four counters
        usedByKey.put(new ExactKey(p, plen, v.protocol, port), index);
        updateTable(v);
        // adjacency: one FIB route per prefix, shared by the per-port VIPs on it
        boolean shared = port != 0 && find(p, plen, v.protocol, port, Lookup.DIFF_IP_PORT) >= 0;
        if (!shared) {
            fib.add(v.fibKey(), true);
        }
        if (type.nat() && encapByte0 == 1) { // NODEPORT
            if (vipByNodePort.containsKey(port)) {
                return new Added(VppErrors.VALUE_EXIST, -1); // after creating the VIP: VPP does the same
            }
            vipByNodePort.put(port, index);
        }
        log.atInfo().setMessage("fake-lb-vip-add").addKeyValue("index", index).addKeyValue("vip", v.key())
                .addKeyValue("type", type.text).addKeyValue("new_size", newLength).addKeyValue("src_ip_sticky", sticky)
                .log();
        return new Added(0, index);
    }

    /** {@code lb_vip_del}: removes every AS (no flush), the route, and marks the VIP removed. */
    int delVip(int index) {
        if (index == 0) {
            return 0;
        }
        Vip v = vips.at(index);
        if (v == null || !v.used) {
            return VppErrors.NO_SUCH_ENTRY;
        }
        List<Ip46> all = new ArrayList<>();
        v.asIndexes.forEachIndex(i -> all.add(ass.at(v.asIndexes.at(i)).address));
        if (!all.isEmpty()) {
            delAses(index, all, false);
        }
        boolean shared = v.port != 0 && find(v.prefix, v.plen, v.protocol, v.port, Lookup.DIFF_IP_PORT) >= 0;
        if (!shared) {
            fib.remove(v.fibKey(), true);
        }
        if (v.type.nat() && v.encapByte0 == 1) {
            vipByNodePort.remove(v.port, index);
        }
        v.used = false;
        usedByKey.remove(new ExactKey(v.prefix, v.plen, v.protocol, v.port));
        log.atInfo().setMessage("fake-lb-vip-del").addKeyValue("index", index).addKeyValue("vip", v.key()).log();
        return 0;
    }

    // ---- ASes ---------------------------------------------------------------------------------

    private int findAs(Vip v, int vipIndex, Ip46 address) {
        for (int slot : v.asIndexes.indexes()) {
            int ai = v.asIndexes.at(slot);
            As a = ass.at(ai);
            if (a.vipIndex == vipIndex && a.address.equals(address)) {
                return ai;
            }
        }
        return -1;
    }

    /**
     * {@code lb_vip_add_ass}: adds ASes (processed last to first, as VPP does) or re-activates
     * removed ones.
     */
    int addAses(int vipIndex, List<Ip46> addresses, int weight, boolean flush) {
        Vip v = vips.at(vipIndex);
        if (v == null || !v.used) {
            return VppErrors.NO_SUCH_ENTRY;
        }
        List<Integer> update = new ArrayList<>();
        List<Ip46> add = new ArrayList<>();
        for (int n = addresses.size() - 1; n >= 0; n--) {
            Ip46 a = addresses.get(n);
            int existing = findAs(v, vipIndex, a);
            if (existing >= 0) {
                if (ass.at(existing).used) {
                    return VppErrors.VALUE_EXIST;
                }
                update.add(existing);
                continue;
            }
            if (a.isIp4() != v.type.encapIp4()) {
                return VppErrors.INVALID_ADDRESS_FAMILY;
            }
            if (addresses.subList(0, n).contains(a)) {
                continue;
            }
            add.add(a);
        }
        for (int i : update) {
            As a = ass.at(i);
            a.used = true;
            a.weight = weight;
            if (flush) {
                a.flows = 0;
            }
        }
        for (Ip46 address : add) {
            As a = new As();
            a.address = address;
            a.used = true;
            a.vipIndex = vipIndex;
            a.weight = weight;
            int ai = ass.get(a);
            v.asIndexes.get(ai);
            a.fibKey = new FakeFib.Key(!address.isIp4(), address, address.isIp4() ? 32 : 128);
            a.dpo = fib.add(a.fibKey, false).lbIndex;
            log.atInfo().setMessage("fake-lb-as-add").addKeyValue("vip", v.key()).addKeyValue("as", address)
                    .addKeyValue("weight", weight).log();
        }
        updateTable(v);
        collect(v);
        return 0;
    }

    /** {@code lb_vip_del_ass}: marks ASes removed (unknown address: -6, nothing changes). */
    int delAses(int vipIndex, List<Ip46> addresses, boolean flush) {
        Vip v = vips.at(vipIndex);
        if (v == null || !v.used) {
            return VppErrors.NO_SUCH_ENTRY;
        }
        List<Integer> found = new ArrayList<>();
        for (int n = addresses.size() - 1; n >= 0; n--) {
            int ai = findAs(v, vipIndex, addresses.get(n));
            if (ai < 0) {
                return VppErrors.NO_SUCH_ENTRY;
            }
            if (!found.contains(ai)) {
                found.add(ai);
            }
        }
        collect(v);
        long t = now();
        for (int ai : found) {
            As a = ass.at(ai);
            a.used = false;
            a.lastUsed = t;
            if (flush) {
                a.flows = 0;
            }
            log.atInfo().setMessage("fake-lb-as-del").addKeyValue("vip", v.key()).addKeyValue("as", a.address)
                    .addKeyValue("flush", flush).log();
        }
        updateTable(v);
        return 0;
    }

    /** {@code lb_vip_set_as_weight}: -6 unless the AS exists and is in use. */
    int setWeight(int vipIndex, Ip46 address, int weight, boolean flush) {
        Vip v = vips.at(vipIndex);
        if (v == null || !v.used) {
            return VppErrors.NO_SUCH_ENTRY;
        }
        int ai = findAs(v, vipIndex, address);
        if (ai < 0 || !ass.at(ai).used) {
            return VppErrors.NO_SUCH_ENTRY;
        }
        As a = ass.at(ai);
        a.weight = weight;
        if (flush) {
            a.flows = 0;
        }
        updateTable(v);
        log.atInfo().setMessage("fake-lb-as-weight").addKeyValue("vip", v.key()).addKeyValue("as", address)
                .addKeyValue("weight", weight).addKeyValue("flush", flush).log();
        return 0;
    }

    /** {@code lb_flush_vip_as(vip, ~0)}: evicts the VIP's sticky flows. */
    void flushVip(int vipIndex) {
        Vip v = vips.at(vipIndex);
        if (v != null) {
            v.asIndexes.forEachIndex(slot -> ass.at(v.asIndexes.at(slot)).flows = 0);
        }
    }

    private void updateTable(Vip v) {
        List<Maglev.Member> members = new ArrayList<>();
        v.asIndexes.forEachIndex(slot -> {
            int ai = v.asIndexes.at(slot);
            As a = ass.at(ai);
            if (a.used) {
                members.add(new Maglev.Member(ai, a.address, a.weight));
            }
        });
        v.table = Maglev.table(members, v.mask + 1);
    }

    /** Whether a new flow to {@code v} would find an AS (some bucket maps to a live AS with weight). */
    boolean hasServer(Vip v) {
        for (int b : v.table) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    int buckets(Vip v, int asIndex) {
        int n = 0;
        for (int b : v.table) {
            if (b == asIndex) {
                n++;
            }
        }
        return n;
    }

    // ---- garbage collection -------------------------------------------------------------------

    /** {@code lb_vip_garbage_collection}: at most every 60 s per VIP. */
    private void collect(Vip v) {
        long t = now();
        if (!(t > v.lastGc + GARBAGE_RUN_S)) {
            return;
        }
        v.lastGc = t;
        for (int slot : v.asIndexes.indexes()) {
            int ai = v.asIndexes.at(slot);
            As a = ass.at(ai);
            if (!a.used && t > a.lastUsed + CONCURRENCY_TIMEOUT_S && a.flows == 0) {
                fib.remove(a.fibKey, false);
                v.asIndexes.put(slot);
                ass.put(ai);
                log.atInfo().setMessage("fake-lb-as-collected").addKeyValue("as", a.address).log();
            }
        }
    }

    /** {@code lb_garbage_collection}: collect every VIP, then free removed VIPs without ASes. */
    void collectGarbage() {
        List<Integer> gone = new ArrayList<>();
        for (int i : vips.indexes()) {
            Vip v = vips.at(i);
            collect(v);
            if (!v.used && v.asIndexes.elts() == 0) {
                gone.add(i);
            }
        }
        for (int i : gone) {
            vips.put(i);
            log.atInfo().setMessage("fake-lb-vip-collected").addKeyValue("index", i).log();
        }
    }

    // ---- dumps --------------------------------------------------------------------------------

    /** {@code lb_vip_dump}: every used VIP but the placeholder, in pool order. */
    List<LbVipDetails> vipDetails() {
        List<LbVipDetails> out = new ArrayList<>();
        for (int i : vips.indexes()) {
            Vip v = vips.at(i);
            if (i == 0 || !v.used) {
                continue;
            }
            int tp = v.type.nat() ? Short.toUnsignedInt(Short.reverseBytes((short) v.targetPort)) : 0;
            out.add(new LbVipDetails(v.key(), v.type.apiEncap(), v.encapByte0, v.encapByte0 << 24, tp,
                    (v.mask + 1) & 0xffff));
        }
        return out;
    }

    /**
     * The VIPs {@code lb_as_v2_dump} / {@code lb_as_dump} walk: all of them (placeholder and
     * removed ones included) when the filter's address union is all zero; else those whose
     * internal ip46 equals the raw union bytes (so an IPv4 filter, whose bytes sit at 0..3 instead
     * of 12..15, matches nothing) with equal protocol and port.
     *
     * @param union    the filter's 16-byte address union as sent
     * @param protocol the filter's protocol as sent
     * @param port     the filter's port as the handler compares it
     */
    List<Vip> asDumpVips(Ip46 union, int protocol, int port) {
        boolean all = union.hi() == 0 && union.lo() == 0;
        List<Vip> out = new ArrayList<>();
        for (int i : vips.indexes()) {
            Vip v = vips.at(i);
            if (all || (union.equals(v.prefix) && protocol == v.protocol && port == v.port)) {
                out.add(v);
            }
        }
        return out;
    }

    /** {@link #asDumpVips(Ip46, int, int)} for a typed filter, as the 26.10 handlers compare it. */
    List<Vip> asDumpVips(LbVip filter) {
        AddressUnion u = AddressUnion.of(filter.pfx().address());
        return asDumpVips(new Ip46(u.hi(), u.lo()), filter.protocol(), filter.port());
    }

    /** The 26.10 {@code lb_as_v2_details} of {@code vips}' ASes, placeholder AS left out. */
    List<LbAsV2Details> asV2Details(List<Vip> vips) {
        List<LbAsV2Details> out = new ArrayList<>();
        for (Vip v : vips) {
            for (int slot : v.asIndexes.indexes()) {
                int ai = v.asIndexes.at(slot);
                if (ai == 0) {
                    continue;
                }
                As a = ass.at(ai);
                out.add(new LbAsV2Details(v.key(), a.address.toInet(), a.used ? 1 : 0, (int) a.lastUsed, a.weight & 0xff,
                        buckets(v, ai)));
            }
        }
        return out;
    }

    List<LbAsV2Details> asV2Details(LbVip filter) {
        return asV2Details(asDumpVips(filter));
    }

    /** The 26.10 {@code lb_as_details} of {@code vips}' ASes. */
    List<LbAsDetails> asDetails(List<Vip> vips) {
        List<LbAsDetails> out = new ArrayList<>();
        for (LbAsV2Details d : asV2Details(vips)) {
            out.add(new LbAsDetails(d.vip(), d.appSrv(), d.flags(), d.inUseSince()));
        }
        return out;
    }

    /** {@code ip_route_lookup} in table 0 over the VIP routes. */
    IpRoute route(FakeFib.Entry e) {
        FakeFib.Key k = e.key;
        FibPath path = new FibPath(-1, 0, 0, 1, 0, 0, 0, k.ip6() ? 1 : 0, FibPathNh.ZERO, 0, FibPath.emptyLabelStack());
        return new IpRoute(0, e.lbIndex, new Prefix(k.address().toInet(), k.len()), List.of(path));
    }

    FakeFib fib() {
        return fib;
    }

    // ---- CLI text (lb.c format_lb_main / format_lb_vip / format_lb_vip_detailed) --------------

    String showLb() {
        StringBuilder sb = new StringBuilder();
        sb.append("lb_main ip4-src-address: ").append(IpFormat.format(ip4Src)).append(" \n");
        sb.append(" ip6-src-address: ").append(IpFormat.format(ip6Src)).append(" \n");
        sb.append(" #vips: ").append(vips.elts()).append('\n');
        sb.append(" #ass: ").append(ass.elts() - 1).append('\n');
        if (stickyUsage >= 0) {
            sb.append("core 0\n  timeout: ").append(flowTimeout).append("s\n  usage: ").append(stickyUsage)
                    .append(" / ").append(Integer.toUnsignedLong(stickyBucketsPerCore) + 3).append('\n');
        }
        return sb.toString();
    }

    String showVips(boolean verbose) {
        StringBuilder sb = new StringBuilder();
        for (int i : vips.indexes()) {
            if (i == 0) {
                continue;
            }
            Vip v = vips.at(i);
            if (verbose) {
                detailed(sb, i, v);
            } else {
                brief(sb, v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private void brief(StringBuilder sb, Vip v) {
        sb.append(v.type.text).append(' ').append(v.textPrefix()).append(" new_size:").append(v.mask + 1)
                .append(" #as:").append(v.asIndexes.elts()).append(v.used ? "" : " removed");
        if (v.port != 0) {
            sb.append("  protocol:").append(v.protocol).append(" port:").append(v.port).append(' ');
        }
        if (v.type == VipType.IP4_L3DSR) {
            sb.append("  dscp:").append(v.encapByte0);
        } else if (v.type.nat()) {
            sb.append(" type:").append(v.encapByte0 == 0 ? "clusterip" : "nodeport").append(" port:")
                    .append(swap16(v.port)).append(" target_port:").append(v.targetPort);
        }
    }

    private void detailed(StringBuilder sb, int index, Vip v) {
        sb.append(' ').append(v.type.text).append(" [").append(index).append("] ").append(v.textPrefix())
                .append(v.srcIpSticky ? " src_ip_sticky" : "").append(v.used ? "" : " removed").append('\n');
        sb.append("  new_size:").append(v.mask + 1).append('\n');
        if (v.port != 0) {
            sb.append("  protocol:").append(v.protocol).append(" port:").append(v.port).append('\n');
        }
        if (v.type == VipType.IP4_L3DSR) {
            sb.append("  dscp:").append(v.encapByte0).append('\n');
        } else if (v.type.nat()) {
            sb.append("  type:").append(v.encapByte0 == 0 ? "clusterip" : "nodeport").append(" port:")
                    .append(swap16(v.port)).append(" target_port:").append(v.targetPort);
        }
        sb.append("  counters:\n");
        for (int c = 0; c < COUNTER_NAMES.length; c++) {
            sb.append("    ").append(COUNTER_NAMES[c]).append(": ").append(Long.toUnsignedString(v.counters[c]))
                    .append('\n');
        }
        sb.append("  #as:").append(v.asIndexes.elts()).append('\n');
        for (int slot : v.asIndexes.indexes()) {
            int ai = v.asIndexes.at(slot);
            As a = ass.at(ai);
            if (old) { // "%U    %U %u buckets   %Lu flows  dpo:%u %s\n" (lb.c before 26.10)
                sb.append("    ").append(a.address).append(' ').append(buckets(v, ai)).append(" buckets   ")
                        .append(a.flows).append(" flows  dpo:").append(a.dpo).append(a.used ? " used" : "  removed")
                        .append('\n');
                continue;
            }
            sb.append("    ").append(a.address).append(" weight:").append(a.weight).append(" buckets:")
                    .append(buckets(v, ai)).append(" flows:").append(a.flows).append(" dpo:").append(a.dpo)
                    .append(a.used ? " used" : "  removed").append('\n');
        }
    }

    private static int swap16(int x) {
        return ((x & 0xff) << 8) | ((x >> 8) & 0xff);
    }
}
