package dev.vppmaglev.vpp.fake.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vppmaglev.vpp.stats.EntryType;
import dev.vppmaglev.vpp.stats.LbCounterBatch;
import dev.vppmaglev.vpp.stats.LbCounterValues;
import dev.vppmaglev.vpp.stats.PacketsBytes;
import dev.vppmaglev.vpp.stats.StatsConnectException;
import dev.vppmaglev.vpp.stats.StatsConnector;
import dev.vppmaglev.vpp.stats.StatsEntry;
import dev.vppmaglev.vpp.stats.StatsEntryTypeException;
import dev.vppmaglev.vpp.stats.StatsNames;
import dev.vppmaglev.vpp.stats.StatsNoSuchEntryException;
import dev.vppmaglev.vpp.stats.StatsOptions;
import dev.vppmaglev.vpp.stats.StatsSegment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader and the fake over a real stats.sock: the reader receives the memfd with
 * SCM_RIGHTS, maps it, and sees what the test does to the fake — counter bumps, new entries,
 * vectors moved or shrunk, entries deleted and re-created, several VPP threads.
 */
class StatsEndToEndTest {
    @TempDir
    Path tmp;

    FakeStatsSegment fake;
    StatsSegment reader;

    private StatsSegment connect(FakeStatsSegment.Options options) throws Exception {
        fake = FakeStatsSegment.create(options);
        Path sock = tmp.resolve("stats.sock");
        FakeStatsServer server = fake.serve(sock);
        reader = StatsConnector.unixSocket(sock, StatsOptions.DEFAULT).open();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.served() == 1);
        return reader;
    }

    @AfterEach
    void close() {
        if (reader != null) {
            reader.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    void readsTheCountersTheTestBumps() throws Exception {
        StatsSegment s = connect(FakeStatsSegment.Options.DEFAULT);
        assertThat(s.size()).isEqualTo(32L << 20);
        assertThat(s.baseAddress()).isEqualTo(FakeStatsSegment.Options.DEFAULT.baseAddress());
        fake.setBootTime(1_800_000_000L);
        assertThat(s.bootTime()).isEqualTo(Instant.ofEpochSecond(1_800_000_000L));

        // No VIP yet: the lb counters do not exist, the batch reads zeros.
        assertThat(s.find(StatsNames.LB_FIRST_PACKET)).isEmpty();
        assertThat(s.readLbCounters(new int[] {1}, new int[] {8})).containsExactly(LbCounterValues.ZERO);

        // First VIP (index 1, FIB stats index 8): entries appear, epoch moves, cache follows.
        long epoch = s.epoch();
        fake.addLbCounter(StatsNames.LB_FIRST_PACKET, 1, 5);
        fake.addLbCounter(StatsNames.LB_NEXT_PACKET, 1, 7);
        fake.addLbCounter(StatsNames.LB_UNTRACKED_PACKET, 1, 2);
        fake.addLbCounter(StatsNames.LB_NO_SERVER, 0, 3);
        fake.addRoute(8, 14, 896);
        assertThat(s.epoch()).isGreaterThan(epoch);
        assertThat(s.readLbCounters(new int[] {1, 0}, new int[] {8, -1})).containsExactly(
                new LbCounterValues(5, 7, 2, 0, 14, 896),
                new LbCounterValues(0, 0, 0, 3, 0, 0));

        // More traffic without any structural change: same epoch, new values.
        epoch = s.epoch();
        fake.addLbCounter(StatsNames.LB_FIRST_PACKET, 1, 1);
        fake.addRoute(8, 1, 64);
        assertThat(s.epoch()).isEqualTo(epoch);
        assertThat(s.readLbCounters(new int[] {1}, new int[] {8}))
                .containsExactly(new LbCounterValues(6, 7, 2, 0, 15, 960));
        assertThat(s.simpleCounter(s.lookup(StatsNames.LB_FIRST_PACKET), 1)).isEqualTo(6);

        // The allocation-free form: six longs per VIP in LbCounterValues' field order.
        LbCounterBatch batch = s.lbCounterBatch(new int[] {0, 1}, new int[] {-1, 8});
        long[] values = new long[2 * LbCounterBatch.FIELDS];
        batch.readInto(values);
        assertThat(values).containsExactly(0, 0, 0, 3, 0, 0, /* VIP 1 */ 6, 7, 2, 0, 15, 960);
        assertThatThrownBy(() -> batch.readInto(new long[11]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 12 (6 per VIP)");
        assertThat(s.combinedCounter(s.lookup(StatsNames.ROUTE_TO), 8)).isEqualTo(new PacketsBytes(15, 960));

        fake.beat();
        fake.beat();
        assertThat(s.heartbeat()).isEqualTo(2);
    }

    @Test
    void vectorsGrownAndShrunkUnderTheReader() throws Exception {
        StatsSegment s = connect(FakeStatsSegment.Options.DEFAULT);
        fake.addLbCounter(StatsNames.LB_FIRST_PACKET, 3, 30);
        StatsEntry first = s.lookup(StatsNames.LB_FIRST_PACKET);
        long[] before = s.simpleCounters(first);
        assertThat(before).containsExactly(0, 0, 0, 30);

        // A VIP with a high index: VPP reallocates the vector (it moves, the old one is freed).
        fake.addLbCounter(StatsNames.LB_FIRST_PACKET, 5000, 1);
        assertThat(s.simpleCounter(first, 3)).as("stale entry re-resolved, moved vector followed").isEqualTo(30);
        assertThat(s.simpleCounter(first, 5000)).isEqualTo(1);
        assertThat(s.readLbCounters(new int[] {3, 5000, 5001}, new int[] {-1, -1, -1}))
                .extracting(LbCounterValues::first).containsExactly(30L, 1L, 0L);

        // A kept batch follows the moves too (it resolves names per epoch, not per batch).
        LbCounterBatch batch = s.lbCounterBatch(new int[] {3, 5000}, new int[] {-1, -1});
        assertThat(batch.size()).isEqualTo(2);
        assertThat(batch.read()).extracting(LbCounterValues::first).containsExactly(30L, 1L);
        fake.resize(StatsNames.LB_FIRST_PACKET, 6000);
        fake.addLbCounter(StatsNames.LB_FIRST_PACKET, 5000, 1);
        assertThat(batch.read()).extracting(LbCounterValues::first).containsExactly(30L, 2L);
        fake.resize(StatsNames.LB_FIRST_PACKET, 5001);

        // Shrunk below an index: that index now reads 0, the rest keeps its value.
        fake.resize(StatsNames.LB_FIRST_PACKET, 4);
        assertThat(s.simpleCounters(first)).containsExactly(0, 0, 0, 30);
        assertThat(s.simpleCounter(first, 5000)).isZero();

        // Many moves in a row, each poisoning the old memory.
        for (int len = 5; len < 400; len += 7) {
            fake.resize(StatsNames.LB_FIRST_PACKET, len);
            fake.setSimple(StatsNames.LB_FIRST_PACKET, 0, len - 1, len);
            assertThat(s.simpleCounter(first, len - 1)).isEqualTo(len);
            assertThat(s.simpleCounter(first, 3)).isEqualTo(30);
        }
    }

    @Test
    void directoryGrowthAndSlotReuse() throws Exception {
        StatsSegment s = connect(FakeStatsSegment.Options.DEFAULT);
        for (int i = 0; i < 500; i++) { // grows (reallocates) the directory several times
            fake.setGauge("/test/gauge/" + i, i);
        }
        assertThat(s.scalar("/test/gauge/499")).isEqualTo(499);
        assertThat(s.lookup("/test/gauge/7").type()).isEqualTo(EntryType.GAUGE);

        StatsEntry old = s.lookup("/test/gauge/7");
        fake.delete("/test/gauge/7");
        assertThat(s.find("/test/gauge/7")).isEmpty();
        assertThatThrownBy(() -> s.scalar(old)).isInstanceOf(StatsNoSuchEntryException.class);

        // The freed slot is reused by the next entry: a stale StatsEntry must not read it.
        fake.addSimpleCounter("/test/reused", 2);
        StatsEntry reused = s.lookup("/test/reused");
        assertThat(reused.directoryIndex()).isEqualTo(old.directoryIndex());
        assertThatThrownBy(() -> s.scalar(old)).isInstanceOf(StatsNoSuchEntryException.class);

        // Re-created under its old name with another type: type error, not garbage.
        fake.addCombinedCounter("/test/gauge/7", 1);
        assertThatThrownBy(() -> s.scalar(old)).isInstanceOf(StatsEntryTypeException.class);
    }

    @Test
    void sumsOverThreadsWithShortAndMissingThreadVectors() throws Exception {
        StatsSegment s = connect(FakeStatsSegment.Options.DEFAULT.withThreads(4));
        fake.validateLbCounters(9);
        for (int t = 0; t < 4; t++) {
            fake.setSimple(StatsNames.LB_NEXT_PACKET, t, 9, 1L << (10 * t)); // distinct bits per thread
            fake.setCombined(StatsNames.ROUTE_TO, t, 6, t + 1, 100L * (t + 1));
        }
        StatsEntry next = s.lookup(StatsNames.LB_NEXT_PACKET);
        assertThat(s.simpleCounter(next, 9)).isEqualTo(1L + (1L << 10) + (1L << 20) + (1L << 30));
        assertThat(s.combinedCounter(s.lookup(StatsNames.ROUTE_TO), 6)).isEqualTo(new PacketsBytes(10, 1000));

        fake.resize(StatsNames.LB_NEXT_PACKET, 2, 5); // thread 2 no longer reaches index 9
        fake.resize(StatsNames.LB_NEXT_PACKET, 3, -1); // thread 3 has no vector at all
        assertThat(s.simpleCounter(next, 9)).isEqualTo(1L + (1L << 10));
        assertThat(s.readLbCounters(new int[] {9}, new int[] {6}))
                .containsExactly(new LbCounterValues(0, 1L + (1L << 10), 0, 0, 10, 1000));
        long[] totals = s.simpleCounters(next);
        assertThat(totals).hasSize(10);
        assertThat(totals[9]).isEqualTo(1L + (1L << 10));
    }

    @Test
    void symlinksAndNameVectorsThroughTheSocket() throws Exception {
        StatsSegment s = connect(FakeStatsSegment.Options.DEFAULT.withThreads(2));
        fake.addSimpleCounter("/if/drops", 3);
        fake.addCombinedCounter("/if/rx", 3);
        fake.setSimple("/if/drops", 0, 2, 4);
        fake.setSimple("/if/drops", 1, 2, 5);
        fake.setCombined("/if/rx", 1, 1, 30, 2040);
        fake.addSymlink("/interfaces/pg-1/drops", "/if/drops", 2);
        fake.addSymlink("/interfaces/pg0/rx", "/if/rx", 1);
        fake.addNameVector(StatsNames.IF_NAMES, Arrays.asList("local0", "pg0", null, "pg-1"));
        assertThat(s.simpleCounter(s.lookup("/interfaces/pg-1/drops"))).isEqualTo(9);
        assertThat(s.combinedCounter(s.lookup("/interfaces/pg0/rx"))).isEqualTo(new PacketsBytes(30, 2040));
        assertThat(s.nameVector(s.lookup(StatsNames.IF_NAMES))).isEqualTo(List.of("local0", "pg0", "", "pg-1"));
        StatsEntry link = s.lookup("/interfaces/pg0/rx");
        assertThat(link.isSymlink()).isTrue();
        assertThat(link.symlinkTarget()).isEqualTo(fake.directoryIndex("/if/rx"));
        assertThat(link.symlinkColumn()).isEqualTo(1);
        // The target moves: the symlink still reads the right column.
        fake.resize("/if/rx", 64);
        assertThat(s.combinedCounter(link)).isEqualTo(new PacketsBytes(30, 2040));
    }

    @Test
    void everyClientGetsItsOwnMappingOfTheSameMemory() throws Exception {
        StatsSegment s = connect(FakeStatsSegment.Options.DEFAULT);
        try (StatsSegment second = StatsSegment.open(tmp.resolve("stats.sock"))) {
            fake.addRoute(3, 1, 100);
            assertThat(second.combinedCounter(second.lookup(StatsNames.ROUTE_TO), 3))
                    .isEqualTo(s.combinedCounter(s.lookup(StatsNames.ROUTE_TO), 3))
                    .isEqualTo(new PacketsBytes(1, 100));
        }
        // The segment outlives the server and the fake's own mapping (VPP restart: frozen memory).
        fake.close();
        assertThat(s.combinedCounter(s.lookup(StatsNames.ROUTE_TO), 3)).isEqualTo(new PacketsBytes(1, 100));
        fake = null;
    }

    @Test
    void peerThatClosesWithoutAnFd() throws Exception {
        fake = FakeStatsSegment.create();
        Path sock = tmp.resolve("broken.sock");
        fake.serve(sock, FakeStatsServer.Mode.CLOSE_WITHOUT_FD);
        assertThatThrownBy(() -> StatsSegment.open(sock))
                .isInstanceOfSatisfying(StatsConnectException.class, e -> assertThat(e.step()).isEqualTo("recvmsg"))
                .hasMessage("recvmsg(" + sock + "): no segment file descriptor received: the peer closed the "
                        + "connection without passing one (is this VPP's stats socket?)");
    }

    @Test
    void peerThatNeverSendsTimesOut() throws Exception {
        fake = FakeStatsSegment.create();
        Path sock = tmp.resolve("silent.sock");
        fake.serve(sock, FakeStatsServer.Mode.SILENT);
        StatsOptions options = StatsOptions.DEFAULT.withConnectTimeout(Duration.ofMillis(200));
        assertThatThrownBy(() -> StatsSegment.open(sock, options))
                .isInstanceOf(StatsConnectException.class)
                .hasMessage("recvmsg(" + sock + "): no segment file descriptor within 200 ms (is this VPP's stats socket?)");
    }
}
