package dev.vppmaglev.vpp.fake.reconcile;

import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.OldLbReads;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.cli.CliAs;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.msg.Api;
import dev.vppmaglev.vpp.api.msg.CliInband;
import dev.vppmaglev.vpp.api.msg.LbAddDelAs;
import dev.vppmaglev.vpp.api.msg.LbAddDelVipV2;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbSrvType;
import dev.vppmaglev.vpp.api.msg.Prefix;
import dev.vppmaglev.vpp.fake.FakeVpp;
import dev.vppmaglev.vpp.fake.VppApiProxy;
import dev.vppmaglev.vpp.lb.SyncResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.vppmaglev.vpp.fake.reconcile.Maglevd.LONG;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.ANY;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.KEEP;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.SIX;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.WEB;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.YAML;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.ases;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.mutations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A VPP older than 26.10 (spec README "VPP compatibility"): without the lb v2 messages and with the
 * old lb handlers, which the fake emulates byte for byte ({@code FakeVpp.lbV2(false)}: raw ip46
 * prefix lengths, encap without byte swapping, protocol 0 in the details). v1 semantics: every
 * AS in VPP has weight 100, weight 0 means "deleted" (with flush only when flush is requested).
 * The IPv4 VIPs (WEB, KEEP, ANY) and the IPv6 UDP one (SIX) must all converge.
 */
class ReconcilerDegradedTest {
    @TempDir
    Path dir;
    FakeVpp fake;
    Maglevd maglevd;

