package dev.vppmaglev.vpp.counters;

import dev.vppmaglev.vpp.StatsSessionPart;
import dev.vppmaglev.vpp.VppConnection;
import dev.vppmaglev.vpp.VppConnectionListener;
import dev.vppmaglev.vpp.VppSession;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.msg.IpRoute;
import dev.vppmaglev.vpp.api.msg.LbVip;
import dev.vppmaglev.vpp.api.msg.Prefix;
import dev.vppmaglev.vpp.stats.LbCounterBatch;
import dev.vppmaglev.vpp.stats.StatsException;
import dev.vppmaglev.vpp.stats.StatsSegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The counters scrape (behaviour.md §5.8): every {@code interval} (5 s in maglevd, hard-coded as in
 * the reference) one pass reads, for every configured VIP, the lb plugin's four counters at the
 * VIP's lb pool index and {@code /net/route/to} at the FIB stats index of the VIP's host route,
 * summed over VPP's threads, in one consistent read of the stats segment
 * ({@link LbCounterBatch#readInto}), and publishes an immutable {@link CountersSnapshot}.
 *
 * <h2>Index discovery</h2>
 * The lb index of each VIP comes from {@code show lb vips verbose} (the {@code [N]} of the VIP's
 * block, matched by prefix, protocol and port; removed VIPs are skipped, vpp-wire.md §5.3), the
 * FIB stats index from {@code ip_route_lookup} exact on the VIP's host prefix (once per prefix).
 * Discovery runs on the first cycle of every VPP session, when the VIP source returns a different
 * set of VIPs, after {@link #invalidate()} (the reconciler calls it after it adds or deletes VIPs),
 * and on the next cycle after one that left a VIP without an lb index or route (a VIP not yet in
 * VPP reads 0 and is looked up again) — not on every cycle.
 *
 * <h2>Publication</h2>
 * One {@link AtomicReference}: readers ({@link #snapshot()}, gRPC, Prometheus) never lock and never
 * see a partly built snapshot. The snapshot is <b>empty</b> ({@link Optional#empty()}) when VPP
 * is disconnected (cleared on {@code onDisconnected}, before a reconnect can publish again),
 * before the first scrape of a session, when the stats segment is disabled, and after
 * {@link #close()}. A failed cycle (VPP busy, a timeout) keeps the previous snapshot: its
 * {@link CountersSnapshot#scrapedAt()} tells its age.
 *
 * <h2>Logs</h2>
 * Per VIP per scrape one DEBUG {@code vpp-lb-stats} line (frontend, vip, lb_index, fib_index and
 * the six values); failures one DEBUG {@code vpp-lb-stats-error} (stage {@code discover} or
 * {@code read}, error) — the loop keeps going.
 *
 * <h2>Cost</h2>
 * A steady-state cycle reads into a reused buffer and allocates only when a value changed: one
 * {@code long[6 × VIPs]} for the new snapshot (48 bytes per VIP) plus the snapshot itself. One
 * platform thread ({@code vpp-counters}) does all the work.
 */
public final class CountersLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CountersLoop.class);

    /** The reference's scrape period. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private final VppConnection vpp;
    private final StatsSessionPart stats;
    private final Supplier<? extends Collection<CountedVip>> source;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final AtomicReference<CountersSnapshot> current = new AtomicReference<>();
    private final AtomicBoolean invalidated = new AtomicBoolean();
    private final Object publishLock = new Object();
    private final Object cycleLock = new Object();
    private final VppConnectionListener listener = new VppConnectionListener() {
        @Override
        public void onConnected(VppSession session) {
            synchronized (publishLock) {
                sessionGeneration++;
            }
            trigger();
        }

        @Override
        public void onDisconnected(String reason) {
            synchronized (publishLock) {
                sessionGeneration++;
                current.set(null);
            }
        }
    };
    /** Bumped on every connect and disconnect; written under {@link #publishLock}. */
    private volatile long sessionGeneration;
    private volatile boolean closed;
    private boolean started;

    // Guarded by cycleLock (the loop's working state).
    private Collection<CountedVip> lastSource;
    private List<CountedVip> vips = List.of();
    private boolean stale = true;
    private long discoveredGeneration = -1;
    private int[] lbIndexes = new int[0];
    private int[] fibIndexes = new int[0];
    private StatsSegment batchSegment;
    private LbCounterBatch batch;
    private long[] scratch = new long[0];
    private long[] published;

    /**
     * @param vpp      the VPP connection (the loop listens to it; discovery calls go through
     *                 {@link VppConnection#lb()})
     * @param stats    the stats part the connection opens with each session
     * @param vips     the configured VIPs, asked once per cycle (e.g.
     *                 {@link CountedVip#fromLiveConfig}); return the same instance while nothing
     *                 changed to keep cycles allocation-free, an equal collection is also fine
     * @param interval time between the end of one cycle and the start of the next, > 0
     * @param clock    for {@link CountersSnapshot#scrapedAt()}
     * @throws IllegalArgumentException when {@code interval} is not positive
     */
    public CountersLoop(VppConnection vpp, StatsSessionPart stats, Supplier<? extends Collection<CountedVip>> vips,
                        Duration interval, Clock clock) {
        this.vpp = Objects.requireNonNull(vpp, "vpp");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.source = Objects.requireNonNull(vips, "vips");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be > 0, is " + interval);
        }
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vpp-counters");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Registers with the connection and starts scraping: every session's first cycle runs as soon
     * as the session is up (at once when it is up already), then one every {@code interval}.
     * Idempotent. Does nothing when the stats segment is disabled
     * ({@link StatsSessionPart#disabled()}): there is nothing to read.
     */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        if (!stats.enabled()) {
            log.atInfo().setMessage("vpp-lb-stats-disabled").addKeyValue("reason", "no stats segment").log();
            return;
        }
        vpp.addListener(listener); // told of the current session at once: that runs the first cycle
        long ms = Math.max(interval.toMillis(), 1);
        executor.scheduleWithFixedDelay(this::cycle, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** The scrape period. */
    public Duration interval() {
        return interval;
    }

    /** The last published snapshot; empty when there is none (see the class comment). Never blocks. */
    public Optional<CountersSnapshot> snapshot() {
        return Optional.ofNullable(current.get());
    }

    /**
     * Tells the loop that VIPs were added to or deleted from VPP (or re-created): the next cycle
     * discovers every VIP's lb index and FIB stats index again. Cheap; call it after every change
     * of VPP's VIP table (many calls before the next cycle cost one discovery).
     */
    public void invalidate() {
        invalidated.set(true);
    }

    /**
     * Runs one cycle on the calling thread (waiting for a cycle in progress) and returns the
     * snapshot it published, or empty when it published none (VPP down, stats disabled, an error,
     * see the class comment). For tests and benchmarks; the loop's thread does this every interval.
     */
    public Optional<CountersSnapshot> scrapeNow() {
        synchronized (cycleLock) {
            return Optional.ofNullable(runCycle());
        }
    }

    private void trigger() {
        if (!closed && started) {
            try {
                executor.execute(this::cycle);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void cycle() {
        synchronized (cycleLock) {
            try {
                runCycle();
            } catch (RuntimeException | InternalError e) {
                // Never let an unexpected error end the scheduled task: log it and go on. An
                // InternalError is how HotSpot reports SIGBUS from a mapping whose file shrank;
                // StatsSegment turns those into StatsClosedException, this is the safety net.
                log.atWarn().setMessage("vpp-lb-stats-error").addKeyValue("stage", "cycle")
                        .addKeyValue("error", e.toString()).setCause(e).log();
            }
        }
    }

    /** One pass; returns the published snapshot or null. Caller holds {@link #cycleLock}. */
    private CountersSnapshot runCycle() {
        if (closed) {
            return null;
        }
        long generation = sessionGeneration;
        Optional<StatsSegment> segment = stats.segment();
        if (segment.isEmpty() || !vpp.isConnected()) {
            return null; // disconnected: the listener has cleared the snapshot
        }
        Collection<CountedVip> src = source.get();
        if (src != lastSource) {
            lastSource = src;
            List<CountedVip> now = List.copyOf(src);
            if (!now.equals(vips)) {
                vips = now;
                stale = true;
            }
        }
        if (invalidated.getAndSet(false) || generation != discoveredGeneration) {
            stale = true;
        }
        if (stale) {
            if (!discover(generation)) {
                return null;
            }
        }
        StatsSegment seg = segment.get();
        if (batch == null || batchSegment != seg) {
            batch = seg.lbCounterBatch(lbIndexes, fibIndexes);
            batchSegment = seg;
            scratch = new long[LbCounterBatch.FIELDS * lbIndexes.length];
            published = null;
        }
        try {
            batch.readInto(scratch);
        } catch (StatsException e) {
            error("read", e.getMessage());
            return null;
        }
        long[] values = published != null && Arrays.equals(scratch, published) ? published : scratch.clone();
        CountersSnapshot snapshot = CountersSnapshot.of(clock.instant(), vips, values);
        synchronized (publishLock) {
            if (closed || generation != sessionGeneration) {
                return null; // the session changed under us: these values may belong to the old VPP
            }
            current.set(snapshot);
        }
        published = values;
        if (log.isDebugEnabled()) {
            logValues(values);
        }
        return snapshot;
    }

    /**
     * Finds every VIP's lb index and FIB stats index. Returns false (and logs) when VPP could not
     * be asked; the loop then keeps the previous snapshot and tries again next cycle.
     */
    private boolean discover(long generation) {
        int n = vips.size();
        int[] lb = new int[n];
        int[] fib = new int[n];
        boolean complete = true;
        if (n > 0) {
            LbApi api = vpp.lb();
            try {
                Map<LbVip, Integer> byKey = new HashMap<>();
                for (CliVip c : api.showLbVipsVerbose().get()) {
                    if (!c.removed()) {
                        byKey.put(c.key(), c.index());
                    }
                }
                Map<Prefix, CompletableFuture<Optional<IpRoute>>> routes = new LinkedHashMap<>();
                for (CountedVip v : vips) {
                    routes.computeIfAbsent(v.vip().pfx(), p -> api.ipRouteLookup(p, true));
                }
                for (int i = 0; i < n; i++) {
                    LbVip key = vips.get(i).vip();
                    Integer index = byKey.get(key);
                    Optional<IpRoute> route = routes.get(key.pfx()).get();
                    lb[i] = index == null ? -1 : index;
                    fib[i] = route.map(IpRoute::statsIndex).orElse(-1);
                    complete &= index != null && route.isPresent();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                VppException v = VppException.unwrap(e);
                error("discover", v != null ? v.getMessage() : e.getCause().toString());
                return false;
            } catch (VppException e) {
                error("discover", e.getMessage());
                return false;
            }
        }
        lbIndexes = lb;
        fibIndexes = fib;
        batch = null;
        stale = !complete;
        discoveredGeneration = generation;
        log.atDebug().setMessage("vpp-lb-stats-discover").addKeyValue("vips", n).addKeyValue("complete", complete)
                .log();
        return true;
    }

    private void logValues(long[] values) {
        for (int i = 0, a = 0; i < vips.size(); i++, a += LbCounterBatch.FIELDS) {
            CountedVip v = vips.get(i);
            log.atDebug().setMessage("vpp-lb-stats").addKeyValue("frontend", v.frontend())
                    .addKeyValue("vip", v.vip().toString()).addKeyValue("lb_index", lbIndexes[i])
                    .addKeyValue("fib_index", fibIndexes[i]).addKeyValue("first", values[a])
                    .addKeyValue("next", values[a + 1]).addKeyValue("untracked", values[a + 2])
                    .addKeyValue("no_server", values[a + 3]).addKeyValue("fib_packets", values[a + 4])
                    .addKeyValue("fib_bytes", values[a + 5]).log();
        }
    }

    private static void error(String stage, String error) {
        log.atDebug().setMessage("vpp-lb-stats-error").addKeyValue("stage", stage).addKeyValue("error", error).log();
    }

    /** Stops the loop and clears the snapshot. Idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (publishLock) {
            current.set(null);
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
