package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.VppErrors;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.wire.MessageType;
import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The lb plugin's API handlers (VPP src/plugins/lb/api.c) in both generations, over the request
 * bytes: the handlers of VPP 26.10 ("lb: API bugfix", db44addb) and the older ones of every VPP up
 * to 26.06 ({@code db44addb^}; vpp-wire.md §3.5, §3.6). A request is read field by field the way
 * the C handler reads its struct, not through the client's records, so what those records
 * cannot hold (an IPv4 VIP prefix of length 128, an encap of {@code 0x01000000}, an address
 * family the client never sends) is handled as VPP handles it. VPP's host is little-endian
 * (x86-64): a field read "without ntohl" is the byte-swapped wire value.
 *
 * <p>What the old handlers do differently:
 * <ul>
 *   <li>{@code pfx.len} of a VIP is used as the ip46 length, without the +96 for IPv4: an IPv4
 *       VIP sent as {@code 192.0.2.1/32} becomes {@code ::/32} (ip46 {@code ::c000:201}
 *       normalised to 32 bits), an IPv6 VIP of type {@code ip6-gre*} — and the VIP the client
 *       meant is never found;</li>
 *   <li>{@code encap} is compared without {@code ntohl}: sent in network order only GRE4 (0)
 *       matches, anything else leaves the type 0 ({@code ip6-gre6}, or -97 for an IPv4
 *       prefix);</li>
 *   <li>{@code lb_flush_vip} copies the 16-byte address union as it is (an IPv4 address in bytes
 *       0..3 is not the ip46 address of any IPv4 VIP) and uses {@code pfx.len} raw;</li>
 *   <li>{@code lb_as_dump} with a filter compares {@code port} without {@code ntohs};</li>
 *   <li>{@code lb_vip_dump} lists removed VIPs too, and its details carry the ip46 length,
 *       {@code protocol = (u8) htonl(p)} (0), {@code encap = htonl(internal VIP type)} and
 *       {@code flow_table_length = (u16) htonl(n)} (0 for 1024); {@code lb_as_details} carry the
 *       same VIP fields;</li>
 *   <li>{@code lb_add_del_vip} (v1) leaves {@code src_ip_sticky} uninitialised in VPP; here it
 *       is false (the fake has no stack garbage).</li>
 * </ul>
 * Neither generation checks anything but the message length before acting.
 */
final class FakeLbApi {
    /** Requests handled here (every other lb message has the same handler in both generations). */
    static final Set<String> NAMES = Set.of("lb_add_del_vip", "lb_add_del_vip_v2", "lb_add_del_as",
            "lb_add_del_as_v2", "lb_as_set_weight", "lb_flush_vip", "lb_as_dump", "lb_as_v2_dump");

    /** Where a handler puts its answers: typed, or written field by field. */
    interface Frames {
        <T> void add(MessageType<T> type, T msg);

        /** A frame of {@code type} whose payload (after the details/reply header) {@code payload} writes. */
        void addRaw(MessageType<?> type, Consumer<WireWriter> payload);
    }

    /** One lb request as its handler reads it. */
    sealed interface Request permits AddDelVip, AddDelAs, SetWeight, VipKey {}

    /**
     * {@code vl_api_lb_vip_t} (or the same three leading fields) as sent.
     *
     * @param af       {@code pfx.address.af}
     * @param union    {@code pfx.address.un}, the 16 bytes as they are
     * @param len      {@code pfx.len}
     * @param protocol {@code protocol}
     * @param port     {@code ntohs(port)}
     */
    record WireVip(int af, Ip46 union, int len, int protocol, int port) {
        static WireVip read(WireReader r) {
            int af = r.u8();
            Ip46 un = Ip46.ofBytes(r.bytes(16));
            return new WireVip(af, un, r.u8(), r.u8(), r.u16());
        }

        /** {@code ip_address_decode}: IPv4 from union bytes 0..3 into ip46 bytes 12..15. */
        Ip46 decoded() {
            return decode(af, union);
        }

        /** {@code port} as read without {@code ntohs}. */
        int rawPort() {
            return ((port & 0xff) << 8) | (port >>> 8);
        }
    }

    record AddDelVip(WireVip vip, int encap, int dscp, int srvType, int targetPort, int newLength, boolean srcIpSticky,
                     boolean isDel, boolean v2) implements Request {}

    record AddDelAs(WireVip vip, int asAf, Ip46 asUnion, int weight, boolean isDel, boolean isFlush, boolean v2)
            implements Request {}

