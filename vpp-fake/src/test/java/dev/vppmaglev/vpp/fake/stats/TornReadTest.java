package dev.vppmaglev.vpp.fake.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vppmaglev.vpp.stats.LbCounterBatch;
import dev.vppmaglev.vpp.stats.LbCounterValues;
import dev.vppmaglev.vpp.stats.PacketsBytes;
import dev.vppmaglev.vpp.stats.StatsBusyException;
import dev.vppmaglev.vpp.stats.StatsEntry;
import dev.vppmaglev.vpp.stats.StatsNames;
import dev.vppmaglev.vpp.stats.StatsOptions;
import dev.vppmaglev.vpp.stats.StatsSegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer rewrites every counter under VPP's lock protocol while readers read: a read must
 * never mix two generations. Generation g writes g into every lb counter slot and {g, 64 g}
 * into every /net/route/to slot on both VPP threads, in the opposite order to the reader, and
 * every few generations moves whole vectors (old memory poisoned). A consistent batch
 * therefore has one value 2g everywhere and bytes = 64 x packets.
 */
class TornReadTest {
    private static final int VIPS = 200;
    private static final int THREADS = 2;

    @TempDir
    Path tmp;

    FakeStatsSegment fake;
    StatsSegment reader;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeStatsSegment.create(FakeStatsSegment.Options.DEFAULT.withThreads(THREADS));
        fake.validateLbCounters(VIPS - 1);
        fake.validate(StatsNames.ROUTE_TO, VIPS - 1);
        fake.serve(tmp.resolve("stats.sock"));
        // Generous: a descheduled writer may hold the lock a while on a loaded machine.
        reader = StatsSegment.open(tmp.resolve("stats.sock"), StatsOptions.DEFAULT.withLockTimeout(Duration.ofSeconds(20)));
    }

    @AfterEach
    void tearDown() {
        reader.close();
        fake.close();
    }

    private void writeGeneration(long g) {
        fake.locked(() -> {
            for (int i = VIPS - 1; i >= 0; i--) {
                for (int t = THREADS - 1; t >= 0; t--) {
                    fake.setCombined(StatsNames.ROUTE_TO, t, i, g, 64 * g);
                    for (String name : StatsNames.LB_COUNTERS) {
                        fake.setSimple(name, t, i, g);
                    }
                }
            }
            if (g % 5 == 0) { // move vectors: same length, new place, old place poisoned
                fake.resize(StatsNames.LB_COUNTERS.get((int) (g / 5 % 4)), VIPS);
                fake.resize(StatsNames.ROUTE_TO, VIPS);
            }
        });
    }

    @Test
    void readersNeverSeeAMixOfTwoGenerations() throws Exception {
        int[] lb = new int[VIPS];
        int[] fib = new int[VIPS];
        for (int i = 0; i < VIPS; i++) {
            lb[i] = i;
            fib[i] = VIPS - 1 - i;
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        AtomicLong generations = new AtomicLong();
        Thread writer = Thread.ofPlatform().name("torn-writer").start(() -> {
            try {
                for (long g = 1; !stop.get(); g++) {
                    writeGeneration(g);
                    generations.set(g);
                    LockSupport.parkNanos(20_000); // let readers in between generations
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        StatsEntry route = reader.lookup(StatsNames.ROUTE_TO);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int seed = r;
            readers.add(Thread.ofPlatform().name("torn-reader-" + r).start(() -> {
                try {
                    // reader 0 keeps a batch (the counters loop's way), reader 1 uses the one-shot call
                    LbCounterBatch batch = reader.lbCounterBatch(lb, fib);
                    long last = 0;
                    for (int n = 0; !stop.get(); n++) {
                        LbCounterValues[] v = seed == 0 ? batch.read() : reader.readLbCounters(lb, fib);
                        long expect = v[0].first();
                        assertThat(expect % THREADS).isZero();
                        assertThat(expect).as("generations only grow").isGreaterThanOrEqualTo(last);
                        last = expect;
                        LbCounterValues all = new LbCounterValues(expect, expect, expect, expect, expect, 64 * expect);
                        for (int i = 0; i < VIPS; i++) {
                            if (!v[i].equals(all) && !(expect == 0 && v[i].equals(LbCounterValues.ZERO))) {
                                throw new AssertionError("torn read: VIP " + i + " = " + v[i] + ", VIP 0 = " + v[0]);
                            }
                        }
                        PacketsBytes pb = reader.combinedCounter(route, (n * 7 + seed) % VIPS);
                        assertThat(pb.bytes()).as("packets and bytes of one read").isEqualTo(64 * pb.packets());
                        reads.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> failure.get() != null
                            || (reads.get() >= 400 && generations.get() >= 200 && reader.retries() >= 20));
        } finally {
            stop.set(true);
            writer.join();
            for (Thread t : readers) {
                t.join();
            }
        }
        assertThat(failure.get()).as("no reader saw a torn or failed read").isNull();
        assertThat(reader.retries()).as("readers really raced the writer").isGreaterThanOrEqualTo(20);
    }

    @Test
    void stuckInProgressGivesUpAfterTheLockTimeout() throws Exception {
        try (StatsSegment impatient = StatsSegment.open(tmp.resolve("stats.sock"),
                StatsOptions.DEFAULT.withLockTimeout(Duration.ofMillis(200)))) {
            assertThat(impatient.readLbCounters(new int[] {1}, new int[] {1})).containsExactly(LbCounterValues.ZERO);
            try (FakeStatsSegment.HeldLock _ = fake.holdLock()) {
                assertThatThrownBy(() -> impatient.readLbCounters(new int[] {1}, new int[] {1}))
                        .isInstanceOf(StatsBusyException.class)
                        .hasMessageContaining("VPP kept the segment locked (in_progress) for more than 200 ms")
                        .hasMessageContaining("lb counters");
                assertThatThrownBy(() -> impatient.bootTime()).isInstanceOf(StatsBusyException.class);
            }
            fake.addLbCounter(StatsNames.LB_NO_SERVER, 1, 4);
            assertThat(impatient.readLbCounters(new int[] {1}, new int[] {-1}))
                    .containsExactly(new LbCounterValues(0, 0, 0, 4, 0, 0));
        }
    }
}
