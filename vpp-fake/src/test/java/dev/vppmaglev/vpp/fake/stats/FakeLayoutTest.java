package dev.vppmaglev.vpp.fake.stats;

import dev.vppmaglev.vpp.stats.GoldenImage;
import static dev.vppmaglev.vpp.stats.GoldenImage.list;
import static dev.vppmaglev.vpp.stats.GoldenImage.map;
import static dev.vppmaglev.vpp.stats.GoldenImage.num;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vppmaglev.vpp.stats.StatsNames;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake's memory, decoded by an independent naive parser ({@link RawStatsImage}), has the
 * structure of the segment captured from a real VPP: header fields, vector headers, directory
 * entry layout, per-thread counters, symlinks and name vectors, field by field. The fake is
 * loaded with the capture's lb state, so the decoded counter values must match too.
 */
class FakeLayoutTest {
    @TempDir
    static Path tmp;

    static Arena arena;
    static RawStatsImage golden;
    static Map<String, Object> expected;

    FakeStatsSegment fake;
    RawStatsImage raw;

    @BeforeAll
    static void mapGolden() throws Exception {
        Path file = GoldenImage.gunzip(tmp);
        arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file)) {
            golden = new RawStatsImage(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena));
        }
        expected = GoldenImage.expected();
    }

    @AfterAll
    static void unmapGolden() {
        arena.close();
    }

    /** The capture's state, rebuilt through the fake's API the way VPP built it. */
    @BeforeEach
    void loadFakeLikeTheCapture() throws Exception {
        fake = FakeStatsSegment.create();
        fake.setBootTime(1_795_247_843L);
        for (int i = 0; i < 3; i++) {
            fake.beat();
        }
        Map<String, Object> counters = map(expected.get("counters"));
        fake.validateLbCounters(4); // VIPs 0..4 exist
        for (String name : StatsNames.LB_COUNTERS) {
            List<Object> thread0 = list(list(map(counters.get(name)).get("per_thread")).get(0));
            for (int k = 0; k < thread0.size(); k++) {
                fake.setSimple(name, 0, k, num(thread0.get(k)));
            }
        }
        List<Object> route = list(list(map(counters.get(StatsNames.ROUTE_TO)).get("per_thread")).get(0));
        for (int k = 0; k < route.size(); k++) {
            List<Object> pb = list(route.get(k));
            fake.setCombined(StatsNames.ROUTE_TO, 0, k, num(pb.get(0)), num(pb.get(1)));
        }
        fake.addCombinedCounter("/if/rx", 3);
        fake.setCombined("/if/rx", 0, 1, 30, 2040);
        fake.addSymlink("/interfaces/pg0/rx", "/if/rx", 1);
        fake.addNameVector(StatsNames.IF_NAMES, List.of("local0", "pg0", "pg-1"));
        raw = new RawStatsImage(fake.memory());
    }

    @AfterEach
    void closeFake() {
        fake.close();
    }

    @Test
    void sharedHeaderHasVppsFields() {
        for (RawStatsImage img : List.of(golden, raw)) {
            long size = img.mem.byteSize();
            assertThat(img.version()).isEqualTo(2);
            assertThat(img.base()).isNotZero();
            assertThat(img.base() % 4096).isZero();
            assertThat(img.epoch()).isPositive();
            assertThat(img.inProgress()).isZero();
            assertThat(img.word40()).as("no pre-22.06 error vector").isZero();
            assertThat(img.directoryOffset()).isBetween(4096L, size - 1);
            byte[] page0 = img.mem.asSlice(48, 4096 - 48).toArray(ValueLayout.JAVA_BYTE);
            assertThat(page0).as("rest of page 0").containsOnly((byte) 0);
        }
        assertThat(raw.base()).as("the fake's base differs from the mapping: readers must translate")
                .isNotEqualTo(fake.memory().address());
    }

    @Test
    void directoryVectorHasVppsHeaderAndEntryLayout() {
        RawStatsImage.VecHeader g = golden.vecHeader(golden.directoryOffset());
        RawStatsImage.VecHeader f = raw.vecHeader(raw.directoryOffset());
        assertThat(f.hdrSize()).isEqualTo(g.hdrSize()).isEqualTo(2);
        assertThat(f.alignByte()).isEqualTo(g.alignByte()).isEqualTo(0x03);
        for (RawStatsImage img : List.of(golden, raw)) {
            long heap = img.offset(img.mem.get(ValueLayout.JAVA_LONG_UNALIGNED, img.directoryOffset() - 16));
            assertThat(heap).as("heap pointer before the vector header").isBetween(0L, img.mem.byteSize());
            assertThat(img.directoryOffset() % 8).isZero();
            for (int i = 0; i < 3; i++) {
                assertThat(img.type(i)).isEqualTo(1);
                assertThat(img.pad(i)).isZero();
            }
            assertThat(List.of(img.name(0), img.name(1), img.name(2)))
                    .containsExactly(StatsNames.HEARTBEAT, StatsNames.LAST_STATS_CLEAR, StatsNames.BOOTTIME);
            assertThat(img.value(0)).as("heartbeat").isEqualTo(3);
            assertThat(img.value(2)).as("boottime").isEqualTo(1_795_247_843L);
        }
        assertThat(f.len()).isEqualTo(fake.directoryIndex(StatsNames.IF_NAMES) + 1L);
    }

    @Test
    void simpleCountersHaveVppsPerThreadLayoutAndTheCapturedValues() {
        for (String name : StatsNames.LB_COUNTERS) {
            int gi = golden.indexOf(name);
            int fi = raw.indexOf(name);
            assertThat(raw.type(fi)).isEqualTo(golden.type(gi)).isEqualTo(2);
            sameVectorShape(name, gi, fi);
            assertThat(raw.simple(fi)).as(name).isDeepEqualTo(golden.simple(gi));
            assertThat(raw.simple(fi)[0]).as(name + ": 5 VIP slots").hasSize(5);
        }
    }

    @Test
    void combinedCountersHaveVppsLayoutAndTheCapturedValues() {
        int gi = golden.indexOf(StatsNames.ROUTE_TO);
        int fi = raw.indexOf(StatsNames.ROUTE_TO);
        assertThat(raw.type(fi)).isEqualTo(golden.type(gi)).isEqualTo(3);
        sameVectorShape(StatsNames.ROUTE_TO, gi, fi);
        assertThat(raw.combined(fi)).isDeepEqualTo(golden.combined(gi));
        assertThat(raw.combined(fi)[0][8]).containsExactly(18, 1152);
    }

    private void sameVectorShape(String name, int gi, int fi) {
        long gThreads = golden.threadsOffset(gi);
        long fThreads = raw.threadsOffset(fi);
        RawStatsImage.VecHeader gt = golden.vecHeader(gThreads);
        RawStatsImage.VecHeader ft = raw.vecHeader(fThreads);
        assertThat(ft.len()).as(name + " threads").isEqualTo(gt.len()).isEqualTo(1);
        assertThat(ft.hdrSize()).as(name).isEqualTo(gt.hdrSize()).isEqualTo(8);
        assertThat(ft.alignByte()).as(name).isEqualTo(gt.alignByte()).isEqualTo(0x86);
        assertThat(fThreads % 64).isEqualTo(gThreads % 64).isZero();
        long gData = golden.threadOffset(gi, 0);
        long fData = raw.threadOffset(fi, 0);
        RawStatsImage.VecHeader gd = golden.vecHeader(gData);
        RawStatsImage.VecHeader fd = raw.vecHeader(fData);
        assertThat(fd.len()).as(name + " length").isEqualTo(gd.len());
        assertThat(fd.hdrSize()).isEqualTo(gd.hdrSize());
        assertThat(fd.alignByte()).isEqualTo(gd.alignByte());
        assertThat(fData % 64).isEqualTo(gData % 64).isZero();
        // The 56 bytes of header area before vec_header_t are zero in both.
        assertThat(raw.mem.asSlice(fData - 64, 56).toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0);
        assertThat(golden.mem.asSlice(gData - 64, 56).toArray(ValueLayout.JAVA_BYTE)).containsOnly((byte) 0);
    }

    @Test
    void symlinksEncodeTargetIndexAndColumnLikeVpp() {
        int gi = golden.indexOf("/interfaces/pg0/rx");
        int fi = raw.indexOf("/interfaces/pg0/rx");
        assertThat(raw.type(fi)).isEqualTo(golden.type(gi)).isEqualTo(6);
        assertThat((int) golden.value(gi)).isEqualTo(golden.indexOf("/if/rx"));
        assertThat((int) raw.value(fi)).isEqualTo(raw.indexOf("/if/rx"));
        assertThat(raw.value(fi) >>> 32).isEqualTo(golden.value(gi) >>> 32).isEqualTo(1);
        assertThat(raw.combined(raw.indexOf("/if/rx"))[0][1]).isEqualTo(golden.combined(golden.indexOf("/if/rx"))[0][1]);
    }

    @Test
    void nameVectorsHaveVppsHeadersAndStrings() {
        int gi = golden.indexOf(StatsNames.IF_NAMES);
        int fi = raw.indexOf(StatsNames.IF_NAMES);
        assertThat(raw.type(fi)).isEqualTo(golden.type(gi)).isEqualTo(4);
        long g = golden.offset(golden.value(gi));
        long f = raw.offset(raw.value(fi));
        RawStatsImage.VecHeader gh = golden.vecHeader(g);
        RawStatsImage.VecHeader fh = raw.vecHeader(f);
        assertThat(fh.len()).isEqualTo(gh.len()).isEqualTo(3);
        assertThat(fh.hdrSize()).isEqualTo(gh.hdrSize()).isEqualTo(3);
        assertThat(fh.alignByte()).isEqualTo(gh.alignByte());
        // vlib_stats_header_t.entry_index 24 bytes before the data
        assertThat(golden.mem.get(ValueLayout.JAVA_INT_UNALIGNED, g - 24)).isEqualTo(gi);
        assertThat(raw.mem.get(ValueLayout.JAVA_INT_UNALIGNED, f - 24)).isEqualTo(fi);
        for (int k = 0; k < 3; k++) {
            long gs = golden.offset(golden.mem.get(ValueLayout.JAVA_LONG_UNALIGNED, g + 8L * k));
            long fs = raw.offset(raw.mem.get(ValueLayout.JAVA_LONG_UNALIGNED, f + 8L * k));
            RawStatsImage.VecHeader gsh = golden.vecHeader(gs);
            RawStatsImage.VecHeader fsh = raw.vecHeader(fs);
            assertThat(fsh.len()).as("length counts the NUL").isEqualTo(gsh.len());
            assertThat(fsh.hdrSize()).isEqualTo(gsh.hdrSize()).isEqualTo(2);
            assertThat(fsh.alignByte()).isEqualTo(gsh.alignByte());
            byte[] gb = golden.mem.asSlice(gs, gsh.len()).toArray(ValueLayout.JAVA_BYTE);
            byte[] fb = raw.mem.asSlice(fs, fsh.len()).toArray(ValueLayout.JAVA_BYTE);
            assertThat(Arrays.equals(fb, gb)).as("string " + k).isTrue();
        }
    }

    @Test
    void structuralChangesMoveTheEpochLikeVpp() {
        long epoch = raw.epoch();
        fake.addLbCounter(StatsNames.LB_FIRST_PACKET, 1, 1); // fits: no lock, no epoch change
        assertThat(raw.epoch()).isEqualTo(epoch);
        fake.addSimpleCounter("/new/counter", 4); // new entry: lock + unlock
        assertThat(raw.epoch()).isEqualTo(epoch + 1);
        assertThat(raw.inProgress()).isZero();
        long before = raw.threadOffset(raw.indexOf("/new/counter"), 0);
        fake.resize("/new/counter", 100); // reallocation: moves
        assertThat(raw.epoch()).isEqualTo(epoch + 2);
        assertThat(raw.threadOffset(raw.indexOf("/new/counter"), 0)).isNotEqualTo(before);
        byte[] old = raw.mem.asSlice(before - 8, 8).toArray(ValueLayout.JAVA_BYTE);
        assertThat(old).as("freed memory is poisoned").containsOnly((byte) 0xA5);
    }
}