    record SetWeight(WireVip vip, int asAf, Ip46 asUnion, int weight, boolean isFlush) implements Request {}

    /** {@code lb_flush_vip}, {@code lb_as_dump}, {@code lb_as_v2_dump}: only the VIP fields. */
    record VipKey(WireVip vip) implements Request {}

    private static Ip46 decode(int af, Ip46 union) {
        return af == 0 ? new Ip46(0, union.hi() >>> 32) : union;
    }

    /**
     * Reads request {@code type} ({@link #NAMES}) from its body as VPP's handler reads its struct.
     *
     * @throws dev.vppmaglev.vpp.api.VppProtocolException when the body is shorter than the
     *         message (VPP drops it)
     */
    static Request parse(MessageType<?> type, ByteBuffer body) {
        WireReader r = new WireReader(body, type.name());
        r.skip(type.layout().payloadOffset());
        WireVip vip = WireVip.read(r);
        return switch (type.name()) {
            case "lb_add_del_vip", "lb_add_del_vip_v2" -> {
                boolean v2 = type.name().endsWith("v2");
                int encap = r.u32();
                int dscp = r.u8();
                int srvType = r.u32();
                int targetPort = r.u16();
                r.u16(); // node_port: never read by VPP
                int newLength = r.u32();
                boolean sticky = v2 && r.bool();
                yield new AddDelVip(vip, encap, dscp, srvType, targetPort, newLength, sticky, r.bool(), v2);
            }
            case "lb_add_del_as", "lb_add_del_as_v2" -> {
                boolean v2 = type.name().endsWith("v2");
                int af = r.u8();
                Ip46 un = Ip46.ofBytes(r.bytes(16));
                int weight = v2 ? r.u8() : 100;
                yield new AddDelAs(vip, af, un, weight, r.bool(), r.bool(), v2);
            }
            case "lb_as_set_weight" -> {
                int af = r.u8();
                Ip46 un = Ip46.ofBytes(r.bytes(16));
                yield new SetWeight(vip, af, un, r.u8(), r.bool());
            }
            default -> new VipKey(vip);
        };
    }

    private final FakeLbPlugin lb;
    private final boolean old;

    /**
     * @param lb  the plugin's state
     * @param old the pre-26.10 handlers
     */
    FakeLbApi(FakeLbPlugin lb, boolean old) {
        this.lb = lb;
        this.old = old;
    }

    /** The VIP's ip46 length as the handler computes it: +96 for an IPv4 address (26.10), or raw. */
    private int plen(WireVip v) {
        return old ? v.len() : (v.len() + (v.af() == 0 ? 96 : 0)) & 0xff;
    }

    /** {@code lb_vip_find_index} after the handlers' prologue (port 0 forces protocol 255). */
    private int findVip(WireVip v, Ip46 prefix, int plen) {
        return lb.findVip(prefix.mask(plen), plen, v.port() == 0 ? 255 : v.protocol(), v.port());
    }

    /** {@code lb_add_del_vip} / {@code lb_add_del_vip_v2}. */
    int addDelVip(AddDelVip m) {
        WireVip v = m.vip();
        int proto = v.port() == 0 ? 255 : v.protocol();
        Ip46 p = v.decoded();
        int plen = plen(v);
        if (m.isDel()) {
            int vip = findVip(v, p, plen);
            return vip < 0 ? VppErrors.NO_SUCH_ENTRY : lb.delVip(vip);
        }
        int encap = old ? Integer.reverseBytes(m.encap()) : m.encap();
        boolean ip4 = plen >= 96 && p.isIp4(); // ip46_prefix_is_ip4
        VipType type = VipType.fromApi(ip4, encap);
        int byte0 = 0;
        int target = 0;
        if (encap == 2) {
            byte0 = m.dscp() & 0x3f;
        } else if (encap == 3 || encap == 4) {
            byte0 = (m.srvType() >>> 24) & 0xff; // read without ntohl into a u8: the first wire byte
            target = m.targetPort();
        }
        return lb.addVip(p, plen, proto, v.port(), type, m.newLength(), m.srcIpSticky(), byte0, target).retval();
    }

