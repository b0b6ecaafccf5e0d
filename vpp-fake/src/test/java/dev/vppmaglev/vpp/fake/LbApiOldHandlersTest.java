package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.AsEntry;
import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.OldLbReads;
import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.VppProtocolException;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbSrvType;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.LbVipDetails;
import dev.vppmaglev.vpp.api.msg.LbVipDump;
import dev.vppmaglev.vpp.api.msg.Prefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LbApi} against a VPP with the pre-26.10 lb handlers ({@code FakeVpp.lbV2(false)}, which
 * emulates them byte for byte): the same plain calls program what was meant, and the reads give
 * the plain keys back, protocols included, although those handlers lose them on the wire.
 */
class LbApiOldHandlersTest {
    @TempDir
    Path dir;
    private FakeVpp fake;
    private VppApiClient client;
    private LbApi lb;

    @BeforeEach
    void start() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(false).build().start();
        client = VppApiClient.connect(VppApiClientConfig.defaults(dir.resolve("api.sock")), ApiObserver.NONE);
        lb = LbApi.of(client);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static InetAddress ip(String s) {
        return IpFormat.parse(s);
    }

    private static LbVip vip(String prefix, int protocol, int port) {
        return LbVip.of(Prefix.parse(prefix), protocol, port);
    }

    static final LbVip V4_GRE4 = vip("192.0.2.1/32", 6, 80);
    static final LbVip V4_GRE6 = vip("192.0.2.2/32", 255, 0);
    static final LbVip V4_DSR = vip("192.0.2.3/32", 6, 80);
    static final LbVip V4_NAT = vip("192.0.2.4/32", 17, 53);
    static final LbVip V4_NET = vip("198.51.100.0/24", 6, 443);
    static final LbVip V6_TCP = vip("2001:db8::53/128", 6, 53);
    static final LbVip V6_UDP = vip("2001:db8::53/128", 17, 53);
    static final LbVip V6_NAT = vip("2001:db8::64/128", 6, 80);

    private void programEveryKind() throws Exception {
        get(lb.addVip(VipSpec.of(V4_GRE4, LbEncap.GRE4)));
        get(lb.addVip(VipSpec.of(V4_GRE6, LbEncap.GRE6)));
        get(lb.addVip(new VipSpec(V4_DSR, LbEncap.L3DSR, false, 1024, 10, LbSrvType.CLUSTERIP, 0)));
        get(lb.addVip(new VipSpec(V4_NAT, LbEncap.NAT4, false, 1024, 0, LbSrvType.CLUSTERIP, 5353)));
        get(lb.addVip(VipSpec.of(V4_NET, LbEncap.GRE4).withNewFlowsTableLength(4096)));
        get(lb.addVip(VipSpec.of(V6_TCP, LbEncap.GRE6)));
        get(lb.addVip(VipSpec.of(V6_UDP, LbEncap.GRE6)));
        get(lb.addVip(new VipSpec(V6_NAT, LbEncap.NAT6, false, 1024, 0, LbSrvType.CLUSTERIP, 8080)));
        get(lb.addAs(V4_GRE4, ip("10.0.0.1"), 100, false));
        get(lb.addAs(V4_GRE4, ip("10.0.0.2"), 50, false));
        get(lb.addAs(V4_GRE6, ip("2001:db8:1::9"), 100, false));
        get(lb.addAs(V4_NET, ip("10.0.0.3"), 100, false));
        for (LbVip v : List.of(V6_TCP, V6_UDP)) { // the same backends on TCP and UDP 53
            get(lb.addAs(v, ip("2001:db8:1::1"), 100, false));
            get(lb.addAs(v, ip("2001:db8:1::2"), 100, false));
        }
    }

    /** VIP type and prefix as VPP's own text shows them, by pool index. */
    private Map<Integer, String> vppTypes() {
        Map<Integer, String> out = new TreeMap<>();
        for (CliVip v : OldLbReads.parseShowLbVipsVerbose(fake.cli("show lb vips verbose"))) {
            out.put(v.index(), v.type() + " " + v.key() + (v.removed() ? " removed" : ""));
        }
        return out;
    }

    @Test
    void everyEncapIsProgrammedAsMeantOnIpv4AndIpv6Prefixes() throws Exception {
        programEveryKind();
        assertThat(vppTypes()).containsExactly(
                Map.entry(1, "ip4-gre4 192.0.2.1/32 tcp 80"),
                Map.entry(2, "ip4-gre6 192.0.2.2/32 any 0"),
                Map.entry(3, "ip4-l3dsr 192.0.2.3/32 tcp 80"),
                Map.entry(4, "ip4-nat4 192.0.2.4/32 udp 53"),
                Map.entry(5, "ip4-gre4 198.51.100.0/24 tcp 443"),
                Map.entry(6, "ip6-gre6 2001:db8::53/128 tcp 53"),
                Map.entry(7, "ip6-gre6 2001:db8::53/128 udp 53"),
                Map.entry(8, "ip6-nat6 2001:db8::64/128 tcp 80"));
        assertThat(fake.cli("show lb vips verbose")).contains("  dscp:10\n").contains("target_port:5353")
                .contains("target_port:8080").doesNotContain("::/32");
        assertThat(fake.fibStatsIndex(Prefix.parse("198.51.100.0/24"))).isPresent();
    }

