package dev.vppmaglev.vpp.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.vppmaglev.vpp.api.msg.AddressUnion;
import dev.vppmaglev.vpp.api.msg.ControlPingReply;
import dev.vppmaglev.vpp.api.msg.LbAsV2Details;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbSrvType;
import dev.vppmaglev.vpp.api.msg.LbVipDetails;
import dev.vppmaglev.vpp.api.msg.MessageTableEntry;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.msg.Prefix;
import dev.vppmaglev.vpp.api.msg.SockclntCreateReply;
import dev.vppmaglev.vpp.api.wire.Layout;
import dev.vppmaglev.vpp.api.wire.MessageType;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The codec against frames captured from a real VPP (testdata/golden/api): every {@code tx}
 * frame re-encodes to the captured bytes, every {@code rx} frame decodes to the values of its
 * {@code decoded} field and re-encodes to the captured body, and the handshake reply yields the
 * 850-entry message table.
 */
class GoldenCodecTest {

    @Test
    void everyCapturedRequestReencodesToTheCapturedBytes() {
        int checked = 0;
        for (Golden.Frame f : Golden.allFrames()) {
            if (!f.tx() || f.msg().startsWith("?")) {
                continue;
            }
            MessageType<?> t = Messages.byNameCrc(f.msg());
            assertThat(t).as("catalogue has " + f.msg()).isNotNull();
            if (f.note().startsWith("truncated")) {
                assertThatThrownBy(() -> t.decodeBody(f.body())).isInstanceOf(VppProtocolException.class)
                        .hasMessageContaining("truncated");
                continue;
            }
            assertThat(reencode(t, f)).as(f.step() + " " + f.msg()).isEqualTo(f.bytes());
            checked++;
        }
        assertThat(checked).as("captured requests").isEqualTo(135);
    }

    @Test
    void everyCapturedReplyDecodesToTheGoldenValuesAndReencodesToTheSameBody() {
        int checked = 0;
        for (Golden.Frame f : Golden.allFrames()) {
            if (f.tx()) {
                continue;
            }
            MessageType<?> t = Messages.byNameCrc(f.msg());
            assertThat(t).as("catalogue has " + f.msg()).isNotNull();
            Object decoded = t.decodeBody(f.body());
            if (f.decoded() != null && t != Messages.SOCKCLNT_CREATE_REPLY) {
                JsonObject want = f.decoded().deepCopy();
                want.remove("_vl_msg_id");
                want.remove("context");
                if (t.layout() == Layout.CLIENT_INDEX_CONTEXT) {
                    want.remove("client_index");
                }
                assertThat(toJson(decoded)).as(f.step() + " " + f.msg()).isEqualTo(want);
            }
            byte[] ours = reencode(t, f);
            assertThat(java.util.Arrays.copyOfRange(ours, 8, ours.length))
                    .as(f.step() + " " + f.msg() + " body").isEqualTo(java.util.Arrays.copyOfRange(f.bytes(), 8, f.bytes().length));
            checked++;
        }
        assertThat(checked).as("captured replies").isEqualTo(184);
    }