    /** {@code lb_add_del_as} (weight 100, no flush on add) / {@code lb_add_del_as_v2}. */
    int addDelAs(AddDelAs m) {
        int vip = findVip(m.vip(), m.vip().decoded(), plen(m.vip()));
        if (vip < 0) {
            return VppErrors.NO_SUCH_ENTRY;
        }
        List<Ip46> one = List.of(decode(m.asAf(), m.asUnion()));
        return m.isDel() ? lb.delAses(vip, one, m.isFlush())
                : lb.addAses(vip, one, m.weight(), m.v2() && m.isFlush());
    }

    /** {@code lb_as_set_weight} (26.10 only). */
    int setWeight(SetWeight m) {
        int vip = findVip(m.vip(), m.vip().decoded(), plen(m.vip()));
        return vip < 0 ? VppErrors.NO_SUCH_ENTRY
                : lb.setWeight(vip, decode(m.asAf(), m.asUnion()), m.weight(), m.isFlush());
    }

    /**
     * {@code lb_flush_vip}: answers 0 in any case (VPP overwrites the lookup's retval). The old
     * handler takes the address union as it is and the length raw.
     */
    void flushVip(VipKey m) {
        WireVip v = m.vip();
        int vip = old ? findVip(v, v.union(), v.len()) : findVip(v, v.decoded(), plen(v));
        if (vip >= 0) {
            lb.flushVip(vip);
        }
    }

    /** {@code lb_vip_dump}: details of every VIP but the placeholder (26.10: live ones only). */
    void vipDump(Frames out) {
        if (!old) {
            lb.vipDetails().forEach(d -> out.add(Messages.LB_VIP_DETAILS, d));
            return;
        }
        for (int i : lb.vips.indexes()) {
            if (i == 0) {
                continue;
            }
            FakeLbPlugin.Vip v = lb.vips.at(i);
            int tp = v.type.nat() ? swap16(v.targetPort) : 0;
            out.addRaw(Messages.LB_VIP_DETAILS, w -> {
                writeOldVip(w, v);
                w.u32(v.type.ordinal()) // htonl (vip->type): the internal type, not an lb_encap_type
                        .u8(v.encapByte0).u32(v.encapByte0 << 24).u16(tp)
                        .u16(((v.mask + 1) >>> 16) & 0xffff); // (u16) htonl (n) on a little-endian host
            });
        }
    }

    /**
     * {@code lb_as_dump} / {@code lb_as_v2_dump}: every VIP (placeholder and removed ones
     * included) when the filter's address union is zero, else those equal to it, the protocol
     * and the port ({@code ntohs}'d in 26.10, raw before); per VIP its ASes but the placeholder.
     */
    void asDump(VipKey filter, boolean v2, Frames out) {
        WireVip f = filter.vip();
        List<FakeLbPlugin.Vip> vips = lb.asDumpVips(f.union(), f.protocol(), old ? f.rawPort() : f.port());
        if (v2) {
            lb.asV2Details(vips).forEach(d -> out.add(Messages.LB_AS_V2_DETAILS, d));
        } else if (!old) {
            lb.asDetails(vips).forEach(d -> out.add(Messages.LB_AS_DETAILS, d));
        } else {
            for (FakeLbPlugin.Vip v : vips) {
                for (int slot : v.asIndexes.indexes()) {
                    int ai = v.asIndexes.at(slot);
                    if (ai == 0) {
                        continue;
                    }
                    FakeLbPlugin.As a = lb.ass.at(ai);
                    out.addRaw(Messages.LB_AS_DETAILS, w -> {
                        writeOldVip(w, v);
                        writeAddress(w, a.address);
                        w.u8(a.used ? 1 : 0).u32((int) a.lastUsed);
                    });
                }
            }
        }
    }

    /** The old handlers' {@code vl_api_lb_vip_t}: ip46 prefix with its raw length, protocol {@code (u8) htonl}. */
    private static void writeOldVip(WireWriter w, FakeLbPlugin.Vip v) {
        writeAddress(w, v.prefix);
        w.u8(v.plen).u8(Integer.reverseBytes(v.protocol) & 0xff).u16(v.port);
    }

    /** {@code ip_address_encode (a, IP46_TYPE_ANY)}: IPv4 (af 0, bytes 0..3) when the ip46 address has the IPv4 form. */
    private static void writeAddress(WireWriter w, Ip46 a) {
        if (a.isIp4()) {
            w.u8(0).u32((int) a.lo()).zeros(12);
        } else {
            w.u8(1).bytes(a.bytes());
        }
    }

    private static int swap16(int x) {
        return ((x & 0xff) << 8) | ((x >> 8) & 0xff);
    }
}