    @AfterEach
    void stop() {
        if (maglevd != null) {
            maglevd.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    /** Weights 1..100 are all "in" (100 in VPP); weight 0 is "not there". */
    static Map<String, Map<String, Integer>> allUpV1() {
        Map<String, Map<String, Integer>> m = new LinkedHashMap<>();
        m.put(WEB, ases("10.0.0.9", 100, "10.0.0.10", 100));  // the backup's standby b1 (0) is absent
        m.put(KEEP, ases("10.0.0.2", 100));
        m.put(SIX, ases("2001:db8:1::9", 100, "2001:db8:1::a", 100));
        m.put(ANY, ases("10.0.0.2", 100));
        return m;
    }

    /** Every VIP of the fake, live or removed, by pool index: {@code type key[ removed]}, from VPP's own text. */
    private Map<Integer, String> vipTable() {
        Map<Integer, String> out = new TreeMap<>();
        for (CliVip v : OldLbReads.parseShowLbVipsVerbose(fake.cli("show lb vips verbose"))) {
            out.put(v.index(), v.type() + " " + v.key() + (v.removed() ? " removed" : ""));
        }
        return out;
    }

    /** Per live VIP: its in-use ASes (weight 100: the old text has no weights), in VPP's order. */
    private Map<String, Map<String, Integer>> weights() {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        for (CliVip v : OldLbReads.parseShowLbVipsVerbose(fake.cli("show lb vips verbose"))) {
            if (v.removed()) {
                continue;
            }
            Map<String, Integer> ases = new LinkedHashMap<>();
            for (CliAs a : v.ases()) {
                if (a.used()) {
                    ases.put(IpFormat.format(a.address()), a.weight());
                }
            }
            out.put(v.key().toString(), ases);
        }
        return out;
    }

    private void awaitWeights(Map<String, Map<String, Integer>> expected) {
        await().atMost(LONG).untilAsserted(() -> assertThat(weights()).isEqualTo(expected));
    }

    /** The AS requests received since the last {@code clearCalls}, as {@code port address del|add flush=}. */
    private List<String> asCalls() {
        return mutations(fake).stream().filter(c -> c.request() instanceof LbAddDelAs).map(c -> (LbAddDelAs) c.request())
                .map(a -> a.port() + " " + IpFormat.format(a.asAddress()) + (a.isDel() ? " del" : " add") + " flush="
                        + a.isFlush()).toList();
    }

    @Test
    void convergesOnTheOldHandlersForIpv4AndIpv6VipsAndSaysSoOncePerConnection() throws Exception {
        try (LogCapture logs = new LogCapture(false)) {
            fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(false).build().start();
            maglevd = Maglevd.builder(fake.apiSocket(), YAML).start();
            awaitWeights(allUpV1());
            // programmed as meant: IPv4 VIPs are IPv4 (no ::/32 junk), the encaps fit the backends
            assertThat(vipTable()).containsOnly(Map.entry(1, "ip4-gre4 " + WEB), Map.entry(2, "ip4-gre4 " + KEEP),
                    Map.entry(3, "ip6-gre6 " + SIX), Map.entry(4, "ip4-gre4 " + ANY));
            assertThat(maglevd.reconciler.degraded()).isTrue();
            assertThat(fake.callCount("lb_add_del_as_v2")).isZero();
            assertThat(fake.callCount("lb_as_set_weight")).isZero();
            assertThat(logs.named("vpp-lb-degraded")).singleElement()
                    .satisfies(e -> assertThat(e.get("reason")).contains("degraded mode").contains("old lb handlers")
                            .contains("Does not work: AS weights"));
            assertThat(fake.callCount("lb_conf")).isEqualTo(1);

            // in sync: the reads match the planner's keys, so zero mutating calls
            await().atMost(LONG).until(() -> maglevd.reconciler.syncAll().isEmpty());
            fake.clearCalls();
            assertThat(maglevd.reconciler.syncAll()).isEqualTo(SyncResult.NONE);
            assertThat(fake.mutatingCalls()).isZero();
            assertThat(fake.callLog()).filteredOn(c -> c.request() instanceof CliInband cli
                            && cli.cmd().startsWith("show lb vips"))
                    .as("one show lb vips text per whole-table read: " + fake.callLog().stream().map(FakeVpp.Call::msg).toList()).hasSize(1);

            // a2 down: keep (flush-on-down false) deletes without flush, all (default) with flush
            fake.clearCalls();
            maglevd.healthy("10.0.0.2", false);
            Map<String, Map<String, Integer>> down = allUpV1();
            down.put(KEEP, Map.of());
            down.put(ANY, Map.of());
            awaitWeights(down);
            assertThat(asCalls()).containsExactlyInAnyOrder("443 10.0.0.2 del flush=false", "0 10.0.0.2 del flush=true");

            // an IPv6 backend down: the UDP VIP's AS is deleted (its protocol was read back right)
            fake.clearCalls();
            maglevd.healthy("2001:db8:1::9", false);
            down.put(SIX, ases("2001:db8:1::a", 100));
            awaitWeights(down);
            assertThat(asCalls()).containsExactly("53 2001:db8:1::9 del flush=true");

            // disable: deleted with flush, on IPv4 and IPv6
            fake.clearCalls();
            maglevd.checker.disable("a10");
            maglevd.checker.disable("v6a");
            down.put(WEB, ases("10.0.0.9", 100));
            down.put(SIX, Map.of());
            awaitWeights(down);
            assertThat(asCalls()).containsExactlyInAnyOrder("80 10.0.0.10 del flush=true",
                    "53 2001:db8:1::a del flush=true");

            // failover: the backup is added (weight "in"), the primaries deleted with flush
            maglevd.healthy("10.0.0.9", false);
            Map<String, Map<String, Integer>> failover = new LinkedHashMap<>(down);
            failover.put(WEB, ases("10.0.1.1", 100));
            awaitWeights(failover);

            // back up and enabled: re-added, on IPv4 and IPv6
            fake.clearCalls();
            maglevd.healthy("10.0.0.2", true);
            maglevd.healthy("10.0.0.9", true);
            maglevd.healthy("2001:db8:1::9", true);
            maglevd.checker.enable("a10");
            maglevd.checker.enable("v6a");
            awaitWeights(allUpV1());
            assertThat(asCalls()).contains("443 10.0.0.2 add flush=false", "0 10.0.0.2 add flush=false",
                    "53 2001:db8:1::9 add flush=false", "53 2001:db8:1::a add flush=false");
            assertThat(vipTable()).as("no VIP was ever recreated").hasSize(4);

            // a restart of VPP is a new connection: the degraded warning once more, lb_conf again
            fake.clearCalls();
            fake.restart(false);
            awaitWeights(allUpV1());
            assertThat(logs.named("vpp-lb-degraded")).hasSize(2);
            assertThat(fake.callCount("lb_conf")).isEqualTo(1);
        }
    }

    /**
     * The test config without IPv6 VIPs and without {@code ipv6-src-address} (the loader wants
     * one only for IPv6 VIPs): VPP's IPv6 source address is not maglevd's to change.
     */
    static final String NO_IP6_SRC = Maglevd.edit(Maglevd.edit(YAML, "      ipv6-src-address: 2001:db8::254\n", ""),
            """
                six:
                  address: "2001:db8::80"
                  protocol: udp
                  port: 53
                  pools:
                    - name: only
                      backends: { v6a: {}, v69: {} }
            """, "");

    /** {@link #allUpV1()} without the IPv6 VIP. */
    static Map<String, Map<String, Integer>> allUpV1NoSix() {
        Map<String, Map<String, Integer>> m = allUpV1();
        m.remove(SIX);
        return m;
    }

    @Test
    void withoutLbConfGetAnUnconfiguredSourceAddressIsKeptAsShowLbReportsIt() throws Exception {
        assertThat(NO_IP6_SRC).doesNotContain("ipv6-src-address");
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(false).build().start();
        fake.cli("lb conf ip6-src-address 2001:db8::99");
        try (LogCapture logs = new LogCapture(false)) {
            maglevd = Maglevd.builder(fake.apiSocket(), NO_IP6_SRC).start();
            awaitWeights(allUpV1NoSix());
            assertThat(fake.callCount("lb_conf")).isEqualTo(1);
            assertThat(IpFormat.format(fake.lbConf().ip4SrcAddress())).isEqualTo("192.0.2.254");
            assertThat(IpFormat.format(fake.lbConf().ip6SrcAddress())).as("VPP's own, not all ones")
                    .isEqualTo("2001:db8::99");
            assertThat(fake.lbConf().flowTimeout()).isEqualTo(30);
            assertThat(logs.named("vpp-lbconf-set")).singleElement()
                    .satisfies(e -> assertThat(e.get("unconfigured_src_from")).isEqualTo("show lb"));
            assertThat(logs.named("vpp-lbconf-src-unknown")).isEmpty();
        }
    }

    @Test
    void whenShowLbDoesNotTellTheReasonForWritingUnsetIsLogged() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(false).build().start();
        fake.cli("lb conf ip6-src-address 2001:db8::99");
        try (LogCapture logs = new LogCapture(false);
             VppApiProxy proxy = VppApiProxy.start(dir.resolve("proxy.sock"), fake.apiSocket())) {
            proxy.rewriteCli((command, text) -> command.equals("show lb") ? "lb_main (format of a future VPP)\n" : text);
            maglevd = Maglevd.builder(proxy.socket(), NO_IP6_SRC).start();
            awaitWeights(allUpV1NoSix());
            assertThat(fake.lbConf().ip6SrcAddress().getAddress()).containsOnly((byte) 0xff);
            assertThat(logs.named("vpp-lbconf-src-unknown")).singleElement().satisfies(e -> {
                assertThat(e.level()).isEqualTo(ch.qos.logback.classic.Level.WARN);
                assertThat(e.get("reason")).contains("no lb_conf_get").contains("ip6-src-address")
                        .contains("ipv6-src-address");
            });
        }
    }

    @Test
    void aVppWithLbConfGetButNotEveryV2MessageReadsTheConfAndKeepsWhatIsNotConfigured() throws Exception {
        // degraded (no lb_as_set_weight), yet lb_conf_get is there: compare, never clobber
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start();
        fake.cli("lb conf ip6-src-address 2001:db8::99");
        try (LogCapture logs = new LogCapture(false);
             VppApiProxy proxy = VppApiProxy.start(dir.resolve("proxy.sock"), fake.apiSocket())) {
            proxy.hide("lb_as_set_weight", "lb_as_set_weight_reply");
            maglevd = Maglevd.builder(proxy.socket(), NO_IP6_SRC).start();
            await().atMost(LONG).until(() -> Vpp.weights(fake).size() == 3);
            assertThat(maglevd.reconciler.degraded()).isTrue();
            await().atMost(LONG).until(() -> maglevd.syncCount("all") >= 1);
            assertThat(fake.callCount("lb_conf_get")).isPositive();
            assertThat(IpFormat.format(fake.lbConf().ip6SrcAddress())).isEqualTo("2001:db8::99");
            assertThat(logs.named("vpp-lbconf-set")).singleElement().satisfies(e -> {
                assertThat(e.get("unconfigured_src_from")).isEqualTo("lb_conf_get");
                assertThat(e.get("was_ip6_src")).isEqualTo("2001:db8::99");
            });
            // and, compared with lb_conf_get, it is not pushed again
            fake.clearCalls();
            maglevd.reconciler.syncAll();
            assertThat(fake.callCount("lb_conf")).isZero();
            assertThat(fake.callCount("lb_conf_get")).isEqualTo(1);
        }
    }

    @Test
    void aVppThatCannotChooseSrcIpStickyKeepsTheVipRatherThanRecreatingItOnEverySync() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(false).build().start();
        // web as a pre-23.02 VPP's lb_add_del_vip may leave it: sticky, though nobody asked for it
        fake.cli("lb vip 192.0.2.1/32 protocol tcp port 80 encap gre4 src_ip_sticky");
        try (LogCapture logs = new LogCapture(false);
             VppApiProxy proxy = VppApiProxy.start(dir.resolve("proxy.sock"), fake.apiSocket())) {
            proxy.hide("lb_add_del_vip_v2", "lb_add_del_vip_v2_reply");
            maglevd = Maglevd.builder(proxy.socket(), YAML).start();
            awaitWeights(allUpV1());
            assertThat(vipTable()).containsEntry(1, "ip4-gre4 " + WEB);
            assertThat(fake.cli("show lb vips verbose")).contains(WEB.split(" ")[0] + " src_ip_sticky");

            fake.clearCalls();
            assertThat(maglevd.reconciler.syncAll()).isEqualTo(SyncResult.NONE);
            assertThat(maglevd.reconciler.syncAll()).isEqualTo(SyncResult.NONE);
            assertThat(fake.mutatingCalls()).as("no recreate: it could not fix the flag, only flush every flow")
                    .isZero();
            assertThat(logs.named("vpp-lbsync-sticky-unsettable")).singleElement().satisfies(e -> {
                assertThat(e.level()).isEqualTo(ch.qos.logback.classic.Level.WARN);
                assertThat(e.get("vip")).isEqualTo(WEB);
                assertThat(e.get("src_ip_sticky")).isEqualTo("true");
                assertThat(e.get("configured")).isEqualTo("false");
            });
        }
    }