    @Test
    void goldenValuesTheReadmeListsDecodeAsDocumented() {
        List<Golden.Frame> b = Golden.transcript("b-lb-programming");
        ControlPingReply ping = (ControlPingReply) decodeFirst("a2", Messages.CONTROL_PING_REPLY,
                Golden.transcript("a-handshake"));
        assertThat(ping.vpePid()).isEqualTo(6030);
        assertThat(ping.clientIndex()).isEqualTo(0x80000001);

        List<LbVipDetails> vips = b.stream().filter(f -> f.step().equals("b16-vip-dump") && !f.tx()
                && f.msg().startsWith("lb_vip_details")).map(f -> Messages.LB_VIP_DETAILS.decodeBody(f.body())).toList();
        assertThat(vips).extracting(v -> v.vip().toString()).containsExactly("192.0.2.1/32 tcp 80", "192.0.2.2/32 udp 53",
                "2001:db8::1/128 tcp 443", "192.0.2.3/32 any 0");
        assertThat(vips).extracting(LbVipDetails::encap).containsExactly(LbEncap.GRE4, LbEncap.GRE4, LbEncap.GRE6,
                LbEncap.GRE4);
        assertThat(vips).extracting(LbVipDetails::flowTableLength).containsOnly(1024);

        List<LbAsV2Details> after = b.stream().filter(f -> f.step().equals("b31-as-v2-dump-after-deletes") && !f.tx()
                && f.msg().startsWith("lb_as_v2_details")).map(f -> Messages.LB_AS_V2_DETAILS.decodeBody(f.body())).toList();
        assertThat(after).hasSize(5);
        LbAsV2Details removed = after.get(2);
        assertThat(removed.appSrv().getHostAddress()).isEqualTo("10.1.0.10");
        assertThat(removed.used()).isFalse();
        assertThat(removed.inUseSince()).isEqualTo(2);
        assertThat(removed.numBuckets()).isZero();

        List<LbVipDetails> d = Golden.transcript("d-lb-encap-variants").stream()
                .filter(f -> f.step().equals("d24-vip-dump") && f.msg().startsWith("lb_vip_details"))
                .map(f -> Messages.LB_VIP_DETAILS.decodeBody(f.body())).toList();
        assertThat(d).hasSize(13);
        assertThat(d.get(0).srvType()).as("l3dsr dscp 10 in srv_type's first byte").isEqualTo(167772160);
        assertThat(d.get(2).targetPort()).as("nat4 target 8080 byte-swapped").isEqualTo(36895);
        assertThat(d.get(9).flowTableLength()).as("65536 as u16").isZero();
    }

    @Test
    void handshakeReplyCarriesThe850EntryMessageTable() {
        Map<String, Integer> expected = Golden.messageTable();
        assertThat(expected).hasSize(850);
        for (String t : Golden.TRANSCRIPTS) {
            Golden.Frame hello = Golden.transcript(t).get(1);
            assertThat(hello.msgId()).isEqualTo(16);
            assertThat(hello.bytes()).hasSize(56_136);
            SockclntCreateReply r = Messages.SOCKCLNT_CREATE_REPLY.decodeBody(hello.body());
            assertThat(r.response()).isZero();
            assertThat(r.index()).isEqualTo(0x80000001);
            assertThat(Layout.CLIENT_INDEX_CONTEXT.clientIndex(hello.body())).isZero();
            Map<String, Integer> got = new HashMap<>();
            for (MessageTableEntry e : r.messageTable()) {
                got.put(e.name(), e.index());
            }
            assertThat(got).isEqualTo(expected);
        }
    }

    /** vpp-wire.md Appendix B vectors 1, 2, 3 and 5 (4 uses a made-up id layout we also check). */
    @Test
    void appendixBTestVectors() throws Exception {
        assertThat(hex(Messages.SOCKCLNT_CREATE.encodeFrame(15, 0, 123,
                new dev.vppmaglev.vpp.api.msg.SockclntCreate("govppsock")))).isEqualTo(
                "00000000000000000000004600000000" + "000f" + "0000007b"
                        + HexFormat.of().formatHex("govppsock".getBytes()) + "00".repeat(55));
        assertThat(hex(Messages.CONTROL_PING.encodeFrame(23, 0x80000000, 0x11, dev.vppmaglev.vpp.api.msg.Empty.INSTANCE)))
                .isEqualTo("00000000000000000000000a00000000" + "0017" + "80000000" + "00000011");
        var as = new dev.vppmaglev.vpp.api.msg.LbAddDelAsV2(Prefix.parse("192.0.2.0/24"), 255, 0,
                InetAddress.getByName("10.0.0.1"), 50, false, false);
        assertThat(hex(Messages.LB_ADD_DEL_AS_V2.encodeFrame(0x0300, 0x80000000, 7, as))).isEqualTo(
                "00000000000000000000003300000000" + "0300" + "80000000" + "00000007"
                        + "00c00002000000000000000000000000" + "0018" + "ff0000"
                        + "000a000001000000000000000000000000" + "320000");
        var vip = new dev.vppmaglev.vpp.api.msg.LbAddDelVipV2(Prefix.parse("2001:db8::1/128"), 6, 80, LbEncap.GRE6, 0,
                LbSrvType.CLUSTERIP, 0, 0, 1024, true, false);
        assertThat(hex(Messages.LB_ADD_DEL_VIP_V2.encodeFrame(0x0301, 0x80000000, 8, vip))).isEqualTo(
                "00000000000000000000003200000000" + "0301" + "80000000" + "00000008"
                        + "0120010db8000000000000000000000001" + "80" + "060050" + "00000001" + "00" + "00000000"
                        + "0000" + "0000" + "00000400" + "0100");
        assertThat(hex(Messages.CLI_INBAND.encodeFrame(0x0302, 0x80000000, 9,
                new dev.vppmaglev.vpp.api.msg.CliInband("show lb vips verbose")))).isEqualTo(
                "00000000000000000000002200000000" + "0302" + "80000000" + "00000009" + "00000014"
                        + HexFormat.of().formatHex("show lb vips verbose".getBytes()));
    }

