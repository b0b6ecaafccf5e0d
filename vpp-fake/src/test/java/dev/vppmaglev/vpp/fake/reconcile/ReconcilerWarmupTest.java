package dev.vppmaglev.vpp.fake.reconcile;

import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.vpp.fake.FakeVpp;
import dev.vppmaglev.vpp.lb.Warmup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.vppmaglev.vpp.fake.reconcile.Maglevd.LONG;
import static dev.vppmaglev.vpp.fake.reconcile.Maglevd.ip;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.ANY;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.KEEP;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.SIX;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.WEB;
import static dev.vppmaglev.vpp.fake.reconcile.ReconcilerTest.allUp;
import static dev.vppmaglev.vpp.fake.reconcile.Vpp.weights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The startup warmup (behaviour.md §5.6) end to end: hands-off, per-VIP release, the final full
 * sync, and restart neutrality. The warmup clock is manual; everything else runs for real.
 */
class ReconcilerWarmupTest {
    /** The test config with a 5 s / 30 s warmup (on the manual clock). */
    static final String YAML = ReconcilerTest.YAML.replace("startup-min-delay: 0", "startup-min-delay: 5s")
            .replace("startup-max-delay: 0", "startup-max-delay: 30s");

    @TempDir
    Path dir;
    FakeVpp fake;
    Maglevd maglevd;
    final Instant start = Instant.parse("2026-05-01T10:00:00Z");
    final AtomicReference<Instant> now = new AtomicReference<>(start);
    final InstantSource clock = now::get;

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

    private void at(Duration sinceStart) {
        now.set(start.plus(sinceStart));
    }

