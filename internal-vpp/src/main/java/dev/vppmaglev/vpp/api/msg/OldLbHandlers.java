package dev.vppmaglev.vpp.api.msg;

import dev.vppmaglev.vpp.api.wire.MessageType;
import dev.vppmaglev.vpp.api.wire.WireReader;
import dev.vppmaglev.vpp.api.wire.WireWriter;

import static dev.vppmaglev.vpp.api.wire.Layout.CLIENT_INDEX_CONTEXT;

/**
 * The lb requests as the handlers of a VPP older than 26.10 read them: lb API 1.1.0, every release
 * up to 26.06 ({@code db44addb^:src/plugins/lb/api.c}; vpp-wire.md §3.6). Such a VPP has no
 * {@code lb_conf_get} (it came with the handler fixes in one commit), which is how
 * {@code LbCapability.oldHandlers} recognises it. Same names, CRCs and layouts as
 * {@link Messages}; the records carry the plain values, and these codecs write them the way the
 * old handlers understand them:
 * <ul>
 *   <li><b>VIP prefix</b>: the old handlers use {@code pfx.len} as VPP's internal ip46 length, so
 *       an IPv4 VIP {@code a.b.c.d/len} goes out as {@link Prefix#ip46()} {@code ::a.b.c.d/(96 +
 *       len)}, with address family IPv6. {@code lb_add_del_vip(_v2)} and {@code lb_add_del_as}
 *       decode that ({@code ip_address_decode}) to exactly the ip46 address of the IPv4 VIP;
 *       {@code lb_flush_vip} copies the raw 16-byte address union, so only this form finds an
 *       IPv4 VIP there at all (an IPv4 address sits in union bytes 0..3, the ip46 address in
 *       12..15). IPv6 prefixes are sent as they are.</li>
 *   <li><b>encap</b> ({@code lb_add_del_vip(_v2)}): compared with the {@code lb_encap_type} values
 *       without {@code ntohl}, so it goes out in the byte order of a little-endian VPP host
 *       (x86-64, arm64): GRE6 = 1 as bytes {@code 01 00 00 00}. Sent in network order every encap
 *       but GRE4 (0) would match nothing and make an {@code ip6-gre6} VIP (IPv6 prefix) or fail
 *       -97 (IPv4 prefix).</li>
 * </ul>
 * The decoders are the inverse (what an old handler makes of a request, as plain values): a fake
 * VPP uses them to log what it received. The old handlers' answers need no codec of their own:
 * {@link LbVip} reads their ip46 VIP prefixes ({@link Prefix#ofIp46}); their {@code protocol}
 * ({@code (u8) htonl(p)}, 0) and {@code encap} (the internal VIP type) are not usable, see
 * {@code LbApi}.
 */
public final class OldLbHandlers {
    private OldLbHandlers() {}

    /** {@code lb_add_del_vip} with an ip46 VIP prefix and the encap in host order. */
    public static final MessageType<LbAddDelVip> LB_ADD_DEL_VIP = MessageType.of("lb_add_del_vip", "6fa569c7",
            CLIENT_INDEX_CONTEXT, LbAddDelVip.class, OldLbHandlers::encodeAddDelVip, OldLbHandlers::decodeAddDelVip);
    /** {@code lb_add_del_vip_v2} (VPP ≥ 23.02) with an ip46 VIP prefix and the encap in host order. */
    public static final MessageType<LbAddDelVipV2> LB_ADD_DEL_VIP_V2 = MessageType.of("lb_add_del_vip_v2", "7c520e0f",
            CLIENT_INDEX_CONTEXT, LbAddDelVipV2.class, OldLbHandlers::encodeAddDelVipV2,
            OldLbHandlers::decodeAddDelVipV2);
    /** {@code lb_add_del_as} with an ip46 VIP prefix. */
    public static final MessageType<LbAddDelAs> LB_ADD_DEL_AS = MessageType.of("lb_add_del_as", "35d72500",
            CLIENT_INDEX_CONTEXT, LbAddDelAs.class, OldLbHandlers::encodeAddDelAs, OldLbHandlers::decodeAddDelAs);
    /** {@code lb_flush_vip} with an ip46 VIP prefix (the only form the old handler can match). */
    public static final MessageType<LbVip> LB_FLUSH_VIP = MessageType.of("lb_flush_vip", "1063f819",
            CLIENT_INDEX_CONTEXT, LbVip.class, OldLbHandlers::encodeVip, OldLbHandlers::decodeVip);

