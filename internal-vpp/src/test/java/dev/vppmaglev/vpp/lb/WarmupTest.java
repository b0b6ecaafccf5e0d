package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.config.VppLbConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.vppmaglev.vpp.lb.Warmup.Phase.DONE;
import static dev.vppmaglev.vpp.lb.Warmup.Phase.HANDS_OFF;
import static dev.vppmaglev.vpp.lb.Warmup.Phase.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;

class WarmupTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final AtomicReference<Instant> now = new AtomicReference<>(START);
    private final InstantSource clock = now::get;

    private static VppLbConfig delays(Duration min, Duration max) {
        VppLbConfig d = VppLbConfig.DEFAULTS;
        return new VppLbConfig(d.ipv4SrcAddress(), d.ipv6SrcAddress(), d.syncInterval(), d.stickyBucketsPerCore(),
                d.flowTimeout(), min, max);
    }

    private void at(long millis) {
        now.set(START.plusMillis(millis));
    }

    @Test
    void phasesFollowTheClockFromProcessStart() {
        Warmup w = new Warmup(START, clock, () -> delays(Duration.ofSeconds(5), Duration.ofSeconds(30)));
        at(0);
        assertThat(w.phase()).isEqualTo(HANDS_OFF);
        at(4_999);
        assertThat(w.phase()).isEqualTo(HANDS_OFF);
        assertThat(w.isReleased("web")).isFalse();
        at(5_000);
        assertThat(w.phase()).isEqualTo(RELEASE);
        at(29_999);
        assertThat(w.phase()).isEqualTo(RELEASE);
        assertThat(w.isReleased("web")).isFalse();
        at(30_000);
        assertThat(w.phase()).isEqualTo(DONE);
        assertThat(w.isReleased("web")).isTrue();
        assertThat(w.finished()).isFalse(); // the final full sync has not run yet
        w.finish();
        assertThat(w.finished()).isTrue();
    }

    @Test
    void releaseHappensOncePerFrontend() {
        Warmup w = new Warmup(START, clock, () -> VppLbConfig.DEFAULTS);
        at(6_000);
        assertThat(w.tryRelease("web")).isTrue();
        assertThat(w.tryRelease("web")).isFalse();
        assertThat(w.isReleased("web")).isTrue();
        assertThat(w.isReleased("api")).isFalse();
        assertThat(w.released()).containsExactly("web");
        w.finish();
        assertThat(w.tryRelease("api")).isFalse();
        assertThat(w.isReleased("api")).isTrue();
    }

    @Test
    void concurrentReleasesHaveOneWinner() throws Exception {
        Warmup w = new Warmup(START, clock, () -> VppLbConfig.DEFAULTS);
        at(6_000);
        for (int round = 0; round < 200; round++) {
            String name = "fe" + round;
            AtomicInteger wins = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            Thread[] ts = new Thread[4];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (w.tryRelease(name)) {
                        wins.incrementAndGet();
                    }
                });
            }
            go.countDown();
            for (Thread t : ts) {
                t.join();
            }
            assertThat(wins).as(name).hasValue(1);
        }
    }

    @Test
    void zeroDelaysDisableItAndMaxBelowMinLeavesNoReleasePhase() {
        at(0);
        assertThat(new Warmup(START, clock, () -> delays(Duration.ZERO, Duration.ZERO)).phase()).isEqualTo(DONE);
        Warmup noMax = new Warmup(START, clock, () -> delays(Duration.ofSeconds(5), Duration.ZERO));
        assertThat(noMax.phase()).isEqualTo(HANDS_OFF);
        at(5_000);
        assertThat(noMax.phase()).isEqualTo(DONE);
        Warmup noMin = new Warmup(START, clock, () -> delays(Duration.ZERO, Duration.ofSeconds(30)));
        at(0);
        assertThat(noMin.phase()).isEqualTo(RELEASE);
    }

    @Test
    void delaysAreReadFromTheLiveConfigButTheClockIsNeverReset() {
        AtomicReference<VppLbConfig> live = new AtomicReference<>(VppLbConfig.DEFAULTS);
        Warmup w = new Warmup(START, clock, live::get);
        at(10_000);
        assertThat(w.phase()).isEqualTo(RELEASE);
        live.set(delays(Duration.ofSeconds(5), Duration.ofSeconds(8))); // a reload shortens the warmup
        assertThat(w.phase()).isEqualTo(DONE);
    }
}
