package dev.vppmaglev.vpp.stats;

import static dev.vppmaglev.vpp.stats.GoldenImage.list;
import static dev.vppmaglev.vpp.stats.GoldenImage.map;
import static dev.vppmaglev.vpp.stats.GoldenImage.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader against the stats segment captured from a real VPP (testdata/golden/stats): it
 * must decode exactly the values of expected.json and reproduce `vpp_get_stats dump machine`.
 */
class GoldenStatsSegmentTest {
    @TempDir
    static Path tmp;

    static StatsSegment segment;
    static Map<String, Object> expected;

    @BeforeAll
    static void mapImage() throws Exception {
        segment = StatsSegment.map(GoldenImage.gunzip(tmp), StatsOptions.DEFAULT);
        expected = GoldenImage.expected();
    }

    @AfterAll
    static void unmap() {
        if (segment != null) {
            segment.close();
        }
    }

    @Test
    void headerMatchesTheCapture() throws Exception {
        assertThat(segment.size()).isEqualTo(GoldenImage.SIZE);
        assertThat(segment.baseAddress()).isEqualTo(GoldenImage.BASE);
        assertThat(segment.epoch()).isEqualTo(GoldenImage.EPOCH).isEqualTo(num(expected.get("epoch")));
        assertThat(segment.legacyTypes()).isFalse();
    }

    @Test
    void directoryListsEveryEntryWithItsType() throws Exception {
        List<StatsEntry> entries = segment.entries();
        assertThat(entries).hasSize(GoldenImage.DIRECTORY_ENTRIES).hasSize((int) num(expected.get("directory_entries")));
        Map<EntryType, Integer> byType = new EnumMap<>(EntryType.class);
        entries.forEach(e -> byType.merge(e.type(), 1, Integer::sum));
        assertThat(byType).containsExactlyInAnyOrderEntriesOf(Map.of(
                EntryType.SCALAR_INDEX, 4,
                EntryType.COUNTER_VECTOR_SIMPLE, 30,
                EntryType.COUNTER_VECTOR_COMBINED, 13,
                EntryType.NAME_VECTOR, 1,
                EntryType.SYMLINK, 3066,
                EntryType.GAUGE, 10));
        assertThat(entries.subList(0, 3)).extracting(StatsEntry::name)
                .containsExactly(StatsNames.HEARTBEAT, StatsNames.LAST_STATS_CLEAR, StatsNames.BOOTTIME);
        for (int i = 0; i < entries.size(); i++) {
            assertThat(entries.get(i).directoryIndex()).isEqualTo(i);
            assertThat(entries.get(i).epoch()).isEqualTo(GoldenImage.EPOCH);
        }
    }

    @Test
    void decodesEveryCounterOfExpectedJson() throws Exception {
        Map<String, Object> counters = map(expected.get("counters"));
        assertThat(counters).hasSizeGreaterThanOrEqualTo(19);
        for (var c : counters.entrySet()) {
            String name = c.getKey();
            Map<String, Object> want = map(c.getValue());
            StatsEntry e = segment.lookup(name);
            assertThat(e.directoryIndex()).as(name).isEqualTo(num(want.get("directory_index")));
            assertThat(e.type().code()).as(name).isEqualTo(num(want.get("type")));
            switch (e.type()) {
                case SCALAR_INDEX, GAUGE -> assertThat(segment.scalar(e)).as(name).isEqualTo(num(want.get("value")));
                case COUNTER_VECTOR_SIMPLE -> {
                    List<Object> perThread = list(want.get("per_thread"));
                    assertThat(perThread).as("one VPP thread in the capture").hasSize(1);
                    long[] totals = segment.simpleCounters(e);
                    assertThat(totals).as(name).containsExactly(longs(list(want.get("total_by_index"))));
                    assertThat(totals).as(name).containsExactly(longs(list(perThread.get(0))));
                    for (int i = 0; i < totals.length; i++) {
                        assertThat(segment.simpleCounter(e, i)).as(name + "[" + i + "]").isEqualTo(totals[i]);
                    }
                }
                case COUNTER_VECTOR_COMBINED -> {
                    List<Object> thread0 = list(list(want.get("per_thread")).get(0));
                    PacketsBytes[] totals = segment.combinedCounters(e);
                    assertThat(totals).as(name).hasSize(thread0.size());
                    for (int i = 0; i < totals.length; i++) {
                        List<Object> pb = list(thread0.get(i));
                        PacketsBytes expect = new PacketsBytes(num(pb.get(0)), num(pb.get(1)));
                        assertThat(totals[i]).as(name + "[" + i + "]").isEqualTo(expect);
                        assertThat(segment.combinedCounter(e, i)).as(name + "[" + i + "]").isEqualTo(expect);
                    }
                }
                case NAME_VECTOR -> assertThat(segment.nameVector(e)).as(name)
                        .containsExactlyElementsOf(list(want.get("names")).stream().map(String::valueOf).toList());
                case SYMLINK -> {
                    int target = (int) num(want.get("target_directory_index"));
                    int column = (int) num(want.get("target_column"));
                    assertThat(e.symlinkTarget()).as(name).isEqualTo(target);
                    assertThat(e.symlinkColumn()).as(name).isEqualTo(column);
                    StatsEntry t = segment.entries().get(target);
                    if (t.type() == EntryType.COUNTER_VECTOR_SIMPLE) {
                        assertThat(segment.simpleCounter(e)).as(name).isEqualTo(segment.simpleCounter(t, column));
                    } else {
                        assertThat(segment.combinedCounter(e)).as(name).isEqualTo(segment.combinedCounter(t, column));
                    }
                }
                default -> throw new AssertionError("unexpected type in expected.json: " + e);
            }
        }
    }

