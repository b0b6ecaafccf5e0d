package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.LbAddDelAs;
import dev.vppmaglev.vpp.api.msg.LbAddDelVipV2;
import dev.vppmaglev.vpp.api.msg.LbAsDetails;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbSrvType;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.LbVipDetails;
import dev.vppmaglev.vpp.api.msg.LbVipDump;
import dev.vppmaglev.vpp.api.msg.OldLbHandlers;
import dev.vppmaglev.vpp.api.msg.Prefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fake's old lb handlers ({@code lbV2(false)}) against requests in the 26.10 form — what a
 * client unaware of them sends — and against the old dialect, next to the 26.10 handlers
 * ({@code lbV2(true)}) given the same bytes (vpp-wire.md §3.6, {@code db44addb^:src/plugins/lb/api.c}).
 */
class FakeOldLbHandlersTest {
    @TempDir
    Path dir;
    private FakeVpp fake;
    private VppApiClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private void start(boolean lbV2) throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(lbV2).build().start();
        client = VppApiClient.connect(VppApiClientConfig.defaults(dir.resolve("api.sock")), ApiObserver.NONE);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static int retval(CompletableFuture<?> f) throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
            return 0;
        } catch (java.util.concurrent.ExecutionException e) {
            return ((dev.vppmaglev.vpp.api.VppApiException) VppException.unwrap(e)).retval();
        }
    }

    private static LbAddDelVipV2 addVip(String prefix, int protocol, int port, LbEncap encap) {
        return new LbAddDelVipV2(Prefix.parse(prefix), protocol, port, encap, 0, LbSrvType.CLUSTERIP, 0, 0, 1024, false,
                false);
    }

    private static LbAddDelAs addAs(String prefix, int protocol, int port, String as) {
        return new LbAddDelAs(Prefix.parse(prefix), protocol, port, IpFormat.parse(as), false, false);
    }

    /** First line of each VIP block of {@code show lb vips verbose}. */
    private List<String> heads() {
        return fake.cli("show lb vips verbose").lines().filter(l -> l.startsWith(" ip")).map(String::strip).toList();
    }

    @Test
    void aPlainIpv4LengthMakesAJunkIpv6VipAndMissesTheRealOne() throws Exception {
        start(false);
        get(client.call(Api.LB_ADD_DEL_VIP_V2, addVip("192.0.2.1/32", 6, 80, LbEncap.GRE4)));
        // ::c000:201 normalised to 32 bits, an IPv6 prefix, so encap GRE4 gives ip6-gre4
        assertThat(heads()).containsExactly("ip6-gre4 [1] ::/32");
        // the same key again: the handler finds its own junk VIP
        assertThat(retval(client.call(Api.LB_ADD_DEL_VIP_V2, addVip("192.0.2.9/32", 6, 80, LbEncap.GRE4))))
                .isEqualTo(-81);
        get(client.call(OldLbHandlers.ADD_DEL_VIP_V2, addVip("192.0.2.1/32", 6, 80, LbEncap.GRE4)));
        assertThat(heads()).containsExactly("ip6-gre4 [1] ::/32", "ip4-gre4 [2] 192.0.2.1/32");
        // an AS for the plain key lands on the junk VIP (it takes IPv4 ASes: gre4), never on the real one
        get(client.call(Api.LB_ADD_DEL_AS, addAs("192.0.2.1/32", 6, 80, "10.0.0.1")));
        assertThat(fake.cli("show lb vips verbose")).containsPattern("::/32\\n(.*\\n)*  #as:1\\n    10\\.0\\.0\\.1 ")
                .containsPattern("192\\.0\\.2\\.1/32\\n(.*\\n)*  #as:0\\n");
        get(client.call(OldLbHandlers.ADD_DEL_AS, addAs("192.0.2.1/32", 6, 80, "10.0.0.1")));
        assertThat(fake.cli("show lb vips verbose")).containsPattern("192\\.0\\.2\\.1/32\\n(.*\\n)*  #as:1\\n");
    }

    @Test
    void theSame26Point10RequestsDoWhatTheyMeanOnTheFixedHandlers() throws Exception {
        start(true);
        get(client.call(Api.LB_ADD_DEL_VIP_V2, addVip("192.0.2.1/32", 6, 80, LbEncap.GRE4)));
        get(client.call(Api.LB_ADD_DEL_VIP_V2, addVip("2001:db8::1/128", 6, 80, LbEncap.NAT6)));
        // the old dialect's ip46 prefix means the same VIP to them, too
        get(client.call(Api.LB_ADD_DEL_AS, new LbAddDelAs(Prefix.parse("192.0.2.1/32").ip46(), 6, 80,
                IpFormat.parse("10.0.0.1"), false, false)));
        assertThat(heads()).containsExactly("ip4-gre4 [1] 192.0.2.1/32", "ip6-nat6 [2] 2001:db8::1/128");
        assertThat(fake.cli("show lb vips verbose")).contains("    10.0.0.1 weight:100 buckets:1024 ");
    }

    @Test
    void theEncapIsComparedWithoutByteSwapping() throws Exception {
        start(false);
        // NAT6 = 4 in network order reads 0x04000000: no match, the type stays 0 = ip6-gre6
        get(client.call(Api.LB_ADD_DEL_VIP_V2, addVip("2001:db8::1/128", 6, 80, LbEncap.NAT6)));
        // GRE6 in host order on an IPv4 VIP: ip4-gre6
        assertThat(retval(client.call(OldLbHandlers.ADD_DEL_VIP_V2, new LbAddDelVipV2(Prefix.parse("192.0.2.1/32"),
                6, 80, LbEncap.GRE6, 0, LbSrvType.CLUSTERIP, 0, 0, 1024, false, false)))).isZero();
        // GRE6 in network order on the same kind of prefix: type 0 (ip6-gre6) does not fit IPv4, -97
        assertThat(retval(client.call(Api.LB_ADD_DEL_VIP_V2, new LbAddDelVipV2(Prefix.parse("192.0.2.2/32").ip46(),
                6, 80, LbEncap.GRE6, 0, LbSrvType.CLUSTERIP, 0, 0, 1024, false, false)))).isEqualTo(-97);
        get(client.call(OldLbHandlers.ADD_DEL_VIP_V2, addVip("2001:db8::2/128", 6, 80, LbEncap.NAT6)));
        assertThat(heads()).containsExactly("ip6-gre6 [1] 2001:db8::1/128", "ip4-gre6 [2] 192.0.2.1/32",
                "ip6-nat6 [3] 2001:db8::2/128");
    }

    @Test
    void theDetailsCarryIp46LengthsProtocolZeroAndTheInternalType() throws Exception {
        start(false);
        get(client.call(OldLbHandlers.ADD_DEL_VIP_V2, addVip("192.0.2.1/32", 6, 80, LbEncap.GRE4)));
        get(client.call(OldLbHandlers.ADD_DEL_VIP_V2, addVip("2001:db8::1/128", 17, 53, LbEncap.GRE4)));
        get(client.call(OldLbHandlers.ADD_DEL_VIP_V2, addVip("192.0.2.9/32", 6, 443, LbEncap.GRE4)));
        get(client.call(OldLbHandlers.ADD_DEL_AS, addAs("192.0.2.1/32", 6, 80, "10.0.0.1")));
        get(client.call(OldLbHandlers.ADD_DEL_AS, addAs("2001:db8::1/128", 17, 53, "10.0.0.2")));
        get(client.call(OldLbHandlers.ADD_DEL_VIP_V2, new LbAddDelVipV2(Prefix.parse("192.0.2.9/32"), 6, 443,
                LbEncap.GRE4, 0, LbSrvType.CLUSTERIP, 0, 0, 1024, false, true)));

        // LbVip reads the ip46 length 128 as /32; the rest is what the handler wrote
        List<LbVipDetails> vips = get(client.dump(Api.LB_VIP_DUMP, LbVipDump.ALL));
        assertThat(vips).extracting(d -> d.vip().toString()).as("removed VIPs too, protocol (u8) htonl = 0")
                .containsExactly("192.0.2.1/32 proto-0 80", "2001:db8::1/128 proto-0 53", "192.0.2.9/32 proto-0 443");
        assertThat(vips).extracting(LbVipDetails::encap).as("htonl(type): ip4-gre4 = 3, ip6-gre4 = 1")
                .containsExactly(LbEncap.NAT4, LbEncap.GRE6, LbEncap.NAT4);
        assertThat(vips).extracting(LbVipDetails::flowTableLength).as("(u16) htonl(1024)").containsOnly(0);

        List<LbAsDetails> ases = get(client.dump(Api.LB_AS_DUMP, LbVip.dumpAll()));
        assertThat(ases).extracting(d -> d.vip() + " " + d.appSrv().getHostAddress())
                .containsExactly("192.0.2.1/32 proto-0 80 10.0.0.1", "2001:db8::1/128 proto-0 53 10.0.0.2");
    }

    @Test
    void flushAndAFilteredAsDumpReadTheirFieldsRaw() throws Exception {
        start(false);
        get(client.call(OldLbHandlers.ADD_DEL_VIP_V2, addVip("192.0.2.1/32", 6, 80, LbEncap.GRE4)));
        get(client.call(OldLbHandlers.ADD_DEL_AS, addAs("192.0.2.1/32", 6, 80, "10.0.0.1")));
        get(client.call(OldLbHandlers.ADD_DEL_VIP_V2, addVip("2001:db8::1/128", 6, 80, LbEncap.GRE4)));
        get(client.call(OldLbHandlers.ADD_DEL_AS, addAs("2001:db8::1/128", 6, 80, "10.0.0.2")));
        int v4 = fake.vipIndex(LbVip.host(IpFormat.parse("192.0.2.1"), 6, 80)).orElseThrow();
        fake.setAsFlows(v4, IpFormat.parse("10.0.0.1"), 5);

        // the union copied as it is: an IPv4 address (bytes 0..3) is no VIP's ip46, whatever the length
        get(client.call(Api.LB_FLUSH_VIP, LbVip.host(IpFormat.parse("192.0.2.1"), 6, 80)));
        assertThat(fake.cli("show lb vips verbose")).contains("10.0.0.1 1024 buckets   5 flows");
        get(client.call(OldLbHandlers.FLUSH_VIP, LbVip.host(IpFormat.parse("192.0.2.1"), 6, 80)));
        assertThat(fake.cli("show lb vips verbose")).contains("10.0.0.1 1024 buckets   0 flows");

        // lb_as_dump compares the port without ntohs: port 80 matches as 0x5000 = 20480
        LbVip v6 = LbVip.host(InetAddress.getByName("2001:db8::1"), 6, 80);
        assertThat(get(client.dump(Api.LB_AS_DUMP, v6))).isEmpty();
        assertThat(get(client.dump(Api.LB_AS_DUMP, LbVip.host(InetAddress.getByName("2001:db8::1"), 6, 20480))))
                .singleElement().satisfies(d -> assertThat(d.appSrv().getHostAddress()).isEqualTo("10.0.0.2"));
    }

    @Test
    void theCallLogShowsWhatTheOldHandlersUnderstood() throws Exception {
        start(false);
        get(client.call(OldLbHandlers.ADD_DEL_VIP_V2, addVip("192.0.2.1/32", 6, 80, LbEncap.GRE6)));
        get(client.call(Api.LB_ADD_DEL_VIP_V2, addVip("192.0.2.2/32", 6, 80, LbEncap.GRE4)));
        assertThat(fake.callLog()).extracting(FakeVpp.Call::request).filteredOn(LbAddDelVipV2.class::isInstance)
                .map(r -> ((LbAddDelVipV2) r).pfx() + " " + ((LbAddDelVipV2) r).encap())
                .containsExactly("192.0.2.1/32 GRE6", "::c000:202/32 GRE4");
    }
}
