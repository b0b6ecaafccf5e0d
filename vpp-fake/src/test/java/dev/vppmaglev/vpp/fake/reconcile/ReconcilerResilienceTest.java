package dev.vppmaglev.vpp.fake.reconcile;

import ch.qos.logback.classic.Level;
import dev.vppmaglev.vpp.api.VppConnectionException;
import dev.vppmaglev.vpp.fake.FakeVpp;
import dev.vppmaglev.vpp.fake.VppApiProxy;
import dev.vppmaglev.vpp.lb.LbSyncException;
import dev.vppmaglev.vpp.lb.SyncResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.vppmaglev.vpp.fake.reconcile.Maglevd.LONG;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.WEB;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.YAML;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.allUp;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.ases;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.weights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** VPP restarts, dropped connections, slow replies and refused calls. */
class ReconcilerResilienceTest {
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

    private void start(FakeVpp.Builder b) throws IOException {
        fake = b.apiSocket(dir.resolve("api.sock")).build().start();
        maglevd = Maglevd.builder(fake.apiSocket(), YAML).start();
    }

    private void awaitWeights(Map<String, Map<String, Integer>> expected) {
        await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake)).isEqualTo(expected));
    }

    @Test
    void aVppRestartWithAnEmptyTableIsFullyResynced() throws IOException {
        start(FakeVpp.builder());
        awaitWeights(allUp());
        int pid = fake.pid();
        fake.clearCalls();
        fake.restart();
        assertThat(fake.pid()).isNotEqualTo(pid);
        awaitWeights(allUp());
        assertThat(fake.callCount("lb_conf")).isEqualTo(1); // the new VPP has default settings again
        assertThat(maglevd.reconciler.readState().vips()).hasSize(allUp().size()).allSatisfy(v -> {
            assertThat(v.frontend()).isPresent();
            assertThat(v.ases()).allSatisfy(a -> assertThat(a.used()).isTrue());
        });
        // and from the rebuilt cache, health changes go on being applied
        maglevd.healthy("10.0.0.9", false);
        Map<String, Map<String, Integer>> expected = allUp();
        expected.put(WEB, ases("10.0.0.9", 0, "10.0.0.10", 100, "10.0.1.1", 0));
        awaitWeights(expected);
    }

    @Test
    void aConnectionDroppedInTheMiddleOfTheReadConverges() throws IOException {
        start(FakeVpp.builder());
        awaitWeights(allUp());
        fake.cli("lb as 192.0.2.1/32 protocol tcp port 80 10.0.0.10 weight 1"); // drift to repair
        // The operator's full sync reads lb_conf_get, lb_vip_dump + ping, lb_as_v2_dump + ping, ...:
        // the connection drops when the AS dump arrives.
        fake.clearCalls();
        fake.dropAfterMessages(4);
        Throwable t = catchThrowable(() -> maglevd.reconciler.syncAll());
        assertThat(t).isInstanceOf(LbSyncException.class).hasCauseInstanceOf(VppConnectionException.class);
        assertThat(((LbSyncException) t).applied()).isEqualTo(SyncResult.NONE);
        assertThat(fake.callLog()).extracting(FakeVpp.Call::msg).contains("lb_vip_dump")
                .doesNotContain("lb_as_v2_dump"); // the dropped message was never handled
        // reconnect -> full sync -> drift repaired
        awaitWeights(allUp());
        maglevd.awaitConnected();
        assertThat(maglevd.reconciler.syncAll()).isEqualTo(SyncResult.NONE);
    }

    @Test
    void aConnectionDroppedInTheMiddleOfTheCallsConverges() throws IOException {
        start(FakeVpp.builder());
        awaitWeights(allUp());
        fake.cli("lb vip 198.51.100.1/32 protocol tcp port 8080 encap gre4");
        for (int i = 1; i <= 20; i++) {
            fake.cli("lb as 198.51.100.1/32 protocol tcp port 8080 10.9.9." + i);
        }
        fake.clearCalls();
        // 6 reads, then the connection drops among the 21 deletions
        fake.dropAfterMessages(12);
        Throwable t = catchThrowable(() -> maglevd.reconciler.syncAll());
        assertThat(t).isInstanceOf(LbSyncException.class);
        assertThat(((LbSyncException) t).applied().asRemoved()).isPositive().isLessThan(20);
        awaitWeights(allUp());
    }

    @Test
    void slowRepliesStillConverge() throws IOException {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start();
        fake.setReplyDelay(Duration.ofMillis(20));
        maglevd = Maglevd.builder(fake.apiSocket(), YAML).start();
        awaitWeights(allUp());
        maglevd.healthy("10.0.0.2", false);
        Map<String, Map<String, Integer>> expected = allUp();
        expected.put(ReconcilerTest.KEEP, ases("10.0.0.2", 0));
        expected.put(ReconcilerTest.ANY, ases("10.0.0.2", 0));
        awaitWeights(expected);
    }

    @Test
    void repliesSlowerThanTheRequestTimeoutInvalidateAndRepair() throws IOException {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start();
        maglevd = Maglevd.builder(fake.apiSocket(), YAML).requestTimeout(Duration.ofMillis(300)).start();
        awaitWeights(allUp());
        try (LogCapture logs = new LogCapture(false)) {
            fake.setReplyDelay(Duration.ofMillis(400)); // every reply now arrives after the timeout
            maglevd.healthy("10.0.0.9", false);
            await().atMost(LONG).until(() -> !logs.named("vpp-lbsync-error").isEmpty());
            assertThat(logs.named("vpp-lbsync-error").getFirst().get("kind")).isEqualTo("VppTimeoutException");
            fake.setReplyDelay(Duration.ZERO);
            Map<String, Map<String, Integer>> expected = allUp();
            expected.put(WEB, ases("10.0.0.9", 0, "10.0.0.10", 100, "10.0.1.1", 0));
            awaitWeights(expected);
            assertThat(logs.named("vpp-lbsync-repair-scheduled")).isNotEmpty();
        }
    }

    @Test
    void showLbVipsVerboseTextThatDoesNotParseDoesNotStopTheSyncs() throws IOException {
        // A newer VPP prints a VIP flag the parser does not know on every VIP's head line (e.g. the
        // punt flag of lb_add_del_vip_v3): the CLI facts are lost, the sync is not.
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start();
        try (LogCapture logs = new LogCapture(false);
             VppApiProxy proxy = VppApiProxy.start(dir.resolve("proxy.sock"), fake.apiSocket())) {
            proxy.rewriteCli((command, text) -> command.equals("show lb vips verbose")
                    ? text.replaceAll("(?m)^( ip[46]-\\S+ \\[\\d+\\] \\S+.*)$", "$1 punt") : text);
            maglevd = Maglevd.builder(proxy.socket(), YAML).start();
            awaitWeights(allUp());
            // operator syncs and health changes keep working, on the cache and on fresh reads
            assertThat(maglevd.reconciler.syncAll()).isEqualTo(SyncResult.NONE);
            maglevd.healthy("10.0.0.9", false);
            Map<String, Map<String, Integer>> expected = allUp();
            expected.put(WEB, ases("10.0.0.9", 0, "10.0.0.10", 100, "10.0.1.1", 0));
            awaitWeights(expected);
            assertThat(maglevd.reconciler.syncAll()).isEqualTo(SyncResult.NONE);
            // the read for GetVPPLBState: everything but the CLI facts
            assertThat(maglevd.reconciler.readState().vips()).hasSize(4).allSatisfy(v -> {
                assertThat(v.srcIpSticky()).isEmpty();
                assertThat(v.lbIndex()).isEqualTo(-1);
                assertThat(v.usedAses()).isNotEmpty().allSatisfy(a -> assertThat(a.flows()).isEmpty());
                assertThat(v.newFlowsTableLength()).as("from lb_vip_details").isEqualTo(1024);
            });
            assertThat(logs.named("vpp-lbsync-error")).isEmpty();
            // said once at WARN, however many reads met it
            assertThat(logs.named("vpp-lb-cli-parse-error")).filteredOn(e -> e.level() == Level.WARN).singleElement()
                    .satisfies(e -> {
                        assertThat(e.get("error")).contains("punt");
                        assertThat(e.get("vips_unparsed")).isEqualTo("4");
                    });
            // and a src-ip-sticky change is not guessed at: no recreate on missing information
            fake.clearCalls();
            long before = maglevd.syncCount("all");
            maglevd.reload(ReconcilerTest.HEAD.formatted("1h", "true") + ReconcilerTest.ALL);
            await().atMost(LONG).until(() -> maglevd.syncCount("all") > before);
            assertThat(fake.callCount("lb_add_del_vip_v2")).isZero();
        }
    }

    @Test
    void aRefusedCallDropsTheCacheAndTheRepairSyncConverges() throws IOException {
        start(FakeVpp.builder());
        awaitWeights(allUp());
        try (LogCapture logs = new LogCapture(false)) {
            // Behind maglevd's back the AS disappears; the cache still has it, so the per-VIP sync
            // sends lb_as_set_weight, VPP answers -6, and the repair full sync re-adds it.
            fake.cli("lb as 192.0.2.1/32 protocol tcp port 80 10.0.0.10 del");
            maglevd.checker.setWeight("web", "primary", "a10", 20);
            await().atMost(LONG).until(() -> !logs.named("vpp-lbsync-error").isEmpty());
            LogCapture.Event e = logs.named("vpp-lbsync-error").getFirst();
            assertThat(e.get("error")).isEqualTo("NO_SUCH_ENTRY");
            assertThat(e.get("retval")).isEqualTo("-6");
            assertThat(e.get("api_msg")).isEqualTo("lb_as_set_weight");
            assertThat(e.get("as")).isEqualTo("10.0.0.10");
            Map<String, Map<String, Integer>> expected = allUp();
            expected.put(WEB, ases("10.0.0.9", 50, "10.0.0.10", 20, "10.0.1.1", 0));
            awaitWeights(expected);
            await().atMost(LONG).untilAsserted(() -> assertThat(maglevd.syncs).anySatisfy(s -> {
                assertThat(s.scope()).isEqualTo("all");
                assertThat(s.result().asAdded()).isEqualTo(1);
            }));
        }
    }
}
