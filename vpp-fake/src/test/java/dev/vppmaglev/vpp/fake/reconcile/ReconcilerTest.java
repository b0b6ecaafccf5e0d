package dev.vppmaglev.vpp.fake.reconcile;

import dev.vppmaglev.config.Backend;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.UnknownNameException;
import dev.vppmaglev.vpp.api.VppNotConnectedException;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.msg.LbAddDelAsV2;
import dev.vppmaglev.vpp.api.msg.LbAddDelVipV2;
import dev.vppmaglev.vpp.api.msg.LbAsSetWeight;
import dev.vppmaglev.vpp.api.msg.LbConf;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.fake.FakeVpp;
import dev.vppmaglev.vpp.lb.LbState;
import dev.vppmaglev.vpp.lb.LbVipState;
import dev.vppmaglev.vpp.lb.SyncResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.vppmaglev.vpp.fake.reconcile.Maglevd.LONG;
import static dev.vppmaglev.vpp.fake.reconcile.Maglevd.ip;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.ases;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.mutations;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.weights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The reconciler with a real checker and a real VPP connection against the fake VPP. */
class ReconcilerTest {
    static final String HEAD = """
            maglev:
              vpp:
                lb:
                  ipv4-src-address: 192.0.2.254
                  ipv6-src-address: 2001:db8::254
                  sync-interval: %s
                  sticky-buckets-per-core: 4096
                  flow-timeout: 30s
                  startup-min-delay: 0
                  startup-max-delay: 0
              healthchecks:
                web: { type: http, port: 80, interval: 100ms, timeout: 30s, rise: 1, fall: 1 }
              backends:
                a10: { address: 10.0.0.10, healthcheck: web }
                a9:  { address: 10.0.0.9, healthcheck: web }
                a2:  { address: 10.0.0.2, healthcheck: web }
                b1:  { address: 10.0.1.1, healthcheck: web }
                v6a: { address: "2001:db8:1::a", healthcheck: web }
                v69: { address: "2001:db8:1::9", healthcheck: web }
              frontends:
                web:
                  address: 192.0.2.1
                  protocol: tcp
                  port: 80
                  src-ip-sticky: %s
                  pools:
                    - name: primary
                      backends: { a10: {}, a9: { weight: 50 } }
                    - name: backup
                      backends: { b1: {} }
                keep:
                  address: 192.0.2.2
                  protocol: tcp
                  port: 443
                  flush-on-down: false
                  pools:
                    - name: only
                      backends: { a2: {} }
                six:
                  address: "2001:db8::80"
                  protocol: udp
                  port: 53
                  pools:
                    - name: only
                      backends: { v6a: {}, v69: {} }
            """;
    static final String ALL = """
                all:
                  address: 192.0.2.3
                  pools:
                    - name: only
                      backends: { a2: { weight: 7 } }
            """;
    static final String YAML = HEAD.formatted("1h", "false") + ALL;

    static final String WEB = "192.0.2.1/32 tcp 80";
    static final String KEEP = "192.0.2.2/32 tcp 443";
    static final String SIX = "2001:db8::80/128 udp 53";
    static final String ANY = "192.0.2.3/32 any 0";

    static Map<String, Map<String, Integer>> allUp() {
        Map<String, Map<String, Integer>> m = new LinkedHashMap<>();
        m.put(WEB, ases("10.0.0.9", 50, "10.0.0.10", 100, "10.0.1.1", 0));
        m.put(KEEP, ases("10.0.0.2", 100));
        m.put(SIX, ases("2001:db8:1::9", 100, "2001:db8:1::a", 100));
        m.put(ANY, ases("10.0.0.2", 7));
        return m;
    }

    @TempDir
    Path dir;
    FakeVpp fake;
    Maglevd maglevd;

    @BeforeEach
    void startFake() throws IOException {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start();
    }

    @AfterEach
    void stop() {
        if (maglevd != null) {
            maglevd.close();
        }
        fake.close();
    }

    private Maglevd start(String yaml) {
        maglevd = Maglevd.builder(fake.apiSocket(), yaml).start();
        return maglevd;
    }

