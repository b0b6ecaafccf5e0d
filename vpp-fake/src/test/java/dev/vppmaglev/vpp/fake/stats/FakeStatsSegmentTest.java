package dev.vppmaglev.vpp.fake.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vppmaglev.vpp.stats.StatsNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fake's own rules: its heap, its lock protocol and its argument checks. */
class FakeStatsSegmentTest {
    /**
     * Random grows, shrinks, creations and deletions: live vectors never overlap (checked with
     * the independent parser) and every counter keeps its own values.
     */
    @Test
    void heapNeverHandsOutOverlappingVectors() throws Exception {
        try (FakeStatsSegment fake = FakeStatsSegment.create(FakeStatsSegment.Options.DEFAULT.withThreads(2))) {
            RawStatsImage raw = new RawStatsImage(fake.memory());
            Random random = new Random(7);
            List<String> names = new ArrayList<>();
            for (int step = 0; step < 600; step++) {
                int op = random.nextInt(10);
                if (names.size() < 3 || op == 0) {
                    String name = "/t/c" + step;
                    fake.addSimpleCounter(name, 1 + random.nextInt(50));
                    names.add(name);
                } else if (op == 1 && names.size() > 3) {
                    fake.delete(names.remove(random.nextInt(names.size())));
                } else {
                    String name = names.get(random.nextInt(names.size()));
                    fake.resize(name, random.nextInt(300));
                }
                for (int k = 0; k < names.size(); k++) { // a value that names its owner
                    fake.setSimple(names.get(k), 1, 0, k * 1000L + 1);
                }
                List<long[]> ranges = new ArrayList<>();
                for (int k = 0; k < names.size(); k++) {
                    int i = raw.indexOf(names.get(k));
                    long threads = raw.threadsOffset(i);
                    ranges.add(new long[] {threads - 64, threads + 16});
                    for (int t = 0; t < 2; t++) {
                        long data = raw.threadOffset(i, t);
                        ranges.add(new long[] {data - 64, data + 8 * raw.vecHeader(data).len()});
                    }
                    assertThat(raw.simple(i)[1][0]).as("step " + step + " " + names.get(k)).isEqualTo(k * 1000L + 1);
                }
                long dir = raw.directoryOffset();
                ranges.add(new long[] {dir - 16, dir + 144L * raw.directoryLength()});
                ranges.sort((a, b) -> Long.compare(a[0], b[0]));
                for (int r = 1; r < ranges.size(); r++) {
                    assertThat(ranges.get(r)[0]).as("step " + step + ": vectors overlap")
                            .isGreaterThanOrEqualTo(ranges.get(r - 1)[1]);
                }
            }
        }
    }

    @Test
    void lockProtocolSetsInProgressAndBumpsEpochOnce() throws Exception {
        try (FakeStatsSegment fake = FakeStatsSegment.create()) {
            RawStatsImage raw = new RawStatsImage(fake.memory());
            long epoch = raw.epoch();
            fake.locked(() -> {
                assertThat(raw.inProgress()).isEqualTo(1);
                fake.addSimpleCounter("/a", 1);
                fake.addSimpleCounter("/b", 1);
                fake.resize("/a", 10);
                assertThat(raw.inProgress()).as("nested changes keep the lock").isEqualTo(1);
                assertThat(raw.epoch()).isEqualTo(epoch);
            });
            assertThat(raw.inProgress()).isZero();
            assertThat(raw.epoch()).isEqualTo(epoch + 1);
            try (FakeStatsSegment.HeldLock _ = fake.holdLock()) {
                fake.setScalar("/c", 1);
                assertThat(raw.inProgress()).isEqualTo(1);
            }
            assertThat(raw.inProgress()).isZero();
            assertThat(raw.epoch()).isEqualTo(epoch + 2);
            fake.bumpEpoch();
            assertThat(raw.epoch()).isEqualTo(epoch + 3);
        }
    }

    @Test
    void badArgumentsAreRefusedClearly() throws Exception {
        try (FakeStatsSegment fake = FakeStatsSegment.create()) {
            assertThatThrownBy(() -> fake.addLbCounter("/first session packet", 1, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an lb counter");
            assertThatThrownBy(() -> fake.addSimpleCounter(StatsNames.ROUTE_TO, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("exists");
            assertThatThrownBy(() -> fake.setSimple(StatsNames.ROUTE_TO, 0, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("combined");
            assertThatThrownBy(() -> fake.setSimple("/nope", 0, 0, 1)).hasMessageContaining("no counter '/nope'");
            assertThatThrownBy(() -> fake.addRoute(1, 0, 1, 1)).hasMessageContaining("thread must be 0..0");
            assertThatThrownBy(() -> fake.addSimpleCounter("x".repeat(128), 1)).hasMessageContaining("1..127 bytes");
            assertThatThrownBy(() -> new FakeStatsSegment.Options(1 << 20, 1, 0, 4096))
                    .hasMessageContaining("baseAddress");
        }
        assertThatThrownBy(() -> {
            try (FakeStatsSegment small = FakeStatsSegment.create(FakeStatsSegment.Options.DEFAULT.withSize(64 << 10))) {
                small.addSimpleCounter("/big", 100_000);
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("fake stats segment is full");
    }
}
