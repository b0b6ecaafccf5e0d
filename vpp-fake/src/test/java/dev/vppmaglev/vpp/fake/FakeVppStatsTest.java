package dev.vppmaglev.vpp.fake;

import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.VppApiClient;
import dev.vppmaglev.vpp.api.VppApiClientConfig;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.fake.stats.FakeStatsSegment;
import dev.vppmaglev.vpp.stats.LbCounterValues;
import dev.vppmaglev.vpp.stats.StatsConnectException;
import dev.vppmaglev.vpp.stats.StatsNames;
import dev.vppmaglev.vpp.stats.StatsSegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fake VPP as one unit with its stats segment: VIP and route creation shape the segment the
 * way VPP's lb plugin and FIB do, recorded traffic moves the counters per thread, the lb indexes
 * are the ones {@code show lb vips verbose} prints, and a restart is a new segment.
 */
class FakeVppStatsTest {
    private static final Instant BOOT = Instant.parse("2026-11-21T07:30:00Z");

    @TempDir
    Path dir;
    private FakeVpp fake;
    private VppApiClient client;
    private LbApi lb;
    private StatsSegment reader;

    @AfterEach
    void stop() {
        if (reader != null) {
            reader.close();
        }
        if (client != null) {
            client.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private void start(int threads) throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).statsSocket(dir.resolve("stats.sock"))
                .statsThreads(threads).bootTime(BOOT).build().start();
        client = VppApiClient.connect(VppApiClientConfig.defaults(dir.resolve("api.sock")), ApiObserver.NONE);
        lb = LbApi.of(client);
        reader = StatsSegment.open(dir.resolve("stats.sock"));
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static LbVip vip(String address, int protocol, int port) throws Exception {
        return LbVip.host(InetAddress.getByName(address), protocol, port);
    }

    private void addVip(LbVip vip) throws Exception {
        get(lb.addVip(VipSpec.of(vip, LbApi.greFor(vip.pfx().address()))));
    }

    private int fibIndex(LbVip vip) throws Exception {
        return get(lb.ipRouteLookup(vip.pfx(), true)).orElseThrow().statsIndex();
    }

    @Test
    void segmentHasBootTimeAndLbCountersAppearWithTheFirstVip() throws Exception {
        start(1);
        assertThat(fake.bootTime()).isEqualTo(BOOT);
        assertThat(reader.bootTime()).isEqualTo(BOOT);
        assertThat(reader.find(StatsNames.ROUTE_TO)).isPresent();
        assertThat(reader.find(StatsNames.LB_FIRST_PACKET)).as("no VIP yet: VPP has not created them").isEmpty();

        LbVip v1 = vip("192.0.2.1", 6, 80);
        addVip(v1);
        for (String name : StatsNames.LB_COUNTERS) {
            assertThat(reader.simpleCounters(reader.lookup(name))).as(name).containsExactly(0, 0);
        }
        int fib = fibIndex(v1);
        assertThat(fib).isEqualTo(8); // golden b25: the first VIP route gets load-balance index 8
        assertThat(reader.combinedCounters(reader.lookup(StatsNames.ROUTE_TO)).length).isGreaterThan(fib);
        assertThat(reader.combinedCounters(reader.lookup(StatsNames.ROUTE_VIA)).length).isGreaterThan(fib);
    }

    @Test
    void recordedTrafficMovesTheSegmentPerThreadAndMatchesTheCli() throws Exception {
        start(3);
        LbVip v1 = vip("192.0.2.1", 6, 80);
        LbVip v2 = vip("192.0.2.2", 17, 53);
        LbVip v6 = vip("2001:db8::1", 6, 443);
        addVip(v1);
        addVip(v2);
        addVip(v6);
        List<CliVip> cli = get(lb.showLbVipsVerbose());
        int[] lbIndexes = new int[3];
        int[] fibIndexes = new int[3];
        List<LbVip> vips = List.of(v1, v2, v6);
        for (int i = 0; i < 3; i++) {
            LbVip v = vips.get(i);
            CliVip c = cli.stream().filter(x -> x.key().equals(v)).findFirst().orElseThrow();
            assertThat(fake.vipIndex(v)).as("fake's index = show lb vips verbose").hasValue(c.index());
            lbIndexes[i] = c.index();
            fibIndexes[i] = fibIndex(v);
            assertThat(fake.fibStatsIndex(v.pfx())).hasValue(fibIndexes[i]);
        }

        // golden traffic s1+s2 on V1, s3 on V2, s4 on V6 (testdata/golden/README.md)
        fake.bumpVip(v1, 8, 8, 0, 0, 16, 1024);
        fake.bumpVip(v2, 0, 0, 2, 4, 6, 384);
        fake.bumpVip(v6, 3, 3, 0, 0, 6, 504);
        fake.recordTraffic(0, 0, 0, 0, 2); // s5: a port without a VIP counts at the placeholder

        assertThat(reader.readLbCounters(lbIndexes, fibIndexes)).containsExactly(
                new LbCounterValues(8, 8, 0, 0, 16, 1024),
                new LbCounterValues(0, 0, 2, 4, 6, 384),
                new LbCounterValues(3, 3, 0, 0, 6, 504));
        assertThat(reader.simpleCounter(reader.lookup(StatsNames.LB_NO_SERVER), 0)).isEqualTo(2);

        // Per thread, as VPP's workers count: 8 first-packets over 3 threads = 3 + 3 + 2.
        FakeStatsSegment seg = fake.statsSegment().orElseThrow();
        long[] perThread = new long[3];
        for (int t = 0; t < 3; t++) {
            perThread[t] = threadValue(seg, StatsNames.LB_FIRST_PACKET, t, lbIndexes[0]);
        }
        assertThat(perThread).containsExactly(3, 3, 2);

        // show lb vips verbose prints the sums over threads (golden observation 29)
        for (CliVip c : get(lb.showLbVipsVerbose())) {
            int i = List.of(lbIndexes[0], lbIndexes[1], lbIndexes[2]).indexOf(c.index());
            if (i < 0) {
                continue;
            }
            LbCounterValues s = reader.readLbCounters(new int[] {c.index()}, new int[] {-1})[0];
            assertThat(c.counters().firstSessionPacket()).isEqualTo(s.first());
            assertThat(c.counters().existingSessions()).isEqualTo(s.next());
            assertThat(c.counters().untrackedPacket()).isEqualTo(s.untracked());
            assertThat(c.counters().noServerConfigured()).isEqualTo(s.noServer());
        }
        assertThatThrownBy(() -> fake.bumpVip(vip("192.0.2.99", 6, 80), 1, 0, 0, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no VIP 192.0.2.99/32 tcp 80");
    }

    /** Thread {@code t}'s element {@code index} of a simple counter, read from the raw segment. */
    private static long threadValue(FakeStatsSegment seg, String name, int t, int index) {
        var mem = seg.memory();
        var le = java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        var le32 = java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        long base = seg.baseAddress();
        long dir = mem.get(le, 32) - base;
        long entry = dir + 144L * seg.directoryIndex(name);
        long threads = mem.get(le, entry + 8) - base;
        assertThat(mem.get(le32, threads - 8)).as("thread vector length").isEqualTo(3);
        long data = mem.get(le, threads + 8L * t) - base;
        return mem.get(le, data + 8L * index);
    }

    @Test
    void aVipCreatedAgainAtAReusedIndexStartsFromZero() throws Exception {
        start(1);
        LbVip v1 = vip("192.0.2.1", 6, 80);
        addVip(v1);
        int index = fake.vipIndex(v1).orElseThrow();
        int fib = fibIndex(v1);
        fake.bumpVip(v1, 5, 50, 0, 0, 55, 5500);
        get(lb.delVip(v1));
        fake.collectGarbage(); // the removed VIP has no AS: freed, its index free again
        addVip(v1);
        assertThat(fake.vipIndex(v1)).hasValue(index);
        assertThat(fibIndex(v1)).isEqualTo(fib);
        assertThat(reader.readLbCounters(new int[] {index}, new int[] {fib}))
                .as("lb_vip_add zeroes the VIP's counters, load_balance_alloc the route's")
                .containsExactly(LbCounterValues.ZERO);
    }

    @Test
    void restartServesAFreshSegmentWithANewBootTime() throws Exception {
        start(1);
        LbVip v1 = vip("192.0.2.1", 6, 80);
        addVip(v1);
        fake.bumpVip(v1, 1, 2, 0, 0, 3, 300);
        FakeStatsSegment before = fake.statsSegment().orElseThrow();
        Instant boot = fake.bootTime();

        fake.restart();

        assertThat(fake.statsSegment()).get().isNotSameAs(before);
        assertThat(fake.bootTime()).isAfter(boot);
        // The old mapping stays readable but frozen, as after a real VPP restart.
        assertThat(reader.bootTime()).isEqualTo(boot);
        assertThat(reader.readLbCounters(new int[] {1}, new int[] {8}))
                .containsExactly(new LbCounterValues(1, 2, 0, 0, 3, 300));
        try (StatsSegment fresh = StatsSegment.open(dir.resolve("stats.sock"))) {
            assertThat(fresh.bootTime()).isEqualTo(fake.bootTime());
            assertThat(fresh.find(StatsNames.LB_FIRST_PACKET)).as("empty lb state: no counters yet").isEmpty();
            assertThat(fresh.baseAddress()).isEqualTo(FakeStatsSegment.Options.DEFAULT.baseAddress());
        }
    }

    @Test
    void closeRemovesTheStatsSocket() throws Exception {
        start(1);
        Path sock = dir.resolve("stats.sock");
        assertThat(Files.exists(sock)).isTrue();
        fake.close();
        fake = null;
        assertThat(Files.exists(sock)).isFalse();
        assertThatThrownBy(() -> StatsSegment.open(sock)).isInstanceOf(StatsConnectException.class);
    }

    @Test
    void withoutAStatsSocketThereIsNoSegment() throws Exception {
        fake = FakeVpp.builder().apiSocket(dir.resolve("api.sock")).build().start();
        assertThat(fake.statsSegment()).isEmpty();
        assertThat(fake.statsSocket()).isEmpty();
        client = VppApiClient.connect(VppApiClientConfig.defaults(dir.resolve("api.sock")), ApiObserver.NONE);
        lb = LbApi.of(client);
        LbVip v1 = vip("192.0.2.1", 6, 80);
        addVip(v1);
        fake.bumpVip(v1, 1, 2, 0, 0, 3, 300); // the CLI still counts
        assertThat(get(lb.showLbVipsVerbose()).getFirst().counters().firstSessionPacket()).isEqualTo(1);
    }
}
