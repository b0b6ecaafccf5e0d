package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.StatsSessionPart;
import dev.vppmaglev.vpp.fake.stats.FakeStatsSegment;
import dev.vppmaglev.vpp.stats.StatsClosedException;
import dev.vppmaglev.vpp.stats.StatsConnectException;
import dev.vppmaglev.vpp.stats.StatsOptions;
import dev.vppmaglev.vpp.stats.StatsNames;
import dev.vppmaglev.vpp.stats.StatsSegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stats half of a VPP session over a real stats.sock. */
class StatsSessionPartTest {
    @TempDir
    Path dir;

    @Test
    void openMapsTheSegmentAndReadsTheBootTimeCloseUnmapsIt() throws Exception {
        try (FakeStatsSegment fake = FakeStatsSegment.create()) {
            fake.setBootTime(1_795_247_843L); // golden /sys/boottime
            fake.serve(dir.resolve("stats.sock"));
            StatsSessionPart part = StatsSessionPart.unixSocket(dir.resolve("stats.sock"), StatsOptions.DEFAULT);
            assertThat(part.enabled()).isTrue();
            assertThat(part.name()).isEqualTo("stats");
            assertThat(part.segment()).isEmpty();

            part.open();
            assertThat(part.bootTime()).contains(Instant.ofEpochSecond(1_795_247_843L));
            StatsSegment seg = part.segment().orElseThrow();
            assertThat(seg.heartbeat()).isZero();
            assertThat(part.healthy()).isTrue();

            part.open(); // a second open replaces (and unmaps) the first mapping
            assertThat(part.segment()).get().isNotSameAs(seg);
            assertThatThrownBy(seg::heartbeat).isInstanceOf(StatsClosedException.class);

            StatsSegment second = part.segment().orElseThrow();
            part.close();
            part.close();
            assertThat(part.segment()).isEmpty();
            assertThat(part.bootTime()).isEmpty();
            assertThatThrownBy(second::heartbeat).as("a reader holding it gets a clear error")
                    .isInstanceOf(StatsClosedException.class);
        }
    }

    @Test
    void aSegmentWithoutBootTimeIsAcceptedWithTheBootTimeUnknown() throws Exception {
        try (FakeStatsSegment fake = FakeStatsSegment.create()) {
            fake.delete(StatsNames.BOOTTIME);
            fake.serve(dir.resolve("stats.sock"));
            StatsSessionPart part = StatsSessionPart.unixSocket(dir.resolve("stats.sock"), StatsOptions.DEFAULT);
            part.open();
            assertThat(part.segment()).isPresent();
            assertThat(part.bootTime()).isEmpty();
            part.close();
        }
    }

    @Test
    void aMissingSocketFailsOpenWithTheSocketInTheMessage() {
        Path missing = dir.resolve("no-such-stats.sock");
        StatsSessionPart part = StatsSessionPart.unixSocket(missing, StatsOptions.DEFAULT);
        assertThatThrownBy(part::open).isInstanceOf(StatsConnectException.class).hasMessageContaining(missing.toString());
        assertThat(part.segment()).isEmpty();
        assertThat(part.toString()).contains(missing.toString());
    }

    @Test
    void disabledOpensNothing() throws Exception {
        StatsSessionPart part = StatsSessionPart.disabled();
        assertThat(part.enabled()).isFalse();
        part.open();
        assertThat(part.segment()).isEmpty();
        assertThat(part.bootTime()).isEmpty();
        part.close();
    }
}
