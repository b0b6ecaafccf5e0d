package dev.vppmaglev.vpp.counters;

import dev.vppmaglev.vpp.StatsSessionPart;
import dev.vppmaglev.vpp.VppConnection;
import dev.vppmaglev.vpp.VppConnectionListener;
import dev.vppmaglev.vpp.VppSession;
import dev.vppmaglev.vpp.api.LbApi;
import dev.vppmaglev.vpp.api.VppException;
import dev.vppmaglev.vpp.api.cli.CliVip;
import dev.vppmaglev.vpp.api.cli.ShowLbVipsParser;
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
 * Each VIP needs its lb index (its pool index) and the FIB stats index of its host route. Two
 * sources, cheapest first:
 * <ol>
 *   <li><b>The reconciler</b> ({@link #lbIndexes}): after every read of the lb table (every full
 *       sync: connect, reload, every {@code sync-interval}, repair) and every VIP it adds or
 *       deletes, it hands over every live VIP's lb index (-1 when it created the VIP since its
 *       last read). A VIP it does not list is not in VPP: it reads 0 and costs nothing until the
 *       reconciler creates it. This keeps the indexes right with no CLI scrape of the loop's own
 *       — including a VIP that moved unnoticed (a recreate whose calls timed out though VPP
 *       applied them) — within one full sync. {@code ip_route_lookup} (exact, once per prefix)
 *       runs only for VIPs whose lb index changed.</li>
 *   <li><b>Its own lookup</b>: {@code show lb vips verbose} (the {@code [N]} of the VIP's block,
 *       matched by prefix, protocol and port; removed VIPs are skipped, vpp-wire.md §5.3; a block
 *       that does not parse is skipped) plus {@code ip_route_lookup} for every present VIP. It
 *       runs on the first cycle of a session, after a change of the configured VIP set, after
 *       {@link #invalidate()} (the reconciler's failed syncs), and for VIPs the reconciler
 *       reported with an unknown index. While it leaves VIPs unresolved (not in VPP yet, a block
 *       that does not parse, no route) it is retried with exponential back-off: the next cycle,
 *       then 2, 4, 8 ... cycles later, at most {@link #MAX_DISCOVERY_BACKOFF} apart — never a 2 MB
 *       text every cycle for a warmup against an empty VPP. New information (a hand-over, an
 *       invalidate, a new VIP set or session) resets the back-off.</li>
 * </ol>
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
    private static final String SHOW_LB_VIPS_VERBOSE = "show lb vips verbose";

    /** The reference's scrape period. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** The longest wait between two of the loop's own index lookups while some VIP is unresolved. */
    public static final Duration MAX_DISCOVERY_BACKOFF = Duration.ofSeconds(60);

    /** The reconciler's lb indexes of one session (see {@link #lbIndexes}). */
    private record Offered(VppSession session, Map<LbVip, Integer> indexes) {}

    private final VppConnection vpp;
    private final StatsSessionPart stats;
    private final Supplier<? extends Collection<CountedVip>> source;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final AtomicReference<CountersSnapshot> current = new AtomicReference<>();
    private final AtomicBoolean invalidated = new AtomicBoolean();
    private final AtomicReference<Offered> offered = new AtomicReference<>();
    private final int maxBackoffCycles;
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
    private long seenGeneration = -1;
    private int[] lbIndexes = new int[0];
    private int[] fibIndexes = new int[0];
    /** Per VIP: its indexes are not known (yet): the loop's own lookup should find them. */
    private boolean[] unresolved = new boolean[0];
    /** The indexes are not usable at all (new session, new VIP set, invalidated) until looked up. */
    private boolean mustDiscover = true;
    /** Cycles until the next own lookup while some VIP is unresolved (0: this cycle). */
    private int retryIn;
    /** The gap after the next incomplete lookup, in cycles (doubles up to maxBackoffCycles). */
    private int backoff = 1;
    private Offered applied;
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
        long cycles = -Math.floorDiv(-MAX_DISCOVERY_BACKOFF.toNanos(), interval.toNanos()); // ceil
        this.maxBackoffCycles = (int) Math.max(1, Math.min(cycles, 1 << 20));
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
     * Tells the loop that VIPs may have been added to, deleted from or moved in VPP without it
     * knowing where (wire {@code LbIndexListener.onLbIndexesUnknown} here: a sync that failed): the
     * next cycle looks every VIP's lb index and FIB stats index up again, and a hand-over from
     * before this call is dropped. Cheap; many calls before the next cycle cost one lookup.
     */
    public void invalidate() {
        offered.set(null);
        invalidated.set(true);
    }

    /**
     * The reconciler's picture of {@code session}'s lb table (wire
     * {@code LbIndexListener.onLbIndexes} here): every live VIP with its lb index, -1 when not
     * known; a VIP that is not a key is not in VPP. Taken over by the next cycle when
     * {@code session} is still the current one; a newer call replaces an older one. Cheap.
     *
     * @param indexes lb index by VIP key (copied)
     */
    public void lbIndexes(VppSession session, Map<LbVip, Integer> indexes) {
        Objects.requireNonNull(session, "session");
        offered.set(new Offered(session, Map.copyOf(indexes)));
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
                forgetIndexes(true);
                applied = null; // the last hand-over covers the new VIPs too
            }
        }
        if (generation != seenGeneration) {
            seenGeneration = generation;
            forgetIndexes(true);
            applied = null;
        }
        if (invalidated.getAndSet(false)) {
            forgetIndexes(false);
        }
        Offered o = offered.get();
        if (o != null && o != applied && vpp.session().orElse(null) == o.session()) {
            applied = o;
            take(o);
        }
        if (anyUnresolved()) {
            if (retryIn > 0) {
                retryIn--;
            }
            if (retryIn == 0) {
                boolean looked = discover();
                if (anyUnresolved()) {
                    retryIn = backoff;
                    backoff = Math.min(backoff * 2, maxBackoffCycles);
                }
                if (!looked && mustDiscover) {
                    return null; // nothing usable: keep the previous snapshot
                }
            } else if (mustDiscover) {
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
     * Marks every VIP unresolved and due for a lookup now (back-off reset).
     *
     * @param clear also forget the indexes (new session or VIP set: they are meaningless); else
     *              they are kept until the lookup replaces them (the previous snapshot stays)
     */
    private void forgetIndexes(boolean clear) {
        int n = vips.size();
        if (clear || lbIndexes.length != n) {
            lbIndexes = filled(n);
            fibIndexes = filled(n);
            batch = null;
        }
        unresolved = new boolean[n];
        Arrays.fill(unresolved, true);
        mustDiscover = n > 0;
        retryIn = 0;
        backoff = 1;
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    private boolean anyUnresolved() {
        for (boolean u : unresolved) {
            if (u) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes over the reconciler's indexes: a listed index is used (its route looked up when it
     * changed), an unlisted VIP is not in VPP (reads 0, nothing to look up), a VIP listed with -1
     * is looked up by the loop now. New information: the back-off starts over.
     */
    private void take(Offered o) {
        int n = vips.size();
        boolean[] needRoute = new boolean[n];
        boolean[] unknown = new boolean[n];
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            Integer index = o.indexes().get(vips.get(i).vip());
            int lb = index == null ? -1 : index;
            if (lb != lbIndexes[i]) {
                changed = true;
                lbIndexes[i] = lb;
                fibIndexes[i] = -1; // a recreated VIP may have a new host route
            }
            needRoute[i] = lb >= 0 && fibIndexes[i] < 0;
            unknown[i] = index != null && lb < 0;
        }
        if (changed) {
            batch = null;
        }
        try {
            lookUpRoutes(vpp.lb(), needRoute);
        } catch (VppException | ExecutionException e) {
            error("routes", message(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < n; i++) {
            unresolved[i] = unknown[i] || (lbIndexes[i] >= 0 && fibIndexes[i] < 0);
        }
        mustDiscover = false;
        retryIn = 0;
        backoff = 1;
        log.atDebug().setMessage("vpp-lb-stats-discover").addKeyValue("source", "reconciler").addKeyValue("vips", n)
                .addKeyValue("changed", changed).addKeyValue("complete", !anyUnresolved()).log();
    }

    /**
     * The loop's own lookup, for the unresolved VIPs: their lb index from {@code show lb vips
     * verbose} (blocks that do not parse are skipped: those VIPs stay unresolved) and the routes of
     * the present ones. VIPs already resolved (by an earlier lookup or the reconciler) are left
     * alone. False (and logged) when VPP could not be asked; the indexes are then unchanged.
     */
    private boolean discover() {
        int n = vips.size();
        LbApi api = vpp.lb();
        int[] oldLb = lbIndexes.clone();
        int[] oldFib = fibIndexes.clone();
        try {
            Map<LbVip, Integer> byKey = new HashMap<>();
            ShowLbVipsParser.BestEffort parsed = ShowLbVipsParser.parseVerboseBestEffort(
                    api.cliInband(SHOW_LB_VIPS_VERBOSE).get());
            for (CliVip c : parsed.vips()) {
                if (!c.removed()) {
                    byKey.put(c.key(), c.index());
                }
            }
            if (!parsed.errors().isEmpty()) {
                error("discover", parsed.errors().size() + " VIP block(s) of '" + SHOW_LB_VIPS_VERBOSE
                        + "' did not parse, first: " + parsed.errors().getFirst().getMessage());
            }
            boolean[] needRoute = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (unresolved[i]) {
                    Integer index = byKey.get(vips.get(i).vip());
                    lbIndexes[i] = index == null ? -1 : index;
                    fibIndexes[i] = -1;
                    needRoute[i] = lbIndexes[i] >= 0;
                }
            }
            lookUpRoutes(api, needRoute);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lbIndexes = oldLb;
            fibIndexes = oldFib;
            return false;
        } catch (VppException | ExecutionException e) {
            error("discover", message(e));
            lbIndexes = oldLb;
            fibIndexes = oldFib;
            return false;
        }
        for (int i = 0; i < n; i++) {
            unresolved[i] &= lbIndexes[i] < 0 || fibIndexes[i] < 0;
        }
        batch = null;
        mustDiscover = false;
        log.atDebug().setMessage("vpp-lb-stats-discover").addKeyValue("source", "cli").addKeyValue("vips", n)
                .addKeyValue("complete", !anyUnresolved()).log();
        return true;
    }

    /** {@code ip_route_lookup} (exact, once per prefix, pipelined) for the VIPs marked; into {@link #fibIndexes}. */
    private void lookUpRoutes(LbApi api, boolean[] which) throws ExecutionException, InterruptedException {
        Map<Prefix, CompletableFuture<Optional<IpRoute>>> routes = new LinkedHashMap<>();
        for (int i = 0; i < which.length; i++) {
            if (which[i]) {
                routes.computeIfAbsent(vips.get(i).vip().pfx(), p -> api.ipRouteLookup(p, true));
            }
        }
        if (routes.isEmpty()) {
            return;
        }
        for (int i = 0; i < which.length; i++) {
            if (which[i]) {
                fibIndexes[i] = routes.get(vips.get(i).vip().pfx()).get().map(IpRoute::statsIndex).orElse(-1);
            }
        }
        batch = null;
    }

    private static String message(Exception e) {
        if (e instanceof ExecutionException x) {
            VppException v = VppException.unwrap(x);
            return v != null ? v.getMessage() : String.valueOf(x.getCause());
        }
        return e.getMessage();
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