    public static final Api.Call<LbAddDelVip, Retval> ADD_DEL_VIP = new Api.Call<>(LB_ADD_DEL_VIP,
            Messages.LB_ADD_DEL_VIP_REPLY);
    public static final Api.Call<LbAddDelVipV2, Retval> ADD_DEL_VIP_V2 = new Api.Call<>(LB_ADD_DEL_VIP_V2,
            Messages.LB_ADD_DEL_VIP_V2_REPLY);
    public static final Api.Call<LbAddDelAs, Retval> ADD_DEL_AS = new Api.Call<>(LB_ADD_DEL_AS,
            Messages.LB_ADD_DEL_AS_REPLY);
    public static final Api.Call<LbVip, Retval> FLUSH_VIP = new Api.Call<>(LB_FLUSH_VIP, Messages.LB_FLUSH_VIP_REPLY);

    /** The variant of request {@code name} (e.g. {@code lb_add_del_as}), or {@code null} when it has none. */
    public static MessageType<?> variantOf(String name) {
        return switch (name) {
            case "lb_add_del_vip" -> LB_ADD_DEL_VIP;
            case "lb_add_del_vip_v2" -> LB_ADD_DEL_VIP_V2;
            case "lb_add_del_as" -> LB_ADD_DEL_AS;
            case "lb_flush_vip" -> LB_FLUSH_VIP;
            default -> null;
        };
    }

    /** The u32 as a little-endian host reads the 4 wire bytes of {@code encap} (swapped). */
    private static int hostOrder(LbEncap encap) {
        return Integer.reverseBytes(encap.wire());
    }

    private static void encodePrefix(Prefix p, WireWriter w) {
        Prefix.encode(p.ip46(), w);
    }

    /** The plain prefix an old handler makes of the wire prefix: always the ip46 reading. */
    private static Prefix decodePrefix(WireReader r) {
        return Prefix.ofIp46(r.address(), r.u8());
    }

    private static void encodeAddDelVip(LbAddDelVip m, WireWriter w) {
        encodePrefix(m.pfx(), w);
        w.u8(m.protocol()).u16(m.port()).u32(hostOrder(m.encap())).u8(m.dscp()).u32(m.type().wire())
                .u16(m.targetPort()).u16(m.nodePort()).u32(m.newFlowsTableLength()).bool(m.isDel());
    }

    private static LbAddDelVip decodeAddDelVip(WireReader r) {
        return new LbAddDelVip(decodePrefix(r), r.u8(), r.u16(), LbEncap.ofWire(Integer.reverseBytes(r.u32())), r.u8(),
                LbSrvType.ofWire(r.u32()), r.u16(), r.u16(), r.u32(), r.bool());
    }

    private static void encodeAddDelVipV2(LbAddDelVipV2 m, WireWriter w) {
        encodePrefix(m.pfx(), w);
        w.u8(m.protocol()).u16(m.port()).u32(hostOrder(m.encap())).u8(m.dscp()).u32(m.type().wire())
                .u16(m.targetPort()).u16(m.nodePort()).u32(m.newFlowsTableLength()).bool(m.srcIpSticky())
                .bool(m.isDel());
    }

    private static LbAddDelVipV2 decodeAddDelVipV2(WireReader r) {
        return new LbAddDelVipV2(decodePrefix(r), r.u8(), r.u16(), LbEncap.ofWire(Integer.reverseBytes(r.u32())),
                r.u8(), LbSrvType.ofWire(r.u32()), r.u16(), r.u16(), r.u32(), r.bool(), r.bool());
    }

    private static void encodeAddDelAs(LbAddDelAs m, WireWriter w) {
        encodePrefix(m.pfx(), w);
        w.u8(m.protocol()).u16(m.port()).address(m.asAddress()).bool(m.isDel()).bool(m.isFlush());
    }

    private static LbAddDelAs decodeAddDelAs(WireReader r) {
        return new LbAddDelAs(decodePrefix(r), r.u8(), r.u16(), r.address(), r.bool(), r.bool());
    }

    private static void encodeVip(LbVip v, WireWriter w) {
        encodePrefix(v.pfx(), w);
        w.u8(v.protocol()).u16(v.port());
    }

    private static LbVip decodeVip(WireReader r) {
        return new LbVip(decodePrefix(r), r.u8(), r.u16());
    }
}
