package dev.vppmaglev.vpp.api;

import dev.vppmaglev.vpp.api.cli.CliAs;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.msg.LbAsDetails;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.LbVipDetails;
import dev.vppmaglev.vpp.api.msg.Messages;
import dev.vppmaglev.vpp.api.msg.Prefix;
import dev.vppmaglev.vpp.api.wire.MessageTable;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the lb table of a VPP with the pre-26.10 handlers: {@link OldLbReads}, {@link LbCapability}. */
class OldLbReadsTest {
    /**
     * {@code show lb vips verbose} as lb.c before 26.10 prints it (AS lines
     * {@code "%U    %U %u buckets   %Lu flows  dpo:%u %s\n"}): a TCP and a UDP VIP on one IPv6 prefix
     * and port with the same two ASes, a removed IPv4 VIP with one removed AS and a live one with the
     * same key, and the {@code ::/32} VIP an old VPP made of an IPv4 VIP sent with its plain length.
     */
    static final String TEXT = """
             ip6-gre6 [1] 2001:db8::53/128
              new_size:1024
              protocol:6 port:53
              counters:
                packet from existing sessions: 0
                first session packet: 0
                untracked packet: 0
                no server configured: 0
              #as:2
                2001:db8:1::1 512 buckets   3 flows  dpo:12 used
                2001:db8:1::2 512 buckets   0 flows  dpo:13 used

             ip6-gre6 [2] 2001:db8::53/128
              new_size:1024
              protocol:17 port:53
              counters:
                packet from existing sessions: 0
                first session packet: 0
                untracked packet: 0
                no server configured: 0
              #as:2
                2001:db8:1::2 1024 buckets   0 flows  dpo:13 used
                2001:db8:1::1 0 buckets   7 flows  dpo:12  removed

             ip4-gre4 [3] 192.0.2.1/32 removed
              new_size:1024
              protocol:6 port:80
              counters:
                packet from existing sessions: 0
                first session packet: 0
                untracked packet: 0
                no server configured: 0
              #as:1
                10.0.0.1 0 buckets   2 flows  dpo:14  removed

             ip6-gre4 [4] ::/32
              new_size:1024
              protocol:6 port:80
              counters:
                packet from existing sessions: 0
                first session packet: 0
                untracked packet: 0
                no server configured: 0
              #as:0

             ip4-l3dsr [5] 192.0.2.1/32 src_ip_sticky
              new_size:2048
              protocol:6 port:80
              dscp:10
              counters:
                packet from existing sessions: 0
                first session packet: 0
                untracked packet: 0
                no server configured: 0
              #as:1
                10.0.0.1 2048 buckets   0 flows  dpo:14 used

            """;

    private static InetAddress ip(String s) {
        return IpFormat.parse(s);
    }

    private static LbAsDetails d(String prefix, int port, String as, boolean used) {
        return new LbAsDetails(new LbVip(Prefix.parse(prefix), 0, port), ip(as), used ? 1 : 0, used ? 0 : 1234);
    }

    /** What {@code lb_as_dump} of that VPP answers, in its order (protocol always 0). */
    static List<LbAsDetails> details() {
        return List.of(d("2001:db8::53/128", 53, "2001:db8:1::1", true), d("2001:db8::53/128", 53, "2001:db8:1::2", true),
                d("2001:db8::53/128", 53, "2001:db8:1::2", true), d("2001:db8::53/128", 53, "2001:db8:1::1", false),
                d("192.0.2.1/32", 80, "10.0.0.1", false), d("192.0.2.1/32", 80, "10.0.0.1", true));
    }

    @Test
    void theOldAsLinesParseWithWeight100() {
        List<CliVip> vips = OldLbReads.parseShowLbVipsVerbose(TEXT);
        assertThat(vips).extracting(CliVip::index).containsExactly(1, 2, 3, 4, 5);
        assertThat(vips.get(1).ases()).containsExactly(new CliAs(ip("2001:db8:1::2"), 100, 1024, 0, 13, true),
                new CliAs(ip("2001:db8:1::1"), 100, 0, 7, 12, false));
        assertThat(vips.get(3).prefix()).isEqualTo(Prefix.parse("::/32"));
        assertThat(vips.get(4).srcIpSticky()).isTrue();
        // the 26.10 text is left alone
        String fixed = TEXT.replace("2001:db8:1::1 512 buckets   3 flows  dpo:12 used",
                "2001:db8:1::1 weight:40 buckets:512 flows:3 dpo:12 used");
        assertThat(OldLbReads.parseShowLbVipsVerbose(fixed).getFirst().ases().getFirst().weight()).isEqualTo(40);
    }

    @Test
    void theVipListComesFromTheTextWithoutRemovedVips() {
        List<LbVipDetails> vips = OldLbReads.vips(OldLbReads.parseShowLbVipsVerbose(TEXT));
        assertThat(vips).extracting(v -> v.vip().toString()).containsExactly("2001:db8::53/128 tcp 53",
                "2001:db8::53/128 udp 53", "::/32 tcp 80", "192.0.2.1/32 tcp 80");
        assertThat(vips).extracting(LbVipDetails::encap).containsExactly(LbEncap.GRE6, LbEncap.GRE6, LbEncap.GRE4,
                LbEncap.L3DSR);
        assertThat(vips.get(3).dscp()).isEqualTo(10);
        assertThat(vips.get(3).flowTableLength()).isEqualTo(2048);
    }

