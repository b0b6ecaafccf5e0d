package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.health.BackendState;
import dev.vppmaglev.health.BackendTransition;
import dev.vppmaglev.health.Checker;
import dev.vppmaglev.health.HealthListener;
import dev.vppmaglev.health.UnknownNameException;
import dev.vppmaglev.vpp.VppConnection;
import dev.vppmaglev.vpp.VppConnectionListener;
import dev.vppmaglev.vpp.VppSession;
import dev.vppmaglev.vpp.api.VppNotConnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Keeps VPP's lb table equal to the config and the live backend health: the single path from
 * health to VPP (behaviour.md §5.4). See the package documentation for the algorithm, the cache
 * and the warmup.
 *
 * <h2>Threads</h2>
 * Every sync runs on one platform thread ({@code vpp-lbsync}), in order; requests from the
 * checker's listeners, the connection and the timers only queue work there (coalesced, see
 * {@link SyncQueue}). Operator calls ({@link #syncAll()}, {@link #syncFrontend(String)}) run there
 * too and block the caller until done.
 *
 * <h2>Triggers</h2>
 * <ul>
 *   <li>every VPP (re)connect: a full sync, which starts with {@code lb_conf} (deduplicated);</li>
 *   <li>every {@code maglev.vpp.lb.sync-interval} (live config; a reload that changes it
 *       reschedules): a full sync, which also repairs drift;</li>
 *   <li>{@link HealthListener#onConfigApplied} (start and reload): a full sync;</li>
 *   <li>a backend transition: a sync of each frontend that references the backend;</li>
 *   <li>{@link HealthListener#onWeightChanged}: a sync of that frontend;</li>
 *   <li>a failed call or read: the cache is dropped and a full sync follows after 1 s, then 2 s,
 *       4 s ... up to the sync interval while failures repeat;</li>
 *   <li>the operator ({@code SyncVPPLBState}).</li>
 * </ul>
 * While VPP is down, background requests are dropped (the reconnect's full sync covers them) and
 * operator requests fail with {@link VppNotConnectedException}.
 *
 * <h2>lb indexes</h2>
 * After each sync that may have changed them the lb indexes of the cache go to the
 * {@link LbIndexListener} (see the package documentation), on the sync thread.
 *
 * <h2>Lifecycle</h2>
 * Construct, {@link #start()} once the checker has its first config, {@link #close()} on
 * shutdown (before closing the connection and the checker).
 */
public final class LbReconciler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LbReconciler.class);

    /** Period of the warmup driver that releases frontends (behaviour.md §5.6). */
    public static final Duration WARMUP_TICK = Duration.ofMillis(250);
    /** First delay of the repair full sync after a failure; doubles up to the sync interval. */
    public static final Duration REPAIR_MIN_DELAY = Duration.ofSeconds(1);

    private final VppConnection connection;
    private final Checker checker;
    private final LbSyncObserver observer;
    private final LbIndexListener indexListener;
    private final Warmup warmup;
    private final ScheduledExecutorService executor;
    private final SyncQueue queue;
    private final CliParseWarnings cliWarnings = new CliParseWarnings();
    private final LbSyncEngine engine = new LbSyncEngine(cliWarnings);
    private final HealthListener healthListener = new HealthEvents();
    private final VppConnectionListener connectionListener = new ConnectionEvents();

    private volatile VppSession session;
    private volatile boolean closed;
    private volatile Index index = new Index(null, Map.of());
    private boolean started; // guarded by this
    // sync thread only
    private ScheduledFuture<?> periodic;
    private Duration periodicInterval;
    private ScheduledFuture<?> driver;
    private boolean repairPending;
    private Duration repairDelay = REPAIR_MIN_DELAY;
    private VppSession indexesPublishedFor; // with indexesPublishedVersion: what the index listener last got
    private long indexesPublishedVersion = -1;

    /**
     * @param connection the shared VPP connection (its listener tells us about sessions)
     * @param checker    live config, backend states and their events
     * @param observer   counts of every sync ({@code maglev_vpp_lbsync_total})
     * @param clock      time source of the warmup (tests inject a manual one)
     * @param startedAt  when the process started: the warmup is measured from here
     */
    public LbReconciler(VppConnection connection, Checker checker, LbSyncObserver observer, InstantSource clock,
                        Instant startedAt) {
        this(connection, checker, observer, LbIndexListener.NONE, clock, startedAt);
    }

    /**
     * @param connection    the shared VPP connection (its listener tells us about sessions)
     * @param checker       live config, backend states and their events
     * @param observer      counts of every sync ({@code maglev_vpp_lbsync_total})
     * @param indexListener told the lb indexes after each sync that may have changed them (the
     *                      counters scrape)
     * @param clock         time source of the warmup (tests inject a manual one)
     * @param startedAt     when the process started: the warmup is measured from here
     */
    public LbReconciler(VppConnection connection, Checker checker, LbSyncObserver observer,
                        LbIndexListener indexListener, InstantSource clock, Instant startedAt) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.checker = Objects.requireNonNull(checker, "checker");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.indexListener = Objects.requireNonNull(indexListener, "indexListener");
        this.warmup = new Warmup(startedAt, clock, () -> checker.config().vppLb());
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "vpp-lbsync");
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = ex;
        this.queue = new SyncQueue(ex, new Runner());
    }

    /**
     * Registers with the checker and the connection and starts the timers. Call once, after the
     * checker's first {@link Checker#apply}: syncs use {@link Checker#config()}. Idempotent.
     */
    public void start() {
        synchronized (this) {
            if (started || closed) {
                return;
            }
            started = true;
        }
        checker.addListener(healthListener);
        queue.execute(() -> {
            reschedulePeriodic();
            if (warmup.phase() == Warmup.Phase.DONE) {
                warmup.finish(); // no warmup (both delays 0, or started late): nothing to hold back
            } else {
                log.atInfo().setMessage("vpp-lbsync-warmup")
                        .addKeyValue("phase", warmup.phase().name().toLowerCase(java.util.Locale.ROOT))
                        .addKeyValue("startup_min_delay_ms", checker.config().vppLb().startupMinDelay().toMillis())
                        .addKeyValue("startup_max_delay_ms", checker.config().vppLb().startupMaxDelay().toMillis())
                        .log();
                long ms = WARMUP_TICK.toMillis();
                driver = executor.scheduleWithFixedDelay(this::warmupTick, ms, ms, TimeUnit.MILLISECONDS);
            }
        });
        connection.addListener(connectionListener);
    }

    // ---- operator API ------------------------------------------------------------------------

    /**
     * A full sync now (behaviour.md §5.4 {@code SyncLBStateAll}): every frontend, and every VIP
     * not in the config is removed. Ends the startup warmup (the operator asked for it). Blocks
     * until done.
     *
     * @throws VppNotConnectedException when VPP is not connected
     * @throws LbSyncException          when VPP refused or did not answer some calls
     * @throws IllegalStateException    before the checker has a config
     */
    public SyncResult syncAll() {
        requireSession();
        return await(queue.submitAll(() -> {
            VppSession s = requireSession();
            Instant t0 = Instant.now();
            Config config = checker.config();
            if (noConfigYet(config)) {
                throw new IllegalStateException("maglevd has no config yet; nothing to sync");
            }
            warmup.finish();
            LbSyncEngine.Outcome o = engine.syncAll(s, config, states(), f -> true, true);
            return finish(LbSyncObserver.SCOPE_ALL, "operator", o, "sync of all frontends", t0);
        }));
    }

    /**
     * A sync of one frontend's VIP now ({@code SyncLBStateVIP}); never removes VIPs. Releases the
     * frontend from the startup warmup (the operator asked for it). Blocks until done.
     *
     * @throws UnknownNameException     no such frontend in the live config
     * @throws VppNotConnectedException when VPP is not connected
     * @throws LbSyncException          when VPP refused or did not answer some calls
     */
    public SyncResult syncFrontend(String frontend) {
        Objects.requireNonNull(frontend, "frontend");
        if (!checker.config().frontends().containsKey(frontend)) {
            throw new UnknownNameException("frontend", frontend);
        }
        requireSession();
        return await(queue.submitVip(frontend, () -> {
            VppSession s = requireSession();
            Instant t0 = Instant.now();
            warmup.tryRelease(frontend);
            LbSyncEngine.Outcome o = engine.syncVip(s, checker.config(), this::stateOrUnknown, frontend);
            return finish(LbSyncObserver.SCOPE_VIP, "operator", o, "sync of frontend " + frontend, t0);
        }));
    }

    /**
     * Queues a sync of {@code frontend} without waiting (coalesced; subject to the warmup;
     * dropped while VPP is down). {@link HealthListener#onWeightChanged} already does this for
     * runtime weight changes.
     */
    public void requestSync(String frontend) {
        frontendEvent(Objects.requireNonNull(frontend, "frontend"), "request");
    }

    /**
     * A fresh read of VPP's lb table for {@code GetVPPLBState}, each VIP labelled with its
     * frontend (never the cache). Runs on the caller's thread.
     *
     * @throws VppNotConnectedException when VPP is not connected
     * @throws dev.vppmaglev.vpp.api.VppException when the read fails
     */
    public LbState readState() {
        return LbStateReader.read(requireSession(), checker.config(), cliWarnings);
    }

    /** Whether the startup warmup is over (its final full sync ran or VPP was down then): for readiness. */
    public boolean warmupDone() {
        return warmup.finished();
    }

    /** The warmup's phase now. */
    public Warmup.Phase warmupPhase() {
        return warmup.phase();
    }

    /**
     * Whether the connected VPP lacks the lb v2 messages, so the reconciler runs on the v1
     * messages (spec README "VPP compatibility"); false when not connected.
     * {@link VppConnection} logs {@code vpp-lb-degraded} once per connection with the reason.
     */
    public boolean degraded() {
        VppSession s = session;
        return s != null && !s.info().lbV2Supported();
    }

    /** Stops the timers and the sync thread (a sync in progress finishes first, up to 10 s). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        checker.removeListener(healthListener);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    // ---- on the sync thread ------------------------------------------------------------------

    private final class Runner implements SyncQueue.Runner {
        @Override
        public void runAll(String trigger) {
            VppSession s = session;
            if (s == null || closed) {
                log.atDebug().setMessage("vpp-lbsync-skipped").addKeyValue("scope", "all")
                        .addKeyValue("trigger", trigger).addKeyValue("reason", "VPP not connected").log();
                return;
            }
            Config config = checker.config();
            if (noConfigYet(config)) {
                // started before the checker's first apply: an empty "config" would delete every VIP
                log.atWarn().setMessage("vpp-lbsync-skipped").addKeyValue("scope", "all")
                        .addKeyValue("trigger", trigger).addKeyValue("reason", "the checker has no config yet").log();
                return;
            }
            Warmup.Phase phase = warmup.phase();
            if (phase == Warmup.Phase.HANDS_OFF) {
                log.atDebug().setMessage("vpp-lbsync-suppressed").addKeyValue("scope", "all")
                        .addKeyValue("trigger", trigger).addKeyValue("phase", "hands-off").log();
                return;
            }
            Instant t0 = Instant.now();
            boolean normal = phase == Warmup.Phase.DONE;
            LbSyncEngine.Outcome o = engine.syncAll(s, config, states(), normal ? f -> true : warmup::isReleased,
                    normal);
            record(LbSyncObserver.SCOPE_ALL, trigger, o, t0);
        }

        @Override
        public void runVip(String frontend, String trigger) {
            VppSession s = session;
            if (s == null || closed) {
                return;
            }
            Config config = checker.config();
            if (!config.frontends().containsKey(frontend)) {
                log.atDebug().setMessage("vpp-lbsync-skipped").addKeyValue("scope", "vip")
                        .addKeyValue("frontend", frontend).addKeyValue("reason", "no longer in the config").log();
                return;
            }
            Instant t0 = Instant.now();
            // one state per member, not a copy of every backend's state (thousands of backends)
            LbSyncEngine.Outcome o = engine.syncVip(s, config, LbReconciler.this::stateOrUnknown, frontend);
            record(LbSyncObserver.SCOPE_VIP, trigger, o, t0);
        }
    }

    /** Background sync done: observe, log, publish the lb indexes, and on failure schedule the repair. */
    private void record(String scope, String trigger, LbSyncEngine.Outcome o, Instant t0) {
        publishIndexes(); // before the observer: whoever sees the sync counted sees its indexes handed over
        observer.onSync(scope, o.result());
        logDone(scope, trigger, o, t0);
        if (!o.ok()) {
            scheduleRepair();
        } else if (scope.equals(LbSyncObserver.SCOPE_ALL)) {
            repairDelay = REPAIR_MIN_DELAY;
        }
    }

    /** Operator sync done: as {@link #record}, then the result or an exception. */
    private SyncResult finish(String scope, String trigger, LbSyncEngine.Outcome o, String what, Instant t0) {
        record(scope, trigger, o, t0);
        if (!o.ok()) {
            throw new LbSyncException(what, o.result(), o.errors().size(), o.errors().getFirst());
        }
        return o.result();
    }

    private static void logDone(String scope, String trigger, LbSyncEngine.Outcome o, Instant t0) {
        SyncResult r = o.result();
        var b = r.isEmpty() && o.ok() ? log.atDebug() : log.atInfo();
        b.setMessage("vpp-lbsync-done").addKeyValue("scope", scope).addKeyValue("trigger", trigger)
                .addKeyValue("vip_added", r.vipAdded()).addKeyValue("vip_removed", r.vipRemoved())
                .addKeyValue("as_added", r.asAdded()).addKeyValue("as_removed", r.asRemoved())
                .addKeyValue("as_weight_updated", r.asWeightUpdated()).addKeyValue("errors", o.errors().size())
                .addKeyValue("duration_ms", Duration.between(t0, Instant.now()).toMillis()).log();
    }

    /**
     * Tells the index listener what the cache knows of the lb indexes, when that may have changed
     * since it was last told: after every read and every VIP add or delete; after a failure that
     * they are unknown (VPP may have applied a call that timed out, moving a VIP unnoticed).
     */
    private void publishIndexes() {
        VppSession s = session;
        if (s == null) {
            return; // the disconnect told the counters already
        }
        long version = engine.indexVersion();
        if (s == indexesPublishedFor && version == indexesPublishedVersion) {
            return;
        }
        indexesPublishedFor = s;
        indexesPublishedVersion = version;
        try {
            if (engine.cacheValid(s)) {
                indexListener.onLbIndexes(s, engine.lbIndexes());
            } else {
                indexListener.onLbIndexesUnknown(s);
            }
        } catch (RuntimeException e) {
            log.atWarn().setMessage("vpp-lbsync-error").addKeyValue("op", "index-listener")
                    .addKeyValue("error", e.toString()).setCause(e).log();
        }
    }

    private void scheduleRepair() {
        if (repairPending || closed) {
            return;
        }
        repairPending = true;
        Duration delay = repairDelay;
        Duration cap = checker.config().vppLb().syncInterval();
        repairDelay = delay.multipliedBy(2).compareTo(cap) > 0 ? cap : delay.multipliedBy(2);
        log.atInfo().setMessage("vpp-lbsync-repair-scheduled").addKeyValue("in_ms", delay.toMillis()).log();
        executor.schedule(() -> {
            repairPending = false;
            queue.requestAll("repair");
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reschedulePeriodic() {
        Duration interval = checker.config().vppLb().syncInterval();
        if (interval.equals(periodicInterval) && periodic != null) {
            return;
        }
        if (periodic != null) {
            periodic.cancel(false);
        }
        periodicInterval = interval;
        long ms = Math.max(1, interval.toMillis());
        periodic = executor.scheduleWithFixedDelay(() -> queue.requestAll("periodic"), ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * The warmup driver: releases frontends whose backends are known; at the end, the final full
     * sync. Runs on the scheduler, outside {@link SyncQueue}'s guard: an exception here would
     * cancel the periodic task and leave the warmup (and readiness) unfinished forever, so every
     * tick is guarded, and once the phase is DONE the warmup is finished even if the final sync
     * throws.
     */
    private void warmupTick() {
        try {
            warmupStep();
        } catch (RuntimeException e) {
            log.atError().setMessage("vpp-lbsync-error").addKeyValue("op", "warmup")
                    .addKeyValue("error", e.toString()).setCause(e).log();
        }
    }

    private void warmupStep() {
        if (warmup.finished()) { // ended early by an operator's full sync: nothing left to do
            cancelDriver();
            return;
        }
        Warmup.Phase phase = warmup.phase();
        if (phase == Warmup.Phase.HANDS_OFF) {
            return;
        }
        if (phase == Warmup.Phase.RELEASE) {
            Config config = checker.config();
            Map<String, BackendState> states = checker.backendStates();
            for (Frontend f : config.frontends().values()) {
                if (!warmup.isReleased(f.name()) && allKnown(f, states::get) && warmup.tryRelease(f.name())) {
                    release(f.name(), "warmup-driver");
                }
            }
            return;
        }
        cancelDriver();
        boolean connected = session != null;
        try {
            if (connected) {
                new Runner().runAll("warmup-end");
            }
        } finally {
            warmup.finish();
            log.atInfo().setMessage("vpp-lbsync-warmup-done").addKeyValue("vpp_connected", connected).log();
        }
    }

    private void cancelDriver() {
        if (driver != null) {
            driver.cancel(false);
            driver = null;
        }
    }

    private void release(String frontend, String by) {
        log.atInfo().setMessage("vpp-lbsync-warmup-release").addKeyValue("frontend", frontend).addKeyValue("by", by)
                .log();
        if (session != null) {
            queue.requestVip(frontend, "warmup-release");
        }
    }

    // ---- event side (checker and connection threads) -----------------------------------------

    /** A frontend needs a sync: gate by the warmup, then queue. */
    private void frontendEvent(String frontend, String why) {
        if (closed || session == null) {
            return; // the reconnect's full sync covers it
        }
        Warmup.Phase phase = warmup.phase();
        if (phase == Warmup.Phase.DONE || warmup.isReleased(frontend)) {
            queue.requestVip(frontend, why);
            return;
        }
        if (phase == Warmup.Phase.RELEASE) {
            Frontend f = checker.config().frontends().get(frontend);
            if (f != null && allKnown(f, this::stateOrUnknown) && warmup.tryRelease(frontend)) {
                release(frontend, why);
                return;
            }
        }
        log.atDebug().setMessage("vpp-lbsync-suppressed").addKeyValue("scope", "vip").addKeyValue("frontend", frontend)
                .addKeyValue("trigger", why).addKeyValue("phase", phase == Warmup.Phase.HANDS_OFF ? "hands-off" : "release")
                .log();
    }

    private BackendState stateOrUnknown(String backend) {
        try {
            return checker.state(backend);
        } catch (UnknownNameException e) {
            return BackendState.UNKNOWN;
        }
    }

    private static boolean allKnown(Frontend f, Function<String, BackendState> states) {
        for (String b : f.backendNames()) {
            BackendState s = states.apply(b);
            if (s == null || s == BackendState.UNKNOWN) {
                return false;
            }
        }
        return true;
    }

    private final class HealthEvents implements HealthListener {
        @Override
        public void onBackendTransition(BackendTransition t) {
            for (String f : frontendsUsing(t.backend())) {
                frontendEvent(f, "backend " + t.backend() + " " + t.from().keyword() + "->" + t.to().keyword());
            }
        }

        @Override
        public void onConfigApplied(Config config) {
            queue.execute(LbReconciler.this::reschedulePeriodic);
            if (!closed && session != null) {
                queue.requestAll("reload");
            }
        }

        @Override
        public void onWeightChanged(String frontend, String pool, String backend, int weight) {
            frontendEvent(frontend, "weight " + pool + "/" + backend + "=" + weight);
        }
    }

    private final class ConnectionEvents implements VppConnectionListener {
        @Override
        public void onConnected(VppSession s) {
            if (closed) {
                return;
            }
            session = s;
            queue.execute(() -> {
                if (session != s) {
                    return; // superseded by a newer session
                }
                engine.invalidate();
                queue.requestAll("connect"); // lb_conf first, then the table (held back during hands-off)
            });
        }

        @Override
        public void onDisconnected(String reason) {
            session = null;
            queue.execute(engine::invalidate);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Frontends referencing {@code backend}, from an index rebuilt when the live config changes. */
    private List<String> frontendsUsing(String backend) {
        Config c = checker.config();
        Index i = index;
        if (i.config != c) {
            Map<String, List<String>> m = new HashMap<>();
            for (Frontend f : c.frontends().values()) {
                for (String b : f.backendNames()) {
                    m.computeIfAbsent(b, k -> new ArrayList<>(2)).add(f.name());
                }
            }
            i = new Index(c, m);
            index = i;
        }
        return i.frontendsByBackend.getOrDefault(backend, List.of());
    }

    private record Index(Config config, Map<String, List<String>> frontendsByBackend) {}

    /**
     * The checker's placeholder before its first {@link Checker#apply}: nothing defined, no file.
     * (A loaded config always names its file.)
     */
    private static boolean noConfigYet(Config c) {
        return c.source() == null && c.frontends().isEmpty() && c.backends().isEmpty() && c.healthchecks().isEmpty();
    }

    private Function<String, BackendState> states() {
        return checker.backendStates()::get;
    }

    private VppSession requireSession() {
        if (closed) {
            throw new VppNotConnectedException("the lb reconciler is closed");
        }
        VppSession s = session;
        if (s == null) {
            throw new VppNotConnectedException("not connected to VPP");
        }
        return s;
    }

    private static SyncResult await(CompletableFuture<SyncResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VppNotConnectedException("interrupted while waiting for the sync");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