    private static String hex(ByteBuffer b) {
        byte[] x = new byte[b.remaining()];
        b.get(x);
        return HexFormat.of().formatHex(x);
    }

    private static Object decodeFirst(String stepPrefix, MessageType<?> t, List<Golden.Frame> frames) {
        for (Golden.Frame f : frames) {
            if (f.step().startsWith(stepPrefix) && f.msg().equals(t.nameCrc())) {
                return t.decodeBody(f.body());
            }
        }
        throw new AssertionError("no " + t + " in step " + stepPrefix);
    }

    @SuppressWarnings("unchecked")
    private static <T> byte[] reencode(MessageType<T> t, Golden.Frame f) {
        ByteBuffer body = f.body();
        T decoded = t.decodeBody(body);
        ByteBuffer frame = t.encodeFrame(f.msgId(), t.layout().clientIndex(body), t.layout().context(body), decoded);
        byte[] out = new byte[frame.remaining()];
        frame.get(out);
        return out;
    }

    /** Our record in the golden README's {@code decoded} notation. */
    static JsonElement toJson(Object v) {
        return toJson(v, "");
    }

    private static JsonElement toJson(Object v, String field) {
        if (v instanceof Integer i) {
            // i32 fields stay signed; every other int carries an unsigned u8/u16/u32
            boolean signed = field.equals("retval") || field.equals("response");
            return new JsonPrimitive(signed ? (long) i : Integer.toUnsignedLong(i));
        }
        if (v instanceof Long l) {
            return new JsonPrimitive(l);
        }
        if (v instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (v instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (v instanceof InetAddress a) {
            return new JsonPrimitive(IpFormat.format(a));
        }
        if (v instanceof Prefix p) {
            return new JsonPrimitive(p.toString());
        }
        if (v instanceof LbEncap e) {
            return new JsonPrimitive(e.wire());
        }
        if (v instanceof LbSrvType e) {
            return new JsonPrimitive(e.wire());
        }
        if (v instanceof AddressUnion u) {
            JsonObject o = new JsonObject();
            o.addProperty("ip4", IpFormat.format(u.ip4()));
            o.addProperty("ip6", IpFormat.format(u.ip6()));
            return o;
        }
        if (v instanceof List<?> list) {
            JsonArray a = new JsonArray();
            list.forEach(x -> a.add(toJson(x, "")));
            return a;
        }
        if (v instanceof Record r) {
            JsonObject o = new JsonObject();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    Object x = c.getAccessor().invoke(r);
                    String name = snake(c.getName());
                    o.add(name, toJson(x, name));
                    if (name.equals("paths")) {
                        o.addProperty("n_paths", ((List<?>) x).size()); // ip_route's count field
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return o;
        }
        throw new IllegalArgumentException("no JSON form for " + v.getClass());
    }

    private static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
