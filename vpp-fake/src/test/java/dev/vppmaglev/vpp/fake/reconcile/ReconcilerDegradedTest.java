package dev.vppmaglev.vpp.fake.reconcile;

import dev.vppmaglev.vpp.api.IpFormat;
import dev.vppmaglev.vpp.api.msg.LbAddDelAs;
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

import static dev.vppmaglev.vpp.fake.reconcile.Maglevd.LONG;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.ANY;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.KEEP;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.SIX;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.WEB;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.YAML;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.ases;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.mutations;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.weights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A VPP without the lb v2 messages (spec README "VPP compatibility"): v1 semantics — every AS in
 * VPP has weight 100, weight 0 means "deleted" (with flush only when flush is requested).
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

    private void awaitWeights(Map<String, Map<String, Integer>> expected) {
        await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake)).isEqualTo(expected));
    }

    @Test
    void convergesWithV1SemanticsAndSaysSoOncePerConnection() throws Exception {
        try (LogCapture logs = new LogCapture(false)) {
            fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(false).build().start();
            maglevd = Maglevd.builder(fake.apiSocket(), YAML).start();
            awaitWeights(allUpV1());
            assertThat(maglevd.reconciler.degraded()).isTrue();
            assertThat(fake.callCount("lb_add_del_as_v2")).isZero();
            assertThat(fake.callCount("lb_as_set_weight")).isZero();
            assertThat(logs.named("vpp-lb-degraded")).singleElement()
                    .satisfies(e -> assertThat(e.get("reason")).contains("degraded mode"));
            assertThat(fake.callCount("lb_conf")).isEqualTo(1);

            // in sync: zero mutating calls, and lb_conf is not pushed again on the same connection
            await().atMost(LONG).until(() -> maglevd.reconciler.syncAll().isEmpty());
            fake.clearCalls();
            assertThat(maglevd.reconciler.syncAll()).isEqualTo(SyncResult.NONE);
            assertThat(fake.mutatingCalls()).isZero();

            // a2 down: keep (flush-on-down false) deletes without flush, all (default) with flush
            maglevd.healthy("10.0.0.2", false);
            Map<String, Map<String, Integer>> down = allUpV1();
            down.put(KEEP, Map.of());
            down.put(ANY, Map.of());
            awaitWeights(down);
            List<LbAddDelAs> dels = mutations(fake).stream().map(c -> (LbAddDelAs) c.request()).toList();
            assertThat(dels).allSatisfy(d -> assertThat(d.isDel()).isTrue())
                    .extracting(d -> d.port() + " flush=" + d.isFlush())
                    .containsExactlyInAnyOrder("443 flush=false", "0 flush=true");

            // failover: the backup is added (weight "in"), the primaries deleted with flush
            maglevd.healthy("10.0.0.9", false);
            maglevd.healthy("10.0.0.10", false);
            Map<String, Map<String, Integer>> failover = new LinkedHashMap<>(down);
            failover.put(WEB, ases("10.0.1.1", 100));
            awaitWeights(failover);

            // back up: recovered
            maglevd.healthy("10.0.0.2", true);
            maglevd.healthy("10.0.0.9", true);
            maglevd.healthy("10.0.0.10", true);
            awaitWeights(allUpV1());

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
            await().atMost(LONG).until(() -> weights(fake).size() == 3);
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
    void anUpgradeToAVppWithV2LeavesDegradedMode() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).lbV2(false).build().start();
        maglevd = Maglevd.builder(fake.apiSocket(), YAML).start();
        awaitWeights(allUpV1());
        fake.restart(true);
        awaitWeights(ReconcilerTest.allUp());
        assertThat(maglevd.reconciler.degraded()).isFalse();
    }
}
