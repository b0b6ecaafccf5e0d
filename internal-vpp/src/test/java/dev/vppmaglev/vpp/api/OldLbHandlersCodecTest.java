package dev.vppmaglev.vpp.api;

import dev.vppmaglev.vpp.api.msg.LbAddDelAs;
import dev.vppmaglev.vpp.api.msg.LbAddDelVipV2;
import dev.vppmaglev.vpp.api.msg.LbAsDetails;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbSrvType;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.msg.OldLbHandlers;
import dev.vppmaglev.vpp.api.msg.Prefix;
import dev.vppmaglev.vpp.api.wire.MessageType;
import dev.vppmaglev.vpp.api.wire.WireWriter;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pre-26.10 lb handlers' dialect (vpp-wire.md §3.6, {@code db44addb^:src/plugins/lb/api.c}):
 * the bytes {@link OldLbHandlers} puts on the wire, and the old answers the normal codec reads.
 */
class OldLbHandlersCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static <T> byte[] body(MessageType<T> type, T msg) {
        ByteBuffer f = type.encodeFrame(77, 0x80000001, 5, msg);
        byte[] b = new byte[f.remaining() - MessageType.FRAME_HEADER_BYTES];
        f.get(MessageType.FRAME_HEADER_BYTES, b);
        return b;
    }

    private static String hex(byte[] b, int from, int to) {
        return HEX.formatHex(Arrays.copyOfRange(b, from, to));
    }

    private static LbAddDelVipV2 vip(String prefix, LbEncap encap) {
        return new LbAddDelVipV2(Prefix.parse(prefix), 6, 80, encap, 0, LbSrvType.CLUSTERIP, 0, 0, 1024, false, false);
    }

    @Test
    void anIpv4VipGoesOutAsTheIp46PrefixWithTheEncapInHostOrder() {
        byte[] old = body(OldLbHandlers.LB_ADD_DEL_VIP_V2, vip("192.0.2.1/32", LbEncap.GRE6));
        byte[] plain = body(Messages.LB_ADD_DEL_VIP_V2, vip("192.0.2.1/32", LbEncap.GRE6));
        assertThat(old).hasSize(50).hasSameSizeAs(plain);
        // pfx @10: af 1 (IPv6), ::c000:201, len 128 = 96 + 32
        assertThat(hex(old, 10, 28)).isEqualTo("01" + "000000000000000000000000c0000201" + "80");
        assertThat(hex(plain, 10, 28)).isEqualTo("00" + "c0000201000000000000000000000000" + "20");
        // encap @31: GRE6 = 1 as a little-endian VPP reads it without ntohl
        assertThat(hex(old, 31, 35)).isEqualTo("01000000");
        assertThat(hex(plain, 31, 35)).isEqualTo("00000001");
        // everything else is the same
        assertThat(Arrays.copyOfRange(old, 28, 31)).isEqualTo(Arrays.copyOfRange(plain, 28, 31));
        assertThat(Arrays.copyOfRange(old, 35, 50)).isEqualTo(Arrays.copyOfRange(plain, 35, 50));
    }

    @Test
    void ipv6VipsKeepTheirPrefixAndGre4IsZeroEitherWay() {
        byte[] old = body(OldLbHandlers.LB_ADD_DEL_VIP_V2, vip("2001:db8::1/128", LbEncap.GRE4));
        byte[] plain = body(Messages.LB_ADD_DEL_VIP_V2, vip("2001:db8::1/128", LbEncap.GRE4));
        assertThat(old).isEqualTo(plain);
        byte[] nat6 = body(OldLbHandlers.LB_ADD_DEL_VIP_V2, vip("2001:db8::1/128", LbEncap.NAT6));
        assertThat(hex(nat6, 31, 35)).isEqualTo("04000000");
    }

    @Test
    void asAndFlushRequestsCarryTheIp46PrefixToo() throws Exception {
        InetAddress as = InetAddress.getByName("10.0.0.1");
        byte[] add = body(OldLbHandlers.LB_ADD_DEL_AS,
                new LbAddDelAs(Prefix.parse("192.0.2.0/24"), 17, 53, as, true, true));
        assertThat(hex(add, 10, 31)).isEqualTo("01" + "000000000000000000000000c0000200" + "78" + "11" + "0035");
        assertThat(hex(add, 31, 50)).isEqualTo("00" + "0a000001000000000000000000000000" + "01" + "01");
        // lb_flush_vip copies the union raw: the IPv4 VIP is found only as ::c000:201 (bytes 12..15)
        byte[] flush = body(OldLbHandlers.LB_FLUSH_VIP, LbVip.host(InetAddress.getByName("192.0.2.1"), 6, 80));
        assertThat(hex(flush, 10, 31)).isEqualTo("01" + "000000000000000000000000c0000201" + "80" + "06" + "0050");
    }

    @Test
    void theDecodersGiveBackWhatTheOldHandlerUnderstands() {
        LbAddDelVipV2 sent = vip("192.0.2.0/24", LbEncap.L3DSR);
        assertThat(OldLbHandlers.LB_ADD_DEL_VIP_V2.decodeBody(ByteBuffer.wrap(body(OldLbHandlers.LB_ADD_DEL_VIP_V2,
                sent)))).isEqualTo(sent);
        // a request in the 26.10 form means ::c000:201/32 to an old handler
        LbAddDelVipV2 naive = OldLbHandlers.LB_ADD_DEL_VIP_V2.decodeBody(ByteBuffer.wrap(
                body(Messages.LB_ADD_DEL_VIP_V2, vip("192.0.2.1/32", LbEncap.GRE4))));
        assertThat(naive.pfx().toString()).isEqualTo("::c000:201/32");
    }

    @Test
    void ip46PrefixesConvertBothWays() throws Exception {
        assertThat(Prefix.parse("192.0.2.1/32").ip46().toString()).isEqualTo("::c000:201/128");
        assertThat(Prefix.parse("192.0.2.1/32").ip46().address()).isInstanceOf(Inet6Address.class);
        assertThat(Prefix.parse("2001:db8::/64").ip46()).isEqualTo(Prefix.parse("2001:db8::/64"));
        InetAddress v4 = InetAddress.getByName("192.0.2.1");
        assertThat(Prefix.ofIp46(v4, 128)).isEqualTo(Prefix.parse("192.0.2.1/32"));
        assertThat(Prefix.ofIp46(v4, 120)).isEqualTo(Prefix.parse("192.0.2.1/24"));
        assertThat(Prefix.ofIp46(Prefix.parse("192.0.2.1/32").ip46().address(), 128))
                .isEqualTo(Prefix.parse("192.0.2.1/32"));
        assertThat(Prefix.ofIp46(InetAddress.getByName("0.0.0.0"), 32)).isEqualTo(Prefix.parse("::/32"));
        assertThat(Prefix.ofIp46(InetAddress.getByName("2001:db8::1"), 128)).isEqualTo(Prefix.parse("2001:db8::1/128"));
        assertThatThrownBy(() -> Prefix.ofIp46(v4, 129)).isInstanceOf(VppProtocolException.class)
                .hasMessageContaining("129");
    }

    /** {@code send_lb_as_details} of an old VPP: ip46 length, {@code (u8) htonl(6)} = 0. */
    @Test
    void oldAsDetailsReadAsPlainVipPrefixesWithProtocolZero() throws Exception {
        WireWriter w = new WireWriter(64);
        w.u16(99).u32(5); // details header
        w.u8(0).bytes(InetAddress.getByName("192.0.2.1").getAddress()).zeros(12).u8(128).u8(0).u16(80);
        w.address(InetAddress.getByName("10.0.0.1")).u8(1).u32(0);
        LbAsDetails d = Messages.LB_AS_DETAILS.decodeBody(w.toBuffer());
        assertThat(d.vip()).isEqualTo(new LbVip(Prefix.parse("192.0.2.1/32"), 0, 80));
        assertThat(d.appSrv()).isEqualTo(InetAddress.getByName("10.0.0.1"));

        WireWriter junk = new WireWriter(64); // the ::/32 VIP an old VPP made of 192.0.2.1/32
        junk.u16(99).u32(5).u8(0).zeros(16).u8(32).u8(0).u16(80).address(InetAddress.getByName("10.0.0.1")).u8(1).u32(0);
        assertThat(Messages.LB_AS_DETAILS.decodeBody(junk.toBuffer()).vip().pfx()).isEqualTo(Prefix.parse("0.0.0.0/32"));

        WireWriter bad = new WireWriter(64);
        bad.u16(99).u32(5).u8(0).zeros(16).u8(200).u8(0).u16(80).address(InetAddress.getByName("10.0.0.1")).u8(1).u32(0);
        assertThatThrownBy(() -> Messages.LB_AS_DETAILS.decodeBody(bad.toBuffer()))
                .isInstanceOf(VppProtocolException.class).hasMessageContaining("200");
    }
}
