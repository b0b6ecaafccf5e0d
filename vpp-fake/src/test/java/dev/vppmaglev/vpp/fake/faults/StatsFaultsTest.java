package dev.vppmaglev.vpp.fake.faults;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.vppmaglev.vpp.fake.FakeVpp;
import dev.vppmaglev.vpp.fake.stats.FakeStatsSegment;
import dev.vppmaglev.vpp.stats.StatsClosedException;
import dev.vppmaglev.vpp.stats.StatsNames;
import dev.vppmaglev.vpp.stats.StatsOptions;
import dev.vppmaglev.vpp.stats.StatsSegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.vppmaglev.vpp.fake.faults.Converge.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The stats side when the segment goes away under its readers: closed by the connection while a
 * read runs (every VPP disconnect), or its memory file truncated (SIGBUS). Reads fail with a
 * typed {@link StatsClosedException}, nothing else; the counters loop keeps running and reads
 * the right values after the reconnect. (Torn reads under a writer that moves vectors and flips
 * the epoch: {@code dev.vppmaglev.vpp.fake.stats.TornReadTest}.)
 */
class StatsFaultsTest {
    @TempDir
    Path dir;
    FakeVpp fake;
    FakeStatsSegment segment;
    Rig rig;
    final Events events = new Events();
    private final Map<String, Level> levels = new HashMap<>();

    @AfterEach
    void stop() {
        events.close();
        if (rig != null) {
            rig.close();
        }
        if (fake != null) {
            fake.close();
        }
        if (segment != null) {
            segment.close();
        }
        levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }

    private void startRig(Duration countersInterval) throws Exception {
        for (String name : List.of("dev.vppmaglev.vpp.fake", "dev.vppmaglev.vpp.lb", "dev.vppmaglev.health")) {
            Logger l = (Logger) LoggerFactory.getLogger(name);
            levels.put(name, l.getLevel());
            l.setLevel(Level.WARN);
        }
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).statsSocket(dir.resolve("stats.sock")).build()
                .start();
        rig = Rig.builder(fake.apiSocket(), Rig.parse(Fleet.A)).stats(dir.resolve("stats.sock"))
                .ping(Duration.ofMillis(200), 2).countersInterval(countersInterval).start();
        Converge.table(fake, rig, "first programming");
        Converge.counters(fake, rig, "first scrape", "fe0", "fe13", "fe46");
    }

    /** A fake segment with {@code vips} VIPs' counters, served on stats.sock. */
    private StatsSegment servedSegment(int vips) throws Exception {
        segment = FakeStatsSegment.create();
        segment.validateLbCounters(vips - 1);
        segment.validate(StatsNames.ROUTE_TO, vips - 1);
        for (int i = 0; i < vips; i++) {
            segment.addLbCounter(StatsNames.LB_FIRST_PACKET, i, i + 1);
        }
        segment.serve(dir.resolve("stats.sock"));
        return StatsSegment.open(dir.resolve("stats.sock"), StatsOptions.DEFAULT);
    }

    @Test
    void readersOfASegmentClosedUnderThemGetOnlyStatsClosedException() throws Exception {
        int[] lb = new int[64];
        int[] fib = new int[64];
        for (int i = 0; i < lb.length; i++) {
            lb[i] = i;
            fib[i] = i;
        }
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicLong closedErrors = new AtomicLong();
        for (int round = 0; round < 20; round++) {
            StatsSegment s = servedSegment(lb.length);
            CountDownLatch reading = new CountDownLatch(3);
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    long reads = 0;
                    try {
                        while (true) {
                            assertThat(s.readLbCounters(lb, fib)[5].first()).isEqualTo(6);
                            s.entries();
                            if (++reads == 50) {
                                reading.countDown();
                            }
                        }
                    } catch (StatsClosedException e) {
                        closedErrors.incrementAndGet();
                    } catch (Throwable e) {
                        unexpected.add(e);
                    } finally {
                        if (reads < 50) {
                            reading.countDown();
                        }
                    }
                }));
            }
            assertThat(reading.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
            s.close(); // what VppConnection does to the stats part when the session ends
            for (Thread t : readers) {
                t.join(LONG.toMillis());
                assertThat(t.isAlive()).isFalse();
            }
            segment.close();
        }
        assertThat(unexpected).as("anything but StatsClosedException").isEmpty();
        assertThat(closedErrors.get()).isEqualTo(60);
    }

    @Test
    void aSegmentTruncatedUnderItsReaderIsATypedErrorNotACrash() throws Exception {
        StatsSegment s = servedSegment(1024);
        assertThat(s.readLbCounters(new int[] {5}, new int[] {5})[0].first()).isEqualTo(6);
        segment.truncate(4096); // the header page stays; the directory and the vectors are gone
        assertThatThrownBy(() -> s.readLbCounters(new int[] {5}, new int[] {5}))
                .isInstanceOf(StatsClosedException.class).hasMessageContaining("lost its memory")
                .hasMessageContaining("truncated");
        assertThat(s.faulted()).isTrue();
        assertThatThrownBy(() -> s.readLbCounters(new int[] {900}, new int[] {900}))
                .isInstanceOf(StatsClosedException.class);
        assertThat(events.named("vpp-stats-memory-fault")).singleElement()
                .satisfies(e -> assertThat(e.level()).isEqualTo(Level.WARN));
        s.close();
    }

    @Test
    void theCountersLoopRidesThroughSessionsThatEndWhileItReads() throws Exception {
        startRig(Duration.ofMillis(1)); // scrapes 1 ms apart: a session often ends during or right before one
        for (int i = 0; i < 15; i++) {
            int connects = rig.connects.get();
            fake.dropConnections();
            await().atMost(LONG).until(() -> rig.connects.get() > connects);
            Converge.counters(fake, rig, "after drop " + i, "fe0", "fe46");
        }
        assertThat(events.named("vpp-lb-stats-error")).as("unexpected errors in the loop (logged at WARN)")
                .isEmpty();
    }

    @Test
    void aTruncatedSegmentEndsTheSessionAndTheNextVppIsReadAgain() throws Exception {
        startRig(Duration.ofMillis(50));
        int disconnects = rig.disconnects.get();
        fake.truncateStatsSegment(4096);
        await().atMost(LONG).until(() -> !events.named("vpp-stats-memory-fault").isEmpty());
        await().atMost(LONG).until(() -> rig.disconnects.get() > disconnects); // at the next liveness ping
        assertThat(events.named("vpp-disconnect")).anySatisfy(
                e -> assertThat(e.get("reason")).isEqualTo("stats part reports failure"));
        assertThat(rig.counters.snapshot()).as("no counters while disconnected").isEmpty();
        fake.restart(); // the broken VPP is restarted: a new segment, an empty lb table
        Converge.table(fake, rig, "after the restart");
        Converge.counters(fake, rig, "after the restart", "fe0", "fe13", "fe46");
        assertThat(events.named("vpp-lb-stats-error")).as("unexpected errors in the loop (logged at WARN)")
                .isEmpty();
    }
}
