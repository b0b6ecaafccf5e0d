package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.AsEntry;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.VppApiException;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.VppUnsupportedMessageException;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.msg.IpRoute;
import dev.vppmaglev.vpp.api.msg.LbAddDelVipV2;
import dev.vppmaglev.vpp.api.msg.LbConf;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.LbVipDetails;
import dev.vppmaglev.vpp.api.msg.Prefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The typed lb facade the reconciler and gRPC use, against {@link FakeVpp}. */
class LbApiTest {
    @TempDir
    Path dir;
    private FakeVpp fake;
    private VppApiClient client;
    private LbApi lb;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private void start(boolean lbV2) throws IOException {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(lbV2).build().start();
        client = VppApiClient.connect(VppApiClientConfig.defaults(dir.resolve("api.sock")), ApiObserver.NONE);
        lb = LbApi.of(client);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static VppException failure(CompletableFuture<?> f) {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            return VppException.unwrap(e);
        }
        throw new AssertionError("expected a failure");
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void programsVipsAndServersAndReadsThemBack() throws Exception {
        start(true);
        LbVip web = LbVip.host(ip("192.0.2.1"), 6, 80);
        LbVip web6 = LbVip.host(ip("2001:db8::1"), 6, 443);
        get(lb.addVip(VipSpec.of(web, LbEncap.GRE4)));
        get(lb.addVip(VipSpec.of(web6, LbEncap.GRE6).withSrcIpSticky(true)));
        LbAddDelVipV2 sent = fake.callLog().stream().map(FakeVpp.Call::request)
                .filter(LbAddDelVipV2.class::isInstance).map(LbAddDelVipV2.class::cast).findFirst().orElseThrow();
        assertThat(sent.newFlowsTableLength()).as("always 1024 unless configured").isEqualTo(1024);
        get(lb.addAs(web, ip("10.0.0.1"), 100, false));
        get(lb.addAs(web, ip("10.0.0.2"), 50, false));
        get(lb.addAs(web6, ip("2001:db8:1::1"), 100, false));

        List<LbVipDetails> vips = get(lb.vipDump());
        assertThat(vips).extracting(LbVipDetails::vip).containsExactly(web, web6);
        fake.clearCalls();
        List<AsEntry> ases = get(lb.asDump(web));
        assertThat(fake.callLog().getFirst().request()).as("never filtered in VPP").isEqualTo(LbVip.dumpAll());
        assertThat(ases).extracting(a -> a.address().getHostAddress()).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(ases).extracting(AsEntry::weight).containsExactly(OptionalInt.of(100), OptionalInt.of(50));
        assertThat(ases).extracting(AsEntry::buckets).containsExactly(OptionalInt.of(674), OptionalInt.of(350));

        List<CliVip> cli = get(lb.showLbVipsVerbose());
        assertThat(cli).extracting(CliVip::index).containsExactly(1, 2);
        assertThat(cli).extracting(CliVip::srcIpSticky).containsExactly(false, true);

        get(lb.setAsWeight(web, ip("10.0.0.2"), 0, true));
        assertThat(get(lb.asDump(web))).extracting(AsEntry::buckets)
                .containsExactly(OptionalInt.of(1024), OptionalInt.of(0));
        get(lb.delAs(web, ip("10.0.0.2"), true));
        assertThat(get(lb.asDump(web))).extracting(AsEntry::used).containsExactly(true, false);
        get(lb.flushVip(web));
        get(lb.delAs(web, ip("10.0.0.1"), true));
        get(lb.delVip(web));
        assertThat(get(lb.vipDump())).extracting(LbVipDetails::vip).containsExactly(web6);
    }

    @Test
    void allPortVipKeysAreNormalisedToProtocol255() throws Exception {
        start(true);
        LbVip any = LbVip.of(Prefix.parse("192.0.2.3/32"), 6, 0);
        assertThat(any.protocol()).isEqualTo(255);
        get(lb.addVip(VipSpec.of(new LbVip(Prefix.parse("192.0.2.3/32"), 6, 0), LbEncap.GRE4)));
        get(lb.addAs(new LbVip(Prefix.parse("192.0.2.3/32"), 17, 0), ip("10.0.0.1"), 100, false));
        assertThat(get(lb.asDump(any))).hasSize(1);
    }

    @Test
    void errorsCarryVppsRetval() throws Exception {
        start(true);
        LbVip web = LbVip.host(ip("192.0.2.1"), 6, 80);
        get(lb.addVip(VipSpec.of(web, LbEncap.GRE4)));
        assertThat(failure(lb.addVip(VipSpec.of(web, LbEncap.GRE4))))
                .isInstanceOfSatisfying(VppApiException.class, e -> assertThat(e.symbol()).isEqualTo("VALUE_EXIST"));
        assertThat(failure(lb.addAs(web, ip("2001:db8::9"), 100, false)))
                .isInstanceOfSatisfying(VppApiException.class, e -> assertThat(e.retval()).isEqualTo(-97));
        assertThat(failure(lb.setAsWeight(web, ip("10.9.9.9"), 10, false)))
                .isInstanceOfSatisfying(VppApiException.class, e -> assertThat(e.retval()).isEqualTo(-6));
        assertThat(failure(lb.cliInband("show lb bogus")))
                .isInstanceOfSatisfying(VppApiException.class, e -> assertThat(e.getMessage()).contains("unknown input `bogus'"));
        assertThatThrownBy(() -> lb.addAs(web, ip("10.0.0.1"), 101, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..100");
        assertThatThrownBy(() -> VipSpec.of(web, LbEncap.GRE4).withNewFlowsTableLength(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of 2");
    }

    @Test
    void confRoundTripsAndRejectsBucketCountsThatAreNotPowersOfTwo() throws Exception {
        start(true);
        LbConf defaults = get(lb.lbConfGet());
        assertThat(defaults.stickyBucketsPerCore()).isEqualTo(1024);
        assertThat(defaults.flowTimeout()).isEqualTo(40);
        LbConf mine = new LbConf((Inet4Address) ip("192.0.2.254"), (Inet6Address) ip("2001:db8::254"), 65536, 40);
        get(lb.lbConf(mine));
        assertThat(get(lb.lbConfGet())).isEqualTo(mine);
        assertThat(failure(lb.lbConf(new LbConf(mine.ip4SrcAddress(), mine.ip6SrcAddress(), 1000, 40))))
                .isInstanceOfSatisfying(VppApiException.class, e -> assertThat(e.symbol()).isEqualTo("INVALID_MEMORY_SIZE"));
        assertThat(get(lb.lbConfGet())).isEqualTo(mine);
    }

    @Test
    void routeLookupGivesTheVipsStatsIndex() throws Exception {
        start(true);
        get(lb.addVip(VipSpec.of(LbVip.host(ip("192.0.2.1"), 6, 80), LbEncap.GRE4)));
        get(lb.addVip(VipSpec.of(LbVip.host(ip("2001:db8::1"), 6, 80), LbEncap.GRE6)));
        Optional<IpRoute> r = get(lb.ipRouteLookup(Prefix.parse("192.0.2.1/32"), true));
        assertThat(r).hasValueSatisfying(x -> assertThat(x.statsIndex()).isEqualTo(8));
        assertThat(get(lb.ipRouteLookup(Prefix.parse("2001:db8::1/128"), true)))
                .hasValueSatisfying(x -> assertThat(x.statsIndex()).isEqualTo(9));
        assertThat(get(lb.ipRouteLookup(Prefix.parse("198.51.100.1/32"), true))).isEmpty();
        assertThat(get(lb.showVersion()).version()).isEqualTo("26.10-rc0~374-gb575ec2c56d");
    }

    @Test
    void olderVppFallsBackToTheV1Messages() throws Exception {
        start(false);
        assertThat(get(lb.capability()).v2Supported()).isFalse();
        LbVip web = LbVip.host(ip("192.0.2.1"), 6, 80);
        get(lb.addVip(VipSpec.of(web, LbEncap.GRE4))); // lb_add_del_vip_v2 exists since 23.02
        get(lb.addAs(web, ip("10.0.0.1"), 40, false));
        assertThat(fake.callCount("lb_add_del_as")).isEqualTo(1);
        assertThat(fake.callCount("lb_add_del_as_v2")).isZero();
        assertThat(failure(lb.addAs(web, ip("10.0.0.2"), 0, false))).isInstanceOf(VppUnsupportedMessageException.class)
                .hasMessageContaining("delete the AS instead");
        List<AsEntry> ases = get(lb.asDump(web));
        assertThat(fake.callCount("lb_as_dump")).isEqualTo(1);
        assertThat(ases).singleElement().satisfies(a -> {
            assertThat(a.used()).isTrue();
            assertThat(a.weight()).isEmpty();
        });
        assertThat(fake.cli("show lb vips verbose")).contains("    10.0.0.1 1024 buckets   0 flows  dpo:");
        assertThat(get(lb.showLbVipsVerbose()).getFirst().ases()).singleElement()
                .satisfies(a -> assertThat(a.weight()).as("no weights before 26.10: all count as 100").isEqualTo(100));
        get(lb.delAs(web, ip("10.0.0.1"), true));
        assertThat(fake.callCount("lb_add_del_as")).isEqualTo(2);
        assertThat(failure(lb.setAsWeight(web, ip("10.0.0.1"), 5, false))).isInstanceOf(VppUnsupportedMessageException.class);
        assertThat(failure(lb.lbConfGet())).isInstanceOf(VppUnsupportedMessageException.class);
    }
}
