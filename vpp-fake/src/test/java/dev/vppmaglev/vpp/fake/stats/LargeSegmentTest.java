package dev.vppmaglev.vpp.fake.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vppmaglev.vpp.stats.LbCounterValues;
import dev.vppmaglev.vpp.stats.StatsNames;
import dev.vppmaglev.vpp.stats.StatsSegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A segment above 2 GiB (statseg { size 3G }): mapped whole, read at offsets past 2^31. */
class LargeSegmentTest {
    @TempDir
    Path tmp;

    @Test
    void readsVectorsBeyondTwoGiB() throws Exception {
        long size = 3L << 30;
        long heap = (5L << 30) / 2; // 2.5 GiB: every vector lives above 2^31
        FakeStatsSegment.Options options = FakeStatsSegment.Options.DEFAULT.withSize(size).withHeapOffset(heap);
        try (FakeStatsSegment fake = FakeStatsSegment.create(options)) {
            fake.serve(tmp.resolve("stats.sock"));
            fake.addLbCounter(StatsNames.LB_FIRST_PACKET, 7, 11);
            fake.addRoute(3, 2, 128);
            RawStatsImage raw = new RawStatsImage(fake.memory());
            assertThat(raw.directoryOffset()).isGreaterThan(Integer.MAX_VALUE);
            try (StatsSegment s = StatsSegment.open(tmp.resolve("stats.sock"))) {
                assertThat(s.size()).isEqualTo(size);
                assertThat(s.readLbCounters(new int[] {7}, new int[] {3}))
                        .containsExactly(new LbCounterValues(11, 0, 0, 0, 2, 128));
                assertThat(s.entries()).extracting(e -> e.name()).contains(StatsNames.LB_FIRST_PACKET, StatsNames.ROUTE_TO);
            }
        }
    }
}