    @Test
    void theJunkVipsOfAClientUnawareOfTheOldHandlersAreRemoved() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(false).build().start();
        try (VppApiClient naive = VppApiClient.connect(VppApiClientConfig.defaults(fake.apiSocket()), ApiObserver.NONE)) {
            // 192.0.2.1/32 in the 26.10 form: the old handler makes an ip6-gre4 ::/32 of it
            naive.call(Api.LB_ADD_DEL_VIP_V2, new LbAddDelVipV2(Prefix.parse("192.0.2.1/32"), 6, 80, LbEncap.GRE4, 0,
                    LbSrvType.CLUSTERIP, 0, 0, 1024, false, false)).get(20, TimeUnit.SECONDS);
            naive.call(Api.LB_ADD_DEL_AS, new LbAddDelAs(Prefix.parse("192.0.2.1/32"), 6, 80,
                    IpFormat.parse("10.0.0.10"), false, false)).get(20, TimeUnit.SECONDS);
        }
        assertThat(vipTable()).containsExactly(Map.entry(1, "ip6-gre4 ::/32 tcp 80"));

        maglevd = Maglevd.builder(fake.apiSocket(), YAML).start();
        awaitWeights(allUpV1());
        await().atMost(LONG).untilAsserted(() -> assertThat(vipTable().values()).contains("ip6-gre4 ::/32 tcp 80 removed")
                .doesNotContain("ip6-gre4 ::/32 tcp 80"));
        assertThat(vipTable().values()).filteredOn(v -> !v.endsWith("removed"))
                .containsExactlyInAnyOrder("ip4-gre4 " + WEB, "ip4-gre4 " + KEEP, "ip6-gre6 " + SIX, "ip4-gre4 " + ANY);
    }

    @Test
    void anUpgradeToAVppWithV2LeavesDegradedMode() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(false).build().start();
        maglevd = Maglevd.builder(fake.apiSocket(), YAML).start();
        awaitWeights(allUpV1());
        fake.restart(true);
        await().atMost(LONG).untilAsserted(() -> assertThat(Vpp.weights(fake)).isEqualTo(ReconcilerTest.allUp()));
        assertThat(maglevd.reconciler.degraded()).isFalse();
    }

    @Test
    void aDowngradeToAnOldVppEntersDegradedModeAndReprogramsIt() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start();
        maglevd = Maglevd.builder(fake.apiSocket(), YAML).start();
        await().atMost(LONG).untilAsserted(() -> assertThat(Vpp.weights(fake)).isEqualTo(ReconcilerTest.allUp()));
        fake.restart(false);
        awaitWeights(allUpV1());
        assertThat(maglevd.reconciler.degraded()).isTrue();
        assertThat(vipTable()).hasSize(4).allSatisfy((i, v) -> assertThat(v).doesNotContain("::/32"));
    }
}