    @Test
    void handsOffUntilTheMinimumThenEachVipIsReleasedWhenItsBackendsAreKnown() {
        try (LogCapture logs = new LogCapture(true)) {
            // the backends of "six" stay unknown (probes held)
            maglevd = Maglevd.builder(fake.apiSocket(), YAML).clock(clock, start).prober(p -> {
                p.hold(ip("2001:db8:1::a"), true);
                p.hold(ip("2001:db8:1::9"), true);
            }).start();
            maglevd.awaitStates(BackendState.UP, "a10", "a9", "a2", "b1");
            maglevd.awaitConnected();
            // the connect's full sync and the backend events were suppressed, VPP untouched
            await().atMost(LONG).until(() -> logs.named("vpp-lbsync-suppressed").stream()
                    .anyMatch(e -> "connect".equals(e.get("trigger"))));
            maglevd.reconciler.requestSync("web");
            assertThat(logs.named("vpp-lbsync-suppressed")).anyMatch(e -> "hands-off".equals(e.get("phase"))
                    && "request".equals(e.get("trigger")) && "web".equals(e.get("frontend")));
            assertThat(maglevd.reconciler.warmupPhase()).isEqualTo(Warmup.Phase.HANDS_OFF);
            assertThat(fake.mutatingCalls()).isZero();
            assertThat(weights(fake)).isEmpty();

            at(Duration.ofSeconds(5)); // release phase: the driver releases the VIPs whose backends are known
            Map<String, Map<String, Integer>> released = allUp();
            released.remove(SIX);
            await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake)).isEqualTo(released));
            assertThat(logs.named("vpp-lbsync-warmup-release")).extracting(e -> e.get("frontend"))
                    .containsExactlyInAnyOrder("web", "keep", "all");
            await().atMost(LONG).until(() -> maglevd.syncCount("vip") == 3);
            assertThat(maglevd.syncCount("all")).isZero();
            // lb_conf went out before the first VIP
            assertThat(Vpp.mutations(fake).getFirst().msg()).isEqualTo("lb_conf");

            // a periodic/reload full sync in the release phase leaves the unreleased VIP alone
            maglevd.reload(YAML);
            await().atMost(LONG).until(() -> maglevd.syncCount("all") == 1);
            assertThat(weights(fake)).isEqualTo(released);
            assertThat(maglevd.reconciler.warmupDone()).isFalse();

            // six's backends become known: the event path releases it (once)
            maglevd.prober.releaseAll();
            await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake)).isEqualTo(allUp()));
            assertThat(logs.named("vpp-lbsync-warmup-release")).filteredOn(e -> "six".equals(e.get("frontend")))
                    .hasSize(1);

            at(Duration.ofSeconds(30)); // the final full sync, then normal
            await().atMost(LONG).until(() -> maglevd.reconciler.warmupDone());
            assertThat(maglevd.reconciler.warmupPhase()).isEqualTo(Warmup.Phase.DONE);
            assertThat(logs.named("vpp-lbsync-warmup-done")).hasSize(1);
            assertThat(maglevd.syncCount("all")).isEqualTo(2);
        }
    }

    @Test
    void theFinalFullSyncCoversStragglersAndDeletesStaleVips() {
        fake.cli("lb vip 198.51.100.1/32 protocol tcp port 8080 encap gre4"); // not in the config
        maglevd = Maglevd.builder(fake.apiSocket(), YAML).clock(clock, start)
                .prober(p -> p.hold(ip("10.0.0.2"), true)).start();
        maglevd.awaitStates(BackendState.UP, "a10", "a9", "b1", "v6a", "v69");
        maglevd.awaitConnected();
        at(Duration.ofSeconds(6));
        await().atMost(LONG).until(() -> weights(fake).containsKey(WEB) && weights(fake).containsKey(SIX));
        maglevd.reload(YAML); // a full sync in the release phase deletes nothing
        await().atMost(LONG).until(() -> maglevd.syncCount("all") == 1);
        assertThat(weights(fake)).containsKey("198.51.100.1/32 tcp 8080").doesNotContainKeys(KEEP, ANY);

        at(Duration.ofSeconds(30));
        await().atMost(LONG).until(() -> maglevd.reconciler.warmupDone());
        Map<String, Map<String, Integer>> expected = allUp();
        expected.put(KEEP, Vpp.ases("10.0.0.2", 0)); // still unknown: weight 0
        expected.put(ANY, Vpp.ases("10.0.0.2", 0));
        assertThat(weights(fake)).isEqualTo(expected);
    }

    @Test
    void operatorSyncsOverrideTheWarmup() {
        maglevd = Maglevd.builder(fake.apiSocket(), YAML).clock(clock, start).connectAfterUp().start();
        maglevd.awaitConnected();
        assertThat(maglevd.reconciler.warmupPhase()).isEqualTo(Warmup.Phase.HANDS_OFF);
        // a frontend sync releases that frontend only
        assertThat(maglevd.reconciler.syncFrontend("keep").vipAdded()).isEqualTo(1);
        assertThat(weights(fake).keySet()).containsExactly(KEEP);
        maglevd.checker.setWeight("keep", "only", "a2", 60); // released: its events go through
        await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake).get(KEEP)).containsEntry("10.0.0.2", 60));
        maglevd.checker.setWeight("web", "primary", "a10", 60); // not released: suppressed
        assertThat(weights(fake).keySet()).containsExactly(KEEP);

        // a full sync ends the warmup: everything, no further final full sync from the driver
        maglevd.reconciler.syncAll();
        assertThat(maglevd.reconciler.warmupDone()).isTrue();
        assertThat(weights(fake).keySet()).containsExactlyInAnyOrder(WEB, KEEP, SIX, ANY);
        assertThat(weights(fake).get(WEB)).containsEntry("10.0.0.10", 60);
        long full = maglevd.syncCount("all");
        at(Duration.ofSeconds(31));
        // the warmup driver (250 ms) stops without its own final full sync
        await().during(Duration.ofMillis(800)).atMost(LONG).until(() -> maglevd.syncCount("all") == full);
    }

    /**
     * The warmup clock, failing while {@code armed} when read on the sync thread from a method
     * named {@code inMethod} (found on the stack): a bug deep in a warmup step, made deterministic.
     */
    private InstantSource failingIn(String inMethod, AtomicBoolean armed) {
        return () -> {
            if (armed.get() && Thread.currentThread().getName().equals("vpp-lbsync")
                    && StackWalker.getInstance().walk(f -> f.anyMatch(x -> x.getMethodName().equals(inMethod)))
                    && armed.getAndSet(false)) {
                throw new IllegalStateException("clock broke in " + inMethod);
            }
            return now.get();
        };
    }

    @Test
    void anExceptionInTheWarmupDriverDoesNotEndItAndTheWarmupStillFinishes() {
        AtomicBoolean armed = new AtomicBoolean();
        try (LogCapture logs = new LogCapture(false)) {
            maglevd = Maglevd.builder(fake.apiSocket(), YAML).clock(failingIn("warmupTick", armed), start)
                    .connectAfterUp().start();
            maglevd.awaitConnected();
            armed.set(true); // the next tick throws
            await().atMost(LONG).until(() -> !armed.get());
            await().atMost(LONG).until(() -> logs.named("vpp-lbsync-error").stream()
                    .anyMatch(e -> "warmup".equals(e.get("op"))));
            assertThat(logs.named("vpp-lbsync-error")).filteredOn(e -> "warmup".equals(e.get("op"))).singleElement()
                    .satisfies(e -> assertThat(e.get("error")).contains("clock broke"));

            // the driver lives on: it releases at the minimum and ends the warmup at the maximum
            at(Duration.ofSeconds(5));
            await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake)).isEqualTo(allUp()));
            at(Duration.ofSeconds(30));
            await().atMost(LONG).until(() -> maglevd.reconciler.warmupDone());
            assertThat(logs.named("vpp-lbsync-warmup-done")).hasSize(1);
        }
    }

    @Test
    void theWarmupFinishesEvenWhenItsFinalFullSyncThrows() {
        AtomicBoolean armed = new AtomicBoolean();
        try (LogCapture logs = new LogCapture(false)) {
            maglevd = Maglevd.builder(fake.apiSocket(), YAML).clock(failingIn("runAll", armed), start)
                    .connectAfterUp().start();
            maglevd.awaitConnected();
            at(Duration.ofSeconds(5));
            await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake)).isEqualTo(allUp()));
            armed.set(true); // the final full sync of the warmup throws
            at(Duration.ofSeconds(30));
            await().atMost(LONG).until(() -> maglevd.reconciler.warmupDone()); // readiness is not stuck
            assertThat(armed).isFalse();
            assertThat(logs.named("vpp-lbsync-error")).filteredOn(e -> "warmup".equals(e.get("op"))).singleElement()
                    .satisfies(e -> assertThat(e.get("error")).contains("clock broke in runAll"));
            assertThat(logs.named("vpp-lbsync-warmup-done")).singleElement()
                    .satisfies(e -> assertThat(e.get("vpp_connected")).isEqualTo("true"));
            // normal operation from here: a health change is synced
            maglevd.healthy("10.0.0.2", false);
            await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake).get(KEEP)).containsEntry("10.0.0.2", 0));
        }
    }

    @Test
    void aRestartedMaglevdLeavesAnIdenticalTableUntouched() {
        Maglevd first = Maglevd.builder(fake.apiSocket(), ReconcilerTest.YAML).start();
        await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake)).isEqualTo(allUp()));
        Map<String, Map<String, Integer>> buckets = Vpp.buckets(fake);
        first.close();
        fake.clearCalls();

        // the second maglevd starts with every backend unknown (probes held)
        maglevd = Maglevd.builder(fake.apiSocket(), YAML).clock(clock, start).prober(ScriptedProber::holdAll).start();
        maglevd.awaitConnected();
        at(Duration.ofSeconds(10)); // release phase, but nothing is known yet
        await().atMost(LONG).until(() -> maglevd.reconciler.warmupPhase() == Warmup.Phase.RELEASE);
        maglevd.reload(YAML); // a full sync in the release phase: reads, changes nothing
        await().atMost(LONG).until(() -> maglevd.syncCount("all") == 1);
        assertThat(fake.callCount("lb_vip_dump")).isPositive();
        assertThat(fake.mutatingCalls()).isZero();

        maglevd.prober.releaseAll(); // backends known (up): each VIP is released and synced
        await().atMost(LONG).until(() -> maglevd.syncCount("vip") >= 4);
        at(Duration.ofSeconds(30));
        await().atMost(LONG).until(() -> maglevd.reconciler.warmupDone());
        assertThat(fake.mutatingCalls()).isZero();
        assertThat(weights(fake)).isEqualTo(allUp());
        assertThat(Vpp.buckets(fake)).isEqualTo(buckets);
    }

    @Test
    void withoutTheWarmupTheSameRestartWouldHaveDrainedEveryVip() {
        Maglevd first = Maglevd.builder(fake.apiSocket(), ReconcilerTest.YAML).start();
        await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake)).isEqualTo(allUp()));
        first.close();
        fake.clearCalls();
        // warmup disabled (both delays 0), backends unknown: the connect's full sync zeroes the weights
        maglevd = Maglevd.builder(fake.apiSocket(), ReconcilerTest.YAML).prober(ScriptedProber::holdAll).start();
        await().atMost(LONG).untilAsserted(() -> assertThat(weights(fake).get(KEEP)).containsEntry("10.0.0.2", 0));
        assertThat(fake.mutatingCalls()).isPositive();
    }
}
