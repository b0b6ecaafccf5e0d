package dev.vppmaglev.vpp.fake.stats;

import com.sun.management.ThreadMXBean;
import dev.vppmaglev.vpp.stats.LbCounterBatch;
import dev.vppmaglev.vpp.stats.LbCounterValues;
import dev.vppmaglev.vpp.stats.StatsNames;
import dev.vppmaglev.vpp.stats.StatsSegment;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Cost of one counters-scrape cycle ({@link LbCounterBatch#read()}: the four lb counters
 * and {@code /net/route/to} for every VIP, one consistent read) for 10, 1,000 and 10,000 VIPs
 * on 1 and 4 VPP threads, against a fake segment mapped over a real stats.sock. Prints JMH's
 * µs per cycle, then bytes allocated per cycle measured with
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}. Not a test.
 *
 * <p>Run (from the repository top, after a build):
 * <pre>
 * mvn -B -ntp -o -pl vpp-fake -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * java --enable-native-access=ALL-UNNAMED \
 *     -cp vpp-fake/target/test-classes:vpp-fake/target/classes:$(cat vpp-fake/target/bench.cp) \
 *     dev.vppmaglev.vpp.fake.stats.StatsScrapeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StatsScrapeBenchmark {
    @Param({"10", "1000", "10000"})
    public int vips;

    @Param({"1", "4"})
    public int threads;

    private Path dir;
    private FakeStatsSegment fake;
    private StatsSegment reader;
    private int[] lbIndexes;
    private int[] fibIndexes;
    private LbCounterBatch batch;
    private long[] values;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("stats-bench");
        fake = FakeStatsSegment.create(FakeStatsSegment.Options.DEFAULT.withThreads(threads));
        // A VPP of this size also has thousands of unrelated entries: the directory is realistic.
        for (int i = 0; i < 3000; i++) {
            fake.setGauge("/bench/other/" + i, i);
        }
        lbIndexes = new int[vips];
        fibIndexes = new int[vips];
        for (int i = 0; i < vips; i++) {
            lbIndexes[i] = i + 1; // index 0 is the lb placeholder VIP
            fibIndexes[i] = 16 + 2 * i; // FIB stats indexes are spread among other routes
        }
        fake.validateLbCounters(vips);
        fake.validate(StatsNames.ROUTE_TO, 16 + 2 * vips);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < vips; i++) {
                fake.setSimple(StatsNames.LB_FIRST_PACKET, t, i + 1, i);
                fake.setSimple(StatsNames.LB_NEXT_PACKET, t, i + 1, 10L * i);
                fake.setCombined(StatsNames.ROUTE_TO, t, fibIndexes[i], 11L * i, 700L * i);
            }
        }
        fake.serve(dir.resolve("stats.sock"));
        reader = StatsSegment.open(dir.resolve("stats.sock"));
        batch = reader.lbCounterBatch(lbIndexes, fibIndexes);
        values = new long[LbCounterBatch.FIELDS * vips];
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        reader.close();
        fake.close();
        Files.deleteIfExists(dir.resolve("stats.sock"));
        Files.deleteIfExists(dir);
    }

    /** One scrape cycle as the counters loop does it: a kept {@link LbCounterBatch}. */
    @Benchmark
    public LbCounterValues[] scrape() throws IOException {
        return batch.read();
    }

    /** One scrape cycle into a kept array: the reading cost alone, no allocation. */
    @Benchmark
    public long[] scrapeInto() throws IOException {
        batch.readInto(values);
        return values;
    }

    /** One scrape cycle through the one-shot convenience (allocates its scratch each time). */
    @Benchmark
    public LbCounterValues[] scrapeOneShot() throws IOException {
        return reader.readLbCounters(lbIndexes, fibIndexes);
    }

    public static void main(String[] args) throws Exception {
        // Figures only: keep the reader's DEBUG events (vpp-stats-mapped, ...) out of the table.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        new Runner(new OptionsBuilder().include(StatsScrapeBenchmark.class.getSimpleName()).build()).run();
        System.out.println();
        System.out.println("Bytes allocated per scrape cycle (ThreadMXBean, after JIT warm-up):");
        System.out.println("  VIPs  threads  batch B/cycle  B/VIP  one-shot B/cycle  B/VIP  readInto B/cycle");
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        for (int threads : new int[] {1, 4}) {
            for (int vips : new int[] {10, 1000, 10000}) {
                StatsScrapeBenchmark b = new StatsScrapeBenchmark();
                b.vips = vips;
                b.threads = threads;
                b.setUp();
                try {
                    int warm = vips >= 10_000 ? 2_000 : 20_000;
                    for (int i = 0; i < warm; i++) {
                        b.scrape();
                        b.scrapeOneShot();
                    }
                    int cycles = 1_000;
                    long before = mx.getThreadAllocatedBytes(self);
                    for (int i = 0; i < cycles; i++) {
                        b.scrape();
                    }
                    long batch = (mx.getThreadAllocatedBytes(self) - before) / cycles;
                    before = mx.getThreadAllocatedBytes(self);
                    for (int i = 0; i < cycles; i++) {
                        b.scrapeOneShot();
                    }
                    long oneShot = (mx.getThreadAllocatedBytes(self) - before) / cycles;
                    for (int i = 0; i < warm; i++) {
                        b.scrapeInto();
                    }
                    before = mx.getThreadAllocatedBytes(self);
                    for (int i = 0; i < cycles; i++) {
                        b.scrapeInto();
                    }
                    long into = (mx.getThreadAllocatedBytes(self) - before) / cycles;
                    System.out.println(String.format(Locale.ROOT, "  %5d  %7d  %13d  %5.1f  %16d  %5.1f  %16d",
                            vips, threads, batch, (double) batch / vips, oneShot, (double) oneShot / vips, into));
                } finally {
                    b.tearDown();
                }
            }
        }
    }
}