    private void awaitWeights(Map<String, Map<String, Integer>> expected) {
        await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake)).isEqualTo(expected));
    }

    private static List<LbAsSetWeight> setWeights(List<FakeVpp.Call> calls) {
        return calls.stream().filter(c -> c.request() instanceof LbAsSetWeight).map(c -> (LbAsSetWeight) c.request())
                .toList();
    }

    @Test
    void programsVipsWeightsEncapAndConfFromConfig() {
        start(YAML);
        awaitWeights(allUp());

        Map<String, CliVip> vips = Vpp.vips(fake);
        assertThat(vips.get(WEB).encap()).isEqualTo(LbEncap.GRE4);
        assertThat(vips.get(SIX).encap()).isEqualTo(LbEncap.GRE6);
        assertThat(vips.values()).allSatisfy(v -> {
            assertThat(v.newSize()).isEqualTo(1024);
            assertThat(v.srcIpSticky()).isFalse();
        });

        LbState state = maglevd.reconciler.readState();
        assertThat(state.conf()).contains(new LbConf((java.net.Inet4Address) ip("192.0.2.254"),
                (java.net.Inet6Address) ip("2001:db8::254"), 4096, 30));
        Map<String, String> frontendByVip = new LinkedHashMap<>();
        for (LbVipState v : state.vips()) {
            frontendByVip.put(v.key().toString(), v.frontend().orElse("?"));
            assertThat(v.lbIndex()).isEqualTo(vips.get(v.key().toString()).index());
            assertThat(v.srcIpSticky()).contains(false);
        }
        assertThat(frontendByVip).containsOnly(Map.entry(WEB, "web"), Map.entry(KEEP, "keep"),
                Map.entry(SIX, "six"), Map.entry(ANY, "all"));
        assertThat(state.vips().stream().filter(v -> v.key().toString().equals(WEB)).findFirst().orElseThrow().ases())
                .allSatisfy(a -> assertThat(a.flags()).isEqualTo(1));
        assertThat(fake.callCount("lb_conf")).isEqualTo(1);
        assertThat(maglevd.syncs).isNotEmpty();
    }

    @Test
    void anInSyncFullSyncSendsNothingAndAnotherConfPushIsDeduplicated() {
        start(YAML);
        awaitWeights(allUp());
        await().atMost(LONG).until(() -> maglevd.reconciler.syncAll().isEmpty());
        fake.clearCalls();
        SyncResult r = maglevd.reconciler.syncAll();
        assertThat(r).isEqualTo(SyncResult.NONE);
        assertThat(fake.mutatingCalls()).isZero();
        // it did read: one VIP dump, ONE unfiltered AS dump, the CLI text, lb_conf_get
        assertThat(fake.callCount("lb_vip_dump")).isEqualTo(1);
        assertThat(fake.callCount("lb_as_v2_dump")).isEqualTo(1);
        assertThat(fake.callCount("cli_inband")).isEqualTo(1);
        assertThat(fake.callCount("lb_conf_get")).isEqualTo(1);
        assertThat(maglevd.syncs.getLast()).isEqualTo(new Maglevd.Sync("all", SyncResult.NONE));
        assertThat(maglevd.reconciler.syncFrontend("web")).isEqualTo(SyncResult.NONE);
        assertThat(fake.mutatingCalls()).isZero();
    }

    @Test
    void backendDownSetsWeightZeroWithFlushPerFlushOnDown() {
        start(YAML);
        awaitWeights(allUp());
        fake.clearCalls();
        maglevd.healthy("10.0.0.2", false);

        Map<String, Map<String, Integer>> expected = allUp();
        expected.put(KEEP, ases("10.0.0.2", 0));
        expected.put(ANY, ases("10.0.0.2", 0));
        awaitWeights(expected);
        List<LbAsSetWeight> sets = setWeights(fake.callLog());
        // keep has flush-on-down: false, all has the default (true)
        assertThat(sets).extracting(s -> s.port() + " flush=" + s.isFlush())
                .containsExactlyInAnyOrder("443 flush=false", "0 flush=true");
        assertThat(sets).allSatisfy(s -> assertThat(s.weight()).isZero());
    }

    @Test
    void disableFlushesAndPauseDoesNot() {
        start(YAML);
        awaitWeights(allUp());
        fake.clearCalls();
        maglevd.checker.pause("a9");
        Map<String, Map<String, Integer>> expected = allUp();
        expected.put(WEB, ases("10.0.0.9", 0, "10.0.0.10", 100, "10.0.1.1", 0));
        awaitWeights(expected);
        assertThat(setWeights(fake.callLog())).singleElement()
                .satisfies(s -> assertThat(s.asAddress()).isEqualTo(ip("10.0.0.9")))
                .satisfies(s -> assertThat(s.isFlush()).isFalse());

        fake.clearCalls();
        maglevd.checker.disable("a2");
        expected.put(KEEP, ases("10.0.0.2", 0));
        expected.put(ANY, ases("10.0.0.2", 0));
        awaitWeights(expected);
        // disabled flushes even where flush-on-down is false
        assertThat(setWeights(fake.callLog())).hasSize(2).allSatisfy(s -> assertThat(s.isFlush()).isTrue());
    }

    @Test
    void poolFailoverAndBack() {
        start(YAML);
        awaitWeights(allUp());
        maglevd.healthy("10.0.0.9", false);
        maglevd.healthy("10.0.0.10", false);
        Map<String, Map<String, Integer>> failed = allUp();
        failed.put(WEB, ases("10.0.0.9", 0, "10.0.0.10", 0, "10.0.1.1", 100));
        awaitWeights(failed);

        maglevd.healthy("10.0.0.10", true);
        Map<String, Map<String, Integer>> back = allUp();
        back.put(WEB, ases("10.0.0.9", 0, "10.0.0.10", 100, "10.0.1.1", 0));
        awaitWeights(back);
        maglevd.healthy("10.0.0.9", true);
        awaitWeights(allUp());
    }

    @Test
    void disableAfterAFailoverDrainStillFlushesTheStickyFlows() {
        start(YAML);
        awaitWeights(allUp());
        maglevd.healthy("10.0.0.9", false);
        maglevd.healthy("10.0.0.10", false);
        await().atMost(LONG).until(() -> weights(fake).get(WEB).get("10.0.1.1") == 100);
        int web = Vpp.vips(fake).get(WEB).index();
        fake.setAsFlows(web, ip("10.0.1.1"), 5); // the backup carries flows
        maglevd.healthy("10.0.0.9", true);
        maglevd.healthy("10.0.0.10", true);
        awaitWeights(allUp()); // backup drained to 0 without flush: its flows stay
        assertThat(Vpp.vips(fake).get(WEB).ases()).filteredOn(a -> a.address().equals(ip("10.0.1.1")))
                .singleElement().satisfies(a -> assertThat(a.flows()).isEqualTo(5));

        fake.clearCalls();
        maglevd.checker.disable("b1");
        // weight already 0, flush requested: the call goes out (behaviour.md §12 item 10)
        await().atMost(LONG).untilAsserted(() -> assertThat(setWeights(fake.callLog())).singleElement()
                .satisfies(s -> assertThat(s.weight()).isZero()).satisfies(s -> assertThat(s.isFlush()).isTrue()));
        await().atMost(LONG).untilAsserted(() -> assertThat(Vpp.vips(fake).get(WEB).ases())
                .filteredOn(a -> a.address().equals(ip("10.0.1.1"))).singleElement()
                .satisfies(a -> assertThat(a.flows()).isZero()));
        // once flushed at 0 it is clean: neither a full sync nor a targeted one flushes it again
        fake.clearCalls();
        assertThat(maglevd.reconciler.syncAll()).isEqualTo(SyncResult.NONE);
        assertThat(maglevd.reconciler.syncFrontend("web")).isEqualTo(SyncResult.NONE);
        assertThat(fake.mutatingCalls()).isZero();
    }

    @Test
    void aBrandNewAsAddedAtWeightZeroIsCleanSoADisableSendsNoFlush() {
        // every backend up before VPP is connected: b1 is never active, its AS created at 0
        maglevd = Maglevd.builder(fake.apiSocket(), YAML).connectAfterUp().start();
        awaitWeights(allUp());
        // b1 (the backup pool's standby) was created at weight 0 without flush: it never had a
        // bucket, so it never had a flow. Disabling it asks for a flush that would evict nothing
        // and rebuild the table for nothing.
        fake.clearCalls();
        maglevd.checker.disable("b1");
        maglevd.awaitStates(BackendState.DISABLED, "b1");
        assertThat(maglevd.reconciler.syncFrontend("web")).isEqualTo(SyncResult.NONE);
        assertThat(setWeights(fake.callLog())).isEmpty();
        assertThat(fake.mutatingCalls()).isZero();
    }

    @Test
    void anAsVppStillHoldsAsRemovedKeepsItsFlowsWhenAddedBackSoADisableFlushesIt() {
        start(YAML);
        awaitWeights(allUp());
        int web = Vpp.vips(fake).get(WEB).index();
        // b1 leaves the pools (deleted with flush) and comes back before VPP collected it: VPP
        // revives the removed entry, and with it whatever sticky flows it holds by then
        String without = Maglevd.edit(YAML, "        - name: backup\n          backends: { b1: {} }\n", "");
        maglevd.reload(without);
        Map<String, Map<String, Integer>> noBackup = allUp();
        noBackup.put(WEB, ases("10.0.0.9", 50, "10.0.0.10", 100));
        awaitWeights(noBackup);
        fake.setAsFlows(web, ip("10.0.1.1"), 3); // flows that still point at the removed AS
        maglevd.reload(YAML);
        awaitWeights(allUp());
        assertThat(Vpp.vips(fake).get(WEB).ases()).filteredOn(a -> a.address().equals(ip("10.0.1.1")) && a.used())
                .singleElement().satisfies(a -> assertThat(a.flows()).isEqualTo(3));

        fake.clearCalls();
        maglevd.checker.disable("b1");
        maglevd.awaitStates(BackendState.DISABLED, "b1");
        maglevd.reconciler.syncFrontend("web");
        await().atMost(LONG).untilAsserted(() -> assertThat(setWeights(fake.callLog()))
                .anySatisfy(w -> {
                    assertThat(w.asAddress()).isEqualTo(ip("10.0.1.1"));
                    assertThat(w.weight()).isZero();
                    assertThat(w.isFlush()).isTrue();
                }));
        await().atMost(LONG).untilAsserted(() -> assertThat(Vpp.vips(fake).get(WEB).ases())
                .filteredOn(a -> a.address().equals(ip("10.0.1.1")) && a.used()).singleElement()
                .satisfies(a -> assertThat(a.flows()).isZero()));
    }

    @Test
    void aVipWithAnotherNewFlowsTableLengthIsRecreatedWith1024() {
        // created by hand (or by an older tool) with a 2048-bucket table: the Maglev table of two
        // maglevds would differ; VPP cannot resize a live VIP, so it is recreated
        fake.cli("lb vip 192.0.2.1/32 protocol tcp port 80 encap gre4 new_len 2048");
        fake.cli("lb as 192.0.2.1/32 protocol tcp port 80 10.0.0.10");
        assertThat(Vpp.vips(fake).get(WEB).newSize()).isEqualTo(2048);
        try (LogCapture logs = new LogCapture(false)) {
            maglevd = Maglevd.builder(fake.apiSocket(), YAML).connectAfterUp().start();
            awaitWeights(allUp());
            assertThat(Vpp.vips(fake).get(WEB).newSize()).isEqualTo(1024);
            assertThat(logs.named("vpp-lbsync-vip-recreate")).singleElement().satisfies(e -> {
                assertThat(e.get("vip")).isEqualTo(WEB);
                assertThat(e.get("changed")).isEqualTo("new_flows_table_length");
                assertThat(e.get("from")).isEqualTo("2048");
                assertThat(e.get("to")).isEqualTo("1024");
            });
        }
        // and only once: the recreated VIP is in sync
        fake.clearCalls();
        assertThat(maglevd.reconciler.syncAll()).isEqualTo(SyncResult.NONE);
        assertThat(fake.mutatingCalls()).isZero();
    }

    @Test
    void reloadAddsAndRemovesFrontendsAndCountsIt() {
        start(YAML);
        awaitWeights(allUp());
        fake.clearCalls();
        maglevd.reload(HEAD.formatted("1h", "false") + """
                    extra:
                      address: 192.0.2.4
                      protocol: udp
                      port: 4789
                      pools:
                        - name: only
                          backends: { a2: {}, a10: { weight: 3 } }
                """);
        Map<String, Map<String, Integer>> expected = allUp();
        expected.remove(ANY);
        expected.put("192.0.2.4/32 udp 4789", ases("10.0.0.2", 100, "10.0.0.10", 3));
        awaitWeights(expected);
        List<FakeVpp.Call> calls = mutations(fake);
        // the removed VIP's AS is deleted with flush before the VIP
        int asDel = indexOf(calls, c -> c.request() instanceof LbAddDelAsV2 a && a.isDel() && a.port() == 0);
        int vipDel = indexOf(calls, c -> c.request() instanceof LbAddDelVipV2 v && v.isDel());
        assertThat(asDel).isNotNegative().isLessThan(vipDel);
        assertThat(((LbAddDelAsV2) calls.get(asDel).request()).isFlush()).isTrue();
        await().atMost(LONG).untilAsserted(() -> assertThat(maglevd.syncs).anySatisfy(s -> {
            assertThat(s.scope()).isEqualTo("all");
            assertThat(s.result()).isEqualTo(new SyncResult(1, 1, 2, 1, 0));
        }));
    }

    private static int indexOf(List<FakeVpp.Call> calls, java.util.function.Predicate<FakeVpp.Call> p) {
        for (int i = 0; i < calls.size(); i++) {
            if (p.test(calls.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void srcIpStickyFlipRecreatesTheVip() {
        try (LogCapture logs = new LogCapture(false)) {
            start(YAML);
            awaitWeights(allUp());
            fake.clearCalls();
            maglevd.reload(HEAD.formatted("1h", "true") + ALL);
            await().atMost(LONG).until(() -> Vpp.vips(fake).get(WEB).srcIpSticky());
            awaitWeights(allUp());
            List<String> seq = mutations(fake).stream().map(c -> switch (c.request()) {
                case LbAddDelAsV2 a -> (a.isDel() ? "as-del " : "as-add ") + a.asAddress().getHostAddress()
                        + (a.isDel() ? " flush=" + a.isFlush() : " w=" + a.weight());
                case LbAddDelVipV2 v -> (v.isDel() ? "vip-del" : "vip-add sticky=" + v.srcIpSticky()
                        + " len=" + v.newFlowsTableLength());
                default -> c.msg();
            }).toList();
            assertThat(seq).containsExactly(
                    "as-del 10.0.0.9 flush=true", "as-del 10.0.0.10 flush=true", "as-del 10.0.1.1 flush=true",
                    "vip-del", "vip-add sticky=true len=1024",
                    "as-add 10.0.0.9 w=50", "as-add 10.0.0.10 w=100", "as-add 10.0.1.1 w=0");
            assertThat(logs.named("vpp-lbsync-vip-recreate")).singleElement().satisfies(e -> {
                assertThat(e.get("vip")).isEqualTo(WEB);
                assertThat(e.get("changed")).isEqualTo("src_ip_sticky");
                assertThat(e.get("from")).isEqualTo("false");
                assertThat(e.get("to")).isEqualTo("true");
            });
        }
    }

    @Test
    void encapFlipWhenEveryBackendChangesFamilyRecreates() {
        start(YAML);
        awaitWeights(allUp());
        // The loader refuses backends of the other family than the VIP, so this config is built in
        // code: VPP can hold an ip4-gre6 VIP, and the reconciler must get there by recreating.
        Config base = maglevd.checker.config();
        Map<String, Backend> backends = new LinkedHashMap<>(base.backends());
        backends.put("a10", new Backend("a10", ip("2001:db8:2::10"), "web", true));
        backends.put("a9", new Backend("a9", ip("2001:db8:2::9"), "web", true));
        backends.put("b1", new Backend("b1", ip("2001:db8:2::1"), "web", true));
        maglevd.checker.apply(new Config(null, base.healthchecker(), base.vppLb(), base.healthchecks(), backends,
                base.frontends()));
        Map<String, Map<String, Integer>> v6 = allUp();
        v6.put(WEB, ases("2001:db8:2::9", 50, "2001:db8:2::10", 100, "2001:db8:2::1", 0));
        awaitWeights(v6);
        assertThat(Vpp.vips(fake).get(WEB).type()).isEqualTo("ip4-gre6");

        maglevd.checker.apply(base);
        awaitWeights(allUp());
        assertThat(Vpp.vips(fake).get(WEB).type()).isEqualTo("ip4-gre4");
    }

    @Test
    void runtimeWeightChangeIsPushed() {
        start(YAML);
        awaitWeights(allUp());
        maglevd.checker.setWeight("web", "primary", "a10", 20);
        Map<String, Map<String, Integer>> expected = allUp();
        expected.put(WEB, ases("10.0.0.9", 50, "10.0.0.10", 20, "10.0.1.1", 0));
        awaitWeights(expected);
    }

    @Test
    void theFullSyncDeletesForeignVipsAndRepairsDrift() {
        start(YAML);
        awaitWeights(allUp());
        // behind maglevd's back: a foreign VIP with an AS, a changed weight, an extra AS
        assertThat(fake.cli("lb vip 198.51.100.1/32 protocol tcp port 8080 encap gre4")).contains("lb_vip_add ok");
        fake.cli("lb as 198.51.100.1/32 protocol tcp port 8080 10.9.9.9");
        fake.cli("lb as 192.0.2.1/32 protocol tcp port 80 10.0.0.10 weight 1");
        fake.cli("lb as 192.0.2.2/32 protocol tcp port 443 10.0.0.77");
        assertThat(weights(fake)).containsKey("198.51.100.1/32 tcp 8080");

        fake.clearCalls();
        SyncResult r = maglevd.reconciler.syncAll();
        assertThat(r).isEqualTo(new SyncResult(0, 1, 0, 2, 1));
        assertThat(weights(fake)).isEqualTo(allUp());
        assertThat(mutations(fake)).filteredOn(c -> c.request() instanceof LbAddDelAsV2 a && a.isDel())
                .allSatisfy(c -> assertThat(((LbAddDelAsV2) c.request()).isFlush()).isTrue());
    }

    @Test
    void thePeriodicFullSyncRepairsDriftAndFollowsTheLiveInterval() {
        start(YAML);
        awaitWeights(allUp());
        fake.cli("lb as 192.0.2.1/32 protocol tcp port 80 10.0.0.10 weight 1");
        maglevd.reload(HEAD.formatted("1s", "false") + ALL); // the reload's own sync repairs it
        awaitWeights(allUp());
        long before = maglevd.syncCount("all");
        fake.cli("lb as 192.0.2.2/32 protocol tcp port 443 10.0.0.2 weight 3");
        awaitWeights(allUp()); // only the 1 s periodic sync can have done this
        await().atMost(LONG).until(() -> maglevd.syncCount("all") > before);
    }

    @Test
    void aBackendTakenOutOfThePoolIsDeletedWithFlushAndAConfChangeIsPushed() {
        try (LogCapture logs = new LogCapture(false)) {
            start(YAML);
            awaitWeights(allUp());
            fake.clearCalls();
            maglevd.reload(YAML.replace("backends: { a10: {}, a9: { weight: 50 } }", "backends: { a10: {} }")
                    .replace("flow-timeout: 30s", "flow-timeout: 45s"));
            Map<String, Map<String, Integer>> expected = allUp();
            expected.put(WEB, ases("10.0.0.10", 100, "10.0.1.1", 0));
            awaitWeights(expected);
            assertThat(mutations(fake)).filteredOn(c -> c.request() instanceof LbAddDelAsV2).singleElement()
                    .satisfies(c -> {
                        LbAddDelAsV2 a = (LbAddDelAsV2) c.request();
                        assertThat(a.asAddress()).isEqualTo(ip("10.0.0.9"));
                        assertThat(a.isDel()).isTrue();
                        assertThat(a.isFlush()).isTrue();
                    });
            // lb_conf: the new timeout, the source addresses kept; sent before the table changes
            assertThat(mutations(fake).getFirst().request()).isEqualTo(new LbConf(
                    (java.net.Inet4Address) ip("192.0.2.254"), (java.net.Inet6Address) ip("2001:db8::254"), 4096, 45));
            assertThat(logs.named("vpp-lbconf-set")).last().satisfies(e -> {
                assertThat(e.get("flow_timeout_s")).isEqualTo("45");
                assertThat(e.get("was_flow_timeout_s")).isEqualTo("30");
            });
        }
    }

    @Test
    void everyMutationIsLoggedAtInfoWithItsValues() {
        try (LogCapture logs = new LogCapture(false)) {
            maglevd = Maglevd.builder(fake.apiSocket(), YAML).connectAfterUp().start();
            awaitWeights(allUp());
            fake.cli("lb vip 198.51.100.1/32 protocol tcp port 8080 encap gre4");
            fake.cli("lb as 198.51.100.1/32 protocol tcp port 8080 10.9.9.9");
            fake.cli("lb as 192.0.2.1/32 protocol tcp port 80 10.0.0.10 weight 1");
            maglevd.reconciler.syncAll();
            assertThat(logs.named("vpp-lbsync-vip-add")).anySatisfy(e -> {
                assertThat(e.level()).isEqualTo(ch.qos.logback.classic.Level.INFO);
                assertThat(e.kv()).containsEntry("vip", WEB).containsEntry("frontend", "web")
                        .containsEntry("encap", "gre4").containsEntry("src_ip_sticky", "false")
                        .containsEntry("new_flows_table_length", "1024");
            });
            assertThat(logs.named("vpp-lbsync-as-add")).anySatisfy(e -> assertThat(e.kv())
                    .containsEntry("vip", WEB).containsEntry("as", "10.0.0.9").containsEntry("weight", "50")
                    .containsEntry("flush", "false"));
            assertThat(logs.named("vpp-lbsync-as-del")).singleElement().satisfies(e -> assertThat(e.kv())
                    .containsEntry("vip", "198.51.100.1/32 tcp 8080").containsEntry("as", "10.9.9.9")
                    .containsEntry("flush", "true"));
            assertThat(logs.named("vpp-lbsync-vip-del")).singleElement().satisfies(e -> assertThat(e.kv())
                    .containsEntry("vip", "198.51.100.1/32 tcp 8080").containsEntry("frontend", ""));
            assertThat(logs.named("vpp-lbsync-as-weight")).anySatisfy(e -> assertThat(e.kv())
                    .containsEntry("vip", WEB).containsEntry("as", "10.0.0.10").containsEntry("weight", "100")
                    .containsEntry("from", "1").containsEntry("flush", "false"));
            assertThat(logs.named("vpp-lbsync-error")).isEmpty();
        }
    }

    @Test
    void startedBeforeTheCheckerHasAConfigItDeletesNothing() {
        fake.cli("lb vip 198.51.100.1/32 protocol tcp port 8080 encap gre4");
        ScriptedProber prober = new ScriptedProber();
        var timers = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        dev.vppmaglev.health.Checker checker = new dev.vppmaglev.health.Checker(prober, timers,
                java.time.Clock.systemUTC(), new java.util.Random(1));
        try (LogCapture logs = new LogCapture(false);
             var connection = new dev.vppmaglev.vpp.VppConnection(
                     dev.vppmaglev.vpp.VppConnectionConfig.defaults(fake.apiSocket()),
                     dev.vppmaglev.vpp.api.ApiObserver.NONE, dev.vppmaglev.vpp.VppSessionPart.NONE,
                     java.time.Clock.systemUTC());
             var reconciler = new dev.vppmaglev.vpp.lb.LbReconciler(connection, checker,
                     dev.vppmaglev.vpp.lb.LbSyncObserver.NONE, java.time.Clock.systemUTC(), java.time.Instant.now())) {
            reconciler.start(); // wiring mistake: before checker.apply
            connection.start();
            await().atMost(LONG).until(() -> !logs.named("vpp-lbsync-skipped").isEmpty());
            assertThat(weights(fake)).containsOnlyKeys("198.51.100.1/32 tcp 8080");
            assertThatThrownBy(reconciler::syncAll).isInstanceOf(IllegalStateException.class);
            assertThat(fake.mutatingCalls()).isZero();
            checker.apply(Maglevd.parse(YAML)); // the reload path then syncs
            awaitWeights(allUp());
        } finally {
            checker.close();
            timers.shutdownNow();
        }
    }

    @Test
    void operatorErrors() {
        start(YAML);
        awaitWeights(allUp());
        assertThatThrownBy(() -> maglevd.reconciler.syncFrontend("nope")).isInstanceOf(UnknownNameException.class)
                .hasMessageContaining("nope");
        fake.close();
        await().atMost(LONG).until(() -> !maglevd.connection.isConnected());
        assertThatThrownBy(() -> maglevd.reconciler.syncAll()).isInstanceOf(VppNotConnectedException.class);
        assertThatThrownBy(() -> maglevd.reconciler.syncFrontend("web")).isInstanceOf(VppNotConnectedException.class);
        assertThatThrownBy(() -> maglevd.reconciler.readState()).isInstanceOf(VppNotConnectedException.class);
        // health keeps changing while VPP is down: nothing breaks, nothing is queued
        maglevd.healthy("10.0.0.2", false);
        maglevd.awaitStates(BackendState.DOWN, "a2");
    }
}
