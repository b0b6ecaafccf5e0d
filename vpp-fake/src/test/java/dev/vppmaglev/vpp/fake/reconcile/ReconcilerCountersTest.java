package dev.vppmaglev.vpp.fake.reconcile;

import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.counters.VipCounters;
import dev.vppmaglev.vpp.fake.FakeVpp;
import dev.vppmaglev.vpp.fake.VppApiProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.vppmaglev.vpp.fake.reconcile.Maglevd.LONG;
import static dev.vppmaglev.vpp.fake.reconcile.Maglevd.ip;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.KEEP;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.SIX;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.WEB;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.allUp;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.weights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The counters loop wired to the reconciler as the daemon wires it (the reconciler hands over the
 * lb indexes of its reads; a failed sync makes the loop look again), against the fake VPP's API
 * socket and its real stats segment.
 */
class ReconcilerCountersTest {
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

    private void startFake() throws IOException {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).statsSocket(dir.resolve("stats.sock")).build()
                .start();
    }

    private static LbVip vip(String key) {
        String[] k = key.split(" ");
        int protocol = switch (k[1]) {
            case "tcp" -> 6;
            case "udp" -> 17;
            default -> 255;
        };
        return LbVip.host(ip(k[0].substring(0, k[0].indexOf('/'))), protocol, Integer.parseInt(k[2]));
    }

    private long counted(String frontend) {
        return maglevd.counters.snapshot().flatMap(s -> s.frontend(frontend)).map(VipCounters::next).orElse(-1L);
    }

    /** Bumps {@code frontend}'s VIP in VPP and waits until the counters show it: proof that cycles ran. */
    private void bumpAndSee(String frontend, String key, AtomicLong total) {
        fake.bumpVip(vip(key), 0, 1, 0, 0, 1, 100);
        long want = total.incrementAndGet();
        await().atMost(LONG).until(() -> counted(frontend) == want);
    }

    @Test
    void aConfiguredVipThatIsNotInVppCostsNoCliScrapesOfTheLoop() throws IOException {
        startFake();
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-05-01T10:00:00Z"));
        Instant start = now.get();
        // "six" stays unreleased through the warmup (its backends' probes are held): its VIP is
        // configured but absent from VPP for as long as the warmup lasts
        maglevd = Maglevd.builder(fake.apiSocket(), ReconcilerWarmupTest.YAML).clock(now::get, start)
                .stats(dir.resolve("stats.sock"), Duration.ofMillis(50)).prober(p -> {
                    p.hold(ip("2001:db8:1::a"), true);
                    p.hold(ip("2001:db8:1::9"), true);
                }).start();
        maglevd.awaitStates(BackendState.UP, "a10", "a9", "a2", "b1");
        maglevd.awaitConnected();
        now.set(start.plusSeconds(5));
        Map<String, Map<String, Integer>> released = allUp();
        released.remove(SIX);
        await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake)).isEqualTo(released));
        await().atMost(LONG).until(() -> maglevd.syncCount("vip") == 3); // their indexes handed over
        AtomicLong web = new AtomicLong();
        bumpAndSee("web", WEB, web); // a cycle after the hand-overs: the loop has looked the new VIPs up

        fake.clearCalls();
        for (int i = 0; i < 10; i++) {
            bumpAndSee("web", WEB, web);
        }
        assertThat(counted("six")).isZero();
        // the reconciler said six is not in VPP: nothing to look for until it creates it
        assertThat(fake.callCount("cli_inband")).isZero();
        assertThat(fake.callCount("ip_route_lookup")).isZero();

        // released at last: created, handed over as "index unknown", looked up once, counted
        maglevd.prober.releaseAll();
        await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake)).isEqualTo(allUp()));
        bumpAndSee("six", SIX, new AtomicLong());
        bumpAndSee("web", WEB, web);
    }

    @Test
    void aRecreateWhoseCallsTimedOutIsFollowedByTheCounters() throws IOException {
        startFake();
        try (VppApiProxy proxy = VppApiProxy.start(dir.resolve("proxy.sock"), fake.apiSocket())) {
            maglevd = Maglevd.builder(proxy.socket(), ReconcilerTest.YAML).connectAfterUp()
                    .requestTimeout(Duration.ofMillis(500)).stats(dir.resolve("stats.sock"), Duration.ofMillis(50))
                    .start();
            await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake)).isEqualTo(allUp()));
            bumpAndSee("keep", KEEP, new AtomicLong());
            int before = Vpp.vips(fake).get(KEEP).index();
            int syncsBefore = maglevd.syncs.size();

            // keep becomes src-ip-sticky: a recreate. VPP applies every call at once, but its
            // answers trickle in, 200 ms apart: the later calls time out in maglevd (500 ms) and no
            // sync counts a VIP added. VPP is slow, not silent, so the session is kept
            // (VppApiClient.DEAD_AFTER_TIMEOUTS counts timeouts with nothing received).
            proxy.delayReplies(Duration.ofMillis(200), "lb_add_del_vip_v2_reply", "lb_add_del_as_v2_reply");
            maglevd.reload(Maglevd.edit(ReconcilerTest.YAML, "      port: 443\n      flush-on-down: false\n",
                    "      port: 443\n      src-ip-sticky: true\n      flush-on-down: false\n"));
            await().atMost(LONG).until(() -> Vpp.vips(fake).get(KEEP) != null && Vpp.vips(fake).get(KEEP).srcIpSticky()
                    && Vpp.vips(fake).get(KEEP).ases().stream().anyMatch(a -> a.used()));
            assertThat(Vpp.vips(fake).get(KEEP).index()).as("keep moved").isNotEqualTo(before);
            await().atMost(LONG).until(() -> maglevd.syncs.size() > syncsBefore);
            proxy.delayReplies(Duration.ZERO);
            assertThat(maglevd.syncs.subList(syncsBefore, maglevd.syncs.size()))
                    .noneSatisfy(s -> assertThat(s.result().vipAdded()).isPositive());

            // the counters follow keep to its new index
            fake.bumpVip(vip(KEEP), 0, 5, 0, 0, 5, 500);
            await().atMost(LONG).until(() -> counted("keep") == 5);
            assertThat(fake.callCount("sockclnt_create")).as("one session: no reconnect did the work").isEqualTo(1);
        }
    }
}