    @Test
    void eachAsTakesItsVipKeyFromTheTextLineAtItsPosition() {
        List<AsEntry> ases = OldLbReads.ases(details(), OldLbReads.parseShowLbVipsVerbose(TEXT));
        assertThat(ases).extracting(a -> a.vip() + " " + IpFormat.format(a.address()) + (a.used() ? "" : " removed"))
                .containsExactly("2001:db8::53/128 tcp 53 2001:db8:1::1", "2001:db8::53/128 tcp 53 2001:db8:1::2",
                        "2001:db8::53/128 udp 53 2001:db8:1::2", "2001:db8::53/128 udp 53 2001:db8:1::1 removed",
                        "192.0.2.1/32 tcp 80 10.0.0.1 removed", "192.0.2.1/32 tcp 80 10.0.0.1");
        assertThat(ases).allSatisfy(a -> assertThat(a.weight()).isEqualTo(OptionalInt.empty()));
        assertThat(ases.get(4).inUseSince()).isEqualTo(1234);
    }

    @Test
    void theJunkVipOfAPlainIpv4LengthIsMatchedAsTheIp46PrefixItIs() {
        String text = """
                 ip6-gre4 [1] ::/32
                  new_size:1024
                  protocol:6 port:80
                  counters:
                    packet from existing sessions: 0
                    first session packet: 0
                    untracked packet: 0
                    no server configured: 0
                  #as:1
                    10.0.0.1 1024 buckets   0 flows  dpo:14 used

                """;
        // lb_as_details: ip_address_encode of ip46 :: gives an IPv4 0.0.0.0 with the raw length 32
        List<AsEntry> ases = OldLbReads.ases(List.of(d("0.0.0.0/32", 80, "10.0.0.1", true)),
                OldLbReads.parseShowLbVipsVerbose(text));
        assertThat(ases).singleElement().satisfies(a -> assertThat(a.vip().toString()).isEqualTo("::/32 tcp 80"));
    }

    @Test
    void answersThatDoNotLineUpAreRefusedNotGuessed() {
        List<CliVip> text = OldLbReads.parseShowLbVipsVerbose(TEXT);
        List<LbAsDetails> swapped = new java.util.ArrayList<>(details());
        swapped.set(0, details().get(1));
        swapped.set(1, details().get(0));
        assertThatThrownBy(() -> OldLbReads.ases(swapped, text)).isInstanceOf(VppProtocolException.class)
                .hasMessageContaining("pre-26.10 lb handlers").hasMessageContaining("detail #1")
                .hasMessageContaining("read is refused");
        assertThatThrownBy(() -> OldLbReads.ases(details().subList(0, 5), text))
                .isInstanceOf(VppProtocolException.class).hasMessageContaining("not in lb_as_dump");
        List<LbAsDetails> more = new java.util.ArrayList<>(details());
        more.add(d("192.0.2.9/32", 80, "10.0.0.9", true));
        assertThatThrownBy(() -> OldLbReads.ases(more, text)).isInstanceOf(VppProtocolException.class)
                .hasMessageContaining("7 details, the text 6 AS lines");
        List<LbAsDetails> otherProtocol = new java.util.ArrayList<>(details());
        otherProtocol.set(0, new LbAsDetails(new LbVip(Prefix.parse("2001:db8::53/128"), 17, 53), ip("2001:db8:1::1"),
                1, 0));
        assertThatThrownBy(() -> OldLbReads.ases(otherProtocol, text)).isInstanceOf(VppProtocolException.class);
    }

    /** A message table with every message we speak, or without the lb v2 ones (VPP ≤ 26.06). */
    private static MessageTable table(boolean v2) {
        java.util.Set<String> v2Only = java.util.Set.of("lb_conf_get", "lb_conf_get_reply", "lb_add_del_as_v2",
                "lb_add_del_as_v2_reply", "lb_as_set_weight", "lb_as_set_weight_reply", "lb_as_v2_dump",
                "lb_as_v2_details");
        Map<String, Integer> ids = new HashMap<>();
        int id = 1;
        for (var t : Messages.ALL) {
            if (v2 || !v2Only.contains(t.name())) {
                ids.put(t.nameCrc(), id++);
            }
        }
        return new MessageTable(ids);
    }

    @Test
    void theOldHandlersAreRecognisedByTheMissingLbConfGetAndSaidSo() {
        LbCapability old = LbCapability.of(table(false));
        assertThat(LbCapability.oldHandlers(table(false))).isTrue();
        assertThat(old.oldHandlers()).isTrue();
        assertThat(old.degradedReason()).contains("lb_conf_get_51077d14").contains("degraded mode")
                .contains("Works: VIPs of every encap").contains("Does not work: AS weights")
                .contains("show lb vips verbose").contains("src_ip_sticky");
        LbCapability v2 = LbCapability.of(table(true));
        assertThat(LbCapability.oldHandlers(table(true))).isFalse();
        assertThat(v2.oldHandlers()).isFalse();
        assertThat(v2.degradedReason()).isEmpty();
        // a master build between the handler fix and the weight API: fixed handlers, v1 AS messages
        LbCapability between = new LbCapability(false, List.of("lb_add_del_as_v2_2f1d3b0e"));
        assertThat(between.oldHandlers()).isFalse();
        assertThat(between.degradedReason()).contains("weights 1-100 all mean 'in'").doesNotContain("ip46");
    }
}
