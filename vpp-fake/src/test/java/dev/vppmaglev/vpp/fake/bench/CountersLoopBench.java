package dev.vppmaglev.vpp.fake.bench;

import ch.qos.logback.classic.Level;
import com.sun.management.ThreadMXBean;
import dev.vppmaglev.vpp.StatsSessionPart;
import dev.vppmaglev.vpp.VppConnection;
import dev.vppmaglev.vpp.VppConnectionConfig;
import dev.vppmaglev.vpp.api.ApiObserver;
import dev.vppmaglev.vpp.api.VipSpec;
import dev.vppmaglev.vpp.api.msg.LbEncap;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.counters.CountedVip;
import dev.vppmaglev.vpp.counters.CountersLoop;
import dev.vppmaglev.vpp.counters.CountersSnapshot;
import dev.vppmaglev.vpp.fake.FakeVpp;
import dev.vppmaglev.vpp.fake.stats.FakeStatsSegment;
import dev.vppmaglev.vpp.stats.StatsNames;
import dev.vppmaglev.vpp.stats.StatsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one full cycle of the {@link CountersLoop} (what maglevd does every 5 s) for 10, 1,000
 * and 10,000 VIPs on 1 and 4 VPP threads: a {@link FakeVpp} with its stats segment, VIPs added
 * through the binary API, {@link VppConnection} + {@link StatsSessionPart} over the real sockets,
 * 3,000 unrelated stats entries for a realistic directory. Prints, per case:
 * <ul>
 *   <li>discovery: the one-off {@code show lb vips verbose} + one {@code ip_route_lookup} per VIP
 *       (client + fake; runs per session and per VIP-set change, not per cycle);</li>
 *   <li>µs per steady cycle (median and p90 over 2,000 cycles after warm-up) and bytes allocated
 *       per cycle ({@code ThreadMXBean#getThreadAllocatedBytes}), once with no counter changing
 *       between cycles (the published values are reused) and once with traffic (a counter moves
 *       before every cycle, so the snapshot gets a fresh {@code long[6 × VIPs]}).</li>
 * </ul>
 * Not a test: figures depend on the machine.
 *
 * <p>Run from the repository top:
 * <pre>
 * mvn -B -ntp -o -pl vpp-fake -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED \
 *     -cp "vpp-fake/target/test-classes:vpp-fake/target/vpp-fake.jar:vpp-fake/target/lib/*" \
 *     dev.vppmaglev.vpp.fake.bench.CountersLoopBench
 * </pre>
 */
public final class CountersLoopBench {
    private static final int CYCLES = 2_000;

    private CountersLoopBench() {}

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        run(1_000, 2, false); // JIT warm-up of the whole path, not printed
        System.out.println("Counters loop, one full cycle (4 lb counters + /net/route/to per VIP, one consistent read)");
        System.out.println("   VIPs  threads  discovery ms  steady µs p50/p90  B/cycle   traffic µs p50/p90  B/cycle  B/VIP");
        for (int threads : new int[] {1, 4}) {
            for (int vips : new int[] {10, 1_000, 10_000}) {
                run(vips, threads, true);
            }
        }
    }

    private static void run(int n, int threads, boolean print) throws Exception {
        Path dir = Files.createTempDirectory("counters-bench");
        Path api = dir.resolve("api.sock");
        Path stats = dir.resolve("stats.sock");
        try (FakeVpp fake = FakeVpp.builder().apiSocket(api).statsSocket(stats).statsThreads(threads).build().start()) {
            FakeStatsSegment seg = fake.statsSegment().orElseThrow();
            for (int i = 0; i < 3000; i++) {
                seg.setGauge("/bench/other/" + i, i);
            }
            StatsSessionPart part = StatsSessionPart.unixSocket(stats, StatsOptions.DEFAULT);
            try (VppConnection conn = new VppConnection(VppConnectionConfig.defaults(api), ApiObserver.NONE, part,
                    Clock.systemUTC())) {
                conn.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!conn.isConnected()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("fake VPP did not accept the connection");
                    }
                    Thread.sleep(10);
                }
                List<CountedVip> vips = new ArrayList<>(n);
                List<CompletableFuture<Void>> adds = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    InetAddress a = InetAddress.getByAddress(new byte[] {(byte) 198, (byte) (18 + i / 62_500),
                            (byte) (i / 250 % 250), (byte) (i % 250 + 1)});
                    LbVip vip = LbVip.host(a, 6, 80);
                    vips.add(new CountedVip("fe-" + i, vip));
                    adds.add(conn.lb().addVip(VipSpec.of(vip, LbEncap.GRE4)));
                }
                CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                List<CountedVip> source = List.copyOf(vips);
                try (CountersLoop loop = new CountersLoop(conn, part, () -> source, Duration.ofHours(1),
                        Clock.systemUTC())) {
                    long t0 = System.nanoTime();
                    CountersSnapshot first = loop.scrapeNow().orElseThrow();
                    double discoveryMs = (System.nanoTime() - t0) / 1e6;
                    if (first.vips().size() != n) {
                        throw new IllegalStateException("snapshot has " + first.vips().size() + " VIPs");
                    }
                    int lbIndex = fake.vipIndex(vips.getLast().vip()).orElseThrow();
                    Result steady = measure(loop, null, 0);
                    Result traffic = measure(loop, seg, lbIndex);
                    if (print) {
                        System.out.println(String.format(Locale.ROOT,
                                "  %5d  %7d  %12.1f  %8.1f / %-7.1f  %7d   %8.1f / %-7.1f  %7d  %5.1f",
                                n, threads, discoveryMs, steady.p50, steady.p90, steady.bytes, traffic.p50, traffic.p90,
                                traffic.bytes, (double) traffic.bytes / n));
                    }
                }
            }
        } finally {
            Files.deleteIfExists(stats);
            Files.deleteIfExists(api);
            Files.deleteIfExists(dir);
        }
    }

    private record Result(double p50, double p90, long bytes) {}

    /** Warm-up, then {@link #CYCLES} timed cycles; with {@code seg}, one counter moves before each. */
    private static Result measure(CountersLoop loop, FakeStatsSegment seg, int lbIndex) {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        for (int i = 0; i < CYCLES; i++) {
            if (seg != null) {
                seg.addSimple(StatsNames.LB_FIRST_PACKET, 0, lbIndex, 1);
            }
            loop.scrapeNow().orElseThrow();
        }
        long[] nanos = new long[CYCLES];
        long bytes = 0;
        for (int i = 0; i < CYCLES; i++) {
            if (seg != null) {
                seg.addSimple(StatsNames.LB_FIRST_PACKET, 0, lbIndex, 1);
            }
            long a = mx.getThreadAllocatedBytes(self);
            long t = System.nanoTime();
            loop.scrapeNow().orElseThrow();
            nanos[i] = System.nanoTime() - t;
            bytes += mx.getThreadAllocatedBytes(self) - a;
        }
        Arrays.sort(nanos);
        return new Result(nanos[CYCLES / 2] / 1e3, nanos[CYCLES * 9 / 10] / 1e3, bytes / CYCLES);
    }
}