    @Test
    void symlinksReadTheirTargetColumn() throws Exception {
        // /interfaces/pg0/rx -> /if/rx column 1 (sw_if_index of pg0): 30 packets, 2040 bytes.
        assertThat(segment.combinedCounter(segment.lookup("/interfaces/pg0/rx"))).isEqualTo(new PacketsBytes(30, 2040));
        // /err/null-node/blackholed packets -> /node/errors column 0: 30.
        assertThat(segment.simpleCounter(segment.lookup("/err/null-node/blackholed packets"))).isEqualTo(30);
        // /mem/stat segment/used -> /mem/stat segment column 1.
        assertThat(segment.simpleCounter(segment.lookup("/mem/stat segment/used"))).isEqualTo(558_336);
        assertThatThrownBy(() -> segment.simpleCounter(segment.lookup("/if/rx")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a symlink");
        assertThatThrownBy(() -> segment.simpleCounter(segment.lookup("/interfaces/pg0/rx")))
                .isInstanceOf(StatsEntryTypeException.class)
                .hasMessageContaining("COUNTER_VECTOR_COMBINED");
    }

    @Test
    void lbCountersOfEveryVipInOneBatch() throws Exception {
        List<Object> vips = list(expected.get("vips"));
        List<Map<String, Object>> all = new ArrayList<>();
        vips.forEach(v -> all.add(map(v)));
        all.add(map(expected.get("vip0_placeholder")));
        int[] lb = new int[all.size()];
        int[] fib = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            lb[i] = (int) num(all.get(i).get("lb_vip_index"));
            Object f = all.get(i).get("fib_stats_index");
            fib[i] = f == null ? -1 : (int) num(f);
        }
        LbCounterValues[] got = segment.readLbCounters(lb, fib);
        assertThat(got).hasSize(all.size());
        for (int i = 0; i < all.size(); i++) {
            Map<String, Object> want = all.get(i);
            Map<String, Object> c = map(want.get("lb_counters"));
            Object route = want.get("route_to");
            long packets = route == null ? 0 : num(list(route).get(0));
            long bytes = route == null ? 0 : num(list(route).get(1));
            assertThat(got[i]).as("VIP index " + lb[i]).isEqualTo(new LbCounterValues(
                    num(c.get(StatsNames.LB_FIRST_PACKET)),
                    num(c.get(StatsNames.LB_NEXT_PACKET)),
                    num(c.get(StatsNames.LB_UNTRACKED_PACKET)),
                    num(c.get(StatsNames.LB_NO_SERVER)),
                    packets,
                    bytes));
        }
        // The README's table, spelled out: VIP 1 = 192.0.2.1:80, FIB index 8.
        assertThat(segment.readLbCounters(new int[] {1}, new int[] {8}))
                .containsExactly(new LbCounterValues(8, 8, 0, 0, 18, 1152));
    }

    @Test
    void indexesBeyondAVectorReadAsZero() throws Exception {
        // lb vectors have 5 elements (VIPs 0..4), /net/route/to 25: a newer VIP has no slot yet.
        assertThat(segment.readLbCounters(new int[] {5, 1000, -1}, new int[] {25, 1_000_000, -1}))
                .containsExactly(LbCounterValues.ZERO, LbCounterValues.ZERO, LbCounterValues.ZERO);
        assertThat(segment.simpleCounter(segment.lookup(StatsNames.LB_NO_SERVER), 5)).isZero();
        assertThat(segment.combinedCounter(segment.lookup(StatsNames.ROUTE_TO), 25)).isEqualTo(PacketsBytes.ZERO);
        assertThatThrownBy(() -> segment.simpleCounter(segment.lookup(StatsNames.LB_NO_SERVER), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> segment.readLbCounters(new int[1], new int[2]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bootTimeAndHeartbeat() throws Exception {
        assertThat(segment.bootTime()).isEqualTo(Instant.ofEpochSecond(1_795_247_843L));
        assertThat(segment.heartbeat()).isEqualTo(3);
        assertThat(segment.scalar("/sys/last_update")).isEqualTo(20);
    }

    @Test
    void lbCounterNamesHaveNoLeadingSlash() throws Exception {
        for (String name : StatsNames.LB_COUNTERS) {
            assertThat(segment.find(name)).as(name).isPresent();
            assertThat(segment.find("/" + name)).as("/" + name).isEmpty();
            assertThat(segment.find("/lb/" + name)).isEmpty();
        }
        assertThatThrownBy(() -> segment.lookup("/packet from existing sessions"))
                .isInstanceOf(StatsNoSuchEntryException.class)
                .hasMessage("stats segment has no entry '/packet from existing sessions'");
    }

    @Test
    void wrongTypesAreTypedErrors() throws Exception {
        StatsEntry route = segment.lookup(StatsNames.ROUTE_TO);
        assertThatThrownBy(() -> segment.simpleCounter(route, 8))
                .isInstanceOf(StatsEntryTypeException.class)
                .hasMessage("stats entry '/net/route/to' is COUNTER_VECTOR_COMBINED, not COUNTER_VECTOR_SIMPLE");
        assertThatThrownBy(() -> segment.scalar(StatsNames.ROUTE_TO)).isInstanceOf(StatsEntryTypeException.class);
        assertThatThrownBy(() -> segment.nameVector(route)).isInstanceOf(StatsEntryTypeException.class);
        assertThatThrownBy(() -> segment.combinedCounter(segment.lookup(StatsNames.BOOTTIME), 0))
                .isInstanceOf(StatsEntryTypeException.class);
    }

    /**
     * Everything the reader decodes, printed as `vpp_get_stats dump machine` prints it, equals the
     * dump VPP's own client took of this image: every entry, every index, every value.
     */
    @Test
    void reproducesVppGetStatsMachineDump() throws Exception {
        List<String> lines = new ArrayList<>();
        for (StatsEntry e : segment.entries()) {
            String n = e.name();
            switch (e.type()) {
                case SCALAR_INDEX, GAUGE -> lines.add(String.format(Locale.ROOT, "%d:%.2f:%s",
                        e.type().code(), (double) segment.scalar(e), n));
                case COUNTER_VECTOR_SIMPLE -> {
                    long[] v = segment.simpleCounters(e);
                    for (int k = 0; k < v.length; k++) {
                        lines.add("2:" + k + ":0:" + v[k] + ":" + n);
                    }
                }
                case COUNTER_VECTOR_COMBINED -> {
                    PacketsBytes[] v = segment.combinedCounters(e);
                    for (int k = 0; k < v.length; k++) {
                        lines.add("3:" + k + ":0:" + v[k].packets() + ":" + v[k].bytes() + ":" + n);
                    }
                }
                case NAME_VECTOR -> {
                    List<String> v = segment.nameVector(e);
                    for (int k = 0; k < v.size(); k++) {
                        lines.add("4:" + k + ":" + v.get(k) + ":" + n);
                    }
                }
                case SYMLINK -> {
                    StatsEntry target = segment.entries().get(e.symlinkTarget());
                    if (target.type() == EntryType.COUNTER_VECTOR_SIMPLE) {
                        lines.add("2:0:0:" + segment.simpleCounter(e) + ":" + n);
                    } else {
                        PacketsBytes pb = segment.combinedCounter(e);
                        lines.add("3:0:0:" + pb.packets() + ":" + pb.bytes() + ":" + n);
                    }
                }
                default -> throw new AssertionError("type not in the capture: " + e);
            }
        }
        assertThat(lines).containsExactlyElementsOf(GoldenImage.machineDump());
    }

    private static long[] longs(List<Object> values) {
        return values.stream().mapToLong(GoldenImage::num).toArray();
    }
}