    @Test
    void theReadsGivePlainKeysWithTheProtocolsTheWireLost() throws Exception {
        programEveryKind();
        List<LbVipDetails> vips = get(lb.vipDump());
        assertThat(vips).extracting(LbVipDetails::vip)
                .containsExactly(V4_GRE4, V4_GRE6, V4_DSR, V4_NAT, V4_NET, V6_TCP, V6_UDP, V6_NAT);
        assertThat(vips).extracting(LbVipDetails::encap).containsExactly(LbEncap.GRE4, LbEncap.GRE6, LbEncap.L3DSR,
                LbEncap.NAT4, LbEncap.GRE4, LbEncap.GRE6, LbEncap.GRE6, LbEncap.NAT6);
        assertThat(vips.get(2).dscp()).isEqualTo(10);
        assertThat(vips.get(4).flowTableLength()).isEqualTo(4096);

        Map<String, List<String>> ases = new TreeMap<>();
        for (AsEntry a : get(lb.asDump())) {
            ases.computeIfAbsent(a.vip().toString(), k -> new java.util.ArrayList<>())
                    .add(IpFormat.format(a.address()) + (a.used() ? "" : " removed"));
        }
        assertThat(ases).containsExactly(
                Map.entry("192.0.2.1/32 tcp 80", List.of("10.0.0.1", "10.0.0.2")),
                Map.entry("192.0.2.2/32 any 0", List.of("2001:db8:1::9")),
                Map.entry("198.51.100.0/24 tcp 443", List.of("10.0.0.3")),
                Map.entry("2001:db8::53/128 tcp 53", List.of("2001:db8:1::1", "2001:db8:1::2")),
                Map.entry("2001:db8::53/128 udp 53", List.of("2001:db8:1::1", "2001:db8:1::2")));

        // why not lb_vip_dump: its encap is the internal VIP type, and ip4-nat4 (5) is no lb_encap_type
        assertThat(failure(client.dump(Api.LB_VIP_DUMP, LbVipDump.ALL))).isInstanceOf(VppProtocolException.class)
                .hasMessageContaining("unknown lb_encap_type 5");
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            return dev.vppmaglev.vpp.api.VppException.unwrap(e);
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void deletesAndFlushesFindTheVipTheyMean() throws Exception {
        programEveryKind();
        int v4 = fake.vipIndex(V4_GRE4).orElseThrow();
        fake.setAsFlows(v4, ip("10.0.0.1"), 5);
        get(lb.flushVip(V4_GRE4));
        assertThat(fake.cli("show lb vips verbose")).containsPattern("\n    10\\.0\\.0\\.1 \\d+ buckets   0 flows  dpo:")
                .containsPattern("\n    10\\.0\\.0\\.2 \\d+ buckets   0 flows  dpo:");

        get(lb.delAs(V6_UDP, ip("2001:db8:1::1"), true));
        assertThat(get(lb.asDump(V6_UDP))).extracting(a -> IpFormat.format(a.address()) + " " + a.used())
                .containsExactly("2001:db8:1::1 false", "2001:db8:1::2 true");
        assertThat(get(lb.asDump(V6_TCP))).extracting(AsEntry::used).containsExactly(true, true);

        get(lb.delAs(V4_NET, ip("10.0.0.3"), true));
        get(lb.delVip(V4_NET));
        assertThat(vppTypes()).containsEntry(5, "ip4-gre4 198.51.100.0/24 tcp 443 removed");
        assertThat(get(lb.vipDump())).extracting(LbVipDetails::vip).doesNotContain(V4_NET).hasSize(7);
        assertThat(get(lb.asDump())).filteredOn(a -> a.vip().equals(V4_NET)).singleElement()
                .satisfies(a -> assertThat(a.used()).isFalse());
    }

    @Test
    void oneWholeTableReadCostsOneText() throws Exception {
        programEveryKind();
        fake.clearCalls();
        LbApi.Tables tables = lb.tables();
        assertThat(get(tables.vips())).hasSize(8);
        assertThat(get(tables.ases())).hasSize(8);
        assertThat(OldLbReads.parseShowLbVipsVerbose(get(tables.showLbVipsVerbose()))).hasSize(8);
        assertThat(fake.callCount("cli_inband")).isEqualTo(1);
        assertThat(fake.callCount("lb_as_dump")).isEqualTo(1);
        assertThat(fake.callCount("lb_vip_dump")).isZero();
        // a later read asks again
        assertThat(get(lb.vipDump())).hasSize(8);
        assertThat(fake.callCount("cli_inband")).isEqualTo(2);
    }
}
