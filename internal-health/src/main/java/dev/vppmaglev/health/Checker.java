package dev.vppmaglev.health;

import dev.vppmaglev.config.Backend;
import dev.vppmaglev.config.Config;
import dev.vppmaglev.config.Frontend;
import dev.vppmaglev.config.HealthCheck;
import dev.vppmaglev.config.HealthCheckerConfig;
import dev.vppmaglev.config.Pool;
import dev.vppmaglev.config.PoolBackend;
import dev.vppmaglev.config.VppLbConfig;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health checker: one probe loop ("worker") per backend, the rise/fall state machine, operator
 * actions, reloads, and the frontend states derived from them (behaviour.md §3, §4).
 *
 * <h2>Threads and timers</h2>
 * There is no thread per backend. Each worker is a small object with at most one pending timer
 * on the injected {@link ScheduledExecutorService} (one delay queue for all backends) and at most
 * one probe in flight. A timer task only starts a probe (the {@link Prober} returns at once); the
 * result, completed on the prober's I/O thread, is applied under the checker's lock, which also
 * schedules the next probe: {@link Intervals#next} after the result (so the interval runs from
 * the end of one probe to the start of the next). The first probe after a worker starts is
 * delayed by {@link Intervals#first} to spread thousands of backends over one fast interval.
 * Any scheduler works: a {@code ScheduledThreadPoolExecutor(1)} with
 * {@code setRemoveOnCancelPolicy(true)} (what maglevd uses: cancelled timers leave the queue at
 * once) or a Netty event loop group. The checker does not own the prober or the scheduler:
 * {@link #close()} cancels its timers but shuts neither down.
 *
 * <p>No config can stop a probe loop: delays and the probe time limit (timeout plus
 * {@link #PROBE_GRACE}) saturate at {@code Long.MAX_VALUE} ns instead of overflowing (the loader
 * bounds {@code timeout} at 1 h, a config built in code is not bounded), and an unexpected
 * exception while starting a probe or applying its result is logged as
 * {@code probe-schedule-error} (ERROR) and the loop tries again after
 * {@link #SCHEDULE_ERROR_RETRY}.
 *
 * <p>Every stop (pause, disable, removal, a reload changing the check or address, close)
 * cancels the pending timer and moves the worker to a new epoch: a probe result that arrives
 * later belongs to an old epoch and is ignored, as is any result while the state is paused,
 * disabled or removed. A prober that breaks its contract (never completes) is cut off
 * {@link #PROBE_GRACE} after the check's timeout.
 *
 * <h2>Events</h2>
 * All state changes and all {@link HealthListener} calls happen under one lock, so listeners see
 * events one at a time in causal order: {@code onProbe}, then the backend transition it caused,
 * then the frontend transitions that caused (see {@link HealthListener}). The same transitions
 * are logged: {@code backend-transition} and {@code frontend-transition} at INFO,
 * {@code probe-start} / {@code probe-done} at DEBUG. Reload notes without a transition are
 * logged only, at INFO: {@code backend-check-changed}, {@code backend-address-changed},
 * {@code frontend-weight-override-dropped}.
 *
 * <h2>Reloads</h2>
 * {@link #apply} follows behaviour.md §3.7/§3.8 for new and removed backends: new backends start
 * {@code unknown} (or {@code disabled} when YAML says {@code enabled: false}); removed backends
 * transition to {@code removed} and are dropped. A backend whose check probes the same way
 * ({@link HealthCheck#sameProbe}) keeps its worker, counter, state, history and runtime operator
 * state (paused, disabled, enabled flag). One refinement: when the YAML {@code enabled} value
 * itself changed between the old and the new file, that edit is applied like an enable/disable
 * (the operator asked for it); when it did not change, the runtime flag wins.
 *
 * <p><b>A changed address</b> (check the same) keeps the state and history too, and is logged
 * ({@code backend-address-changed}, INFO). A probing worker restarts its loop in a new epoch, so
 * the result of a probe still in flight to the old address is ignored and never judges the new
 * one; the counter goes to the edge of its band and the first probe of the new address comes
 * after {@link Intervals#prompt}, as for a changed check (next paragraph).
 *
 * <p><b>A changed check keeps the backend's state.</b> This departs on purpose from the
 * reference, which restarts the worker fresh in {@code unknown} (behaviour.md §2.4, §3.8):
 * {@code unknown} maps to effective weight 0, so a mere timeout tweak would take every backend
 * using the check, and with them whole VIPs, out of service until each first probe of the new
 * check, and operators expect a reload not to disturb traffic. Here the backend keeps its state
 * (up, down, paused), its history and its frontends' states; nothing is emitted but an INFO log
 * event {@code backend-check-changed}. A probing backend's loop restarts with the new check in
 * a new epoch (results of probes of the old check are ignored), the counter at the edge of its
 * band ({@link HealthCounter#atBandEdge}: up at {@code rise}, so one failure of the new check
 * takes it down; down at {@code rise - 1}, so one pass brings it up) and its first probe after
 * {@link Intervals#prompt} (within a second): the new check decides at once, without a weight-0
 * gap. YAML {@code enabled} stays authoritative when the check changed: {@code false} disables
 * the backend; {@code true} on a disabled backend enables it (state {@code unknown}, as
 * {@link #enable}); a paused backend stays paused and probes the new check once resumed.
 *
 * <p><b>Runtime weights survive a reload</b> as runtime enable/disable does: a
 * {@link #setWeight} is kept per (frontend, pool, backend) with the file's weight it replaced,
 * and a reload keeps it while that pool member still exists and the file still gives it that
 * same weight (the operator's change is not silently undone by an unrelated edit). When the
 * member is gone or the file's weight for it changed, the file wins: the change is dropped and
 * logged as {@code frontend-weight-override-dropped} (INFO). {@link #config()} and
 * {@link HealthListener#onConfigApplied} give the live config, runtime weights included.
 *
 * <p>{@code healthchecker.netns} goes to the prober ({@link Prober#useNetns}) before the workers
 * are touched, on the first apply and on every reload. A changed namespace is <em>not</em> a
 * changed check (behaviour.md §3.8): the checks probe the same way, only from elsewhere, so
 * workers keep their state, counter and timers and their next probes run in the new namespace
 * (a wrong namespace shows as failing probes and the normal fall count). Whether the namespace
 * could be entered is {@link #netnsStatus()}.
 */
public final class Checker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Checker.class);

    /** How long after a check's timeout a probe that never completed is declared failed. */
    public static final Duration PROBE_GRACE = Duration.ofSeconds(5);

    /**
     * When a probe could not be started or its result not applied because of an unexpected
     * exception ({@code probe-schedule-error}), the next attempt comes this long after.
     */
    public static final Duration SCHEDULE_ERROR_RETRY = Duration.ofSeconds(5);

    private static final Config EMPTY = new Config(null, HealthCheckerConfig.DEFAULTS,
            VppLbConfig.DEFAULTS, Map.of(), Map.of(), Map.of());

    private final Prober prober;
    private final ScheduledExecutorService scheduler;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    // Everything below is guarded by lock.
    /** The live config: {@link #fileConfig} with the {@link #weightOverrides} applied. */
    private Config config = EMPTY;
    /** The last config {@link #apply}ed, as the file says. */
    private Config fileConfig = EMPTY;
    /** Runtime weights ({@link #setWeight}) that differ from the file, in the order they were set. */
    private final Map<PoolMember, WeightOverride> weightOverrides = new LinkedHashMap<>();
    private final Map<String, Worker> workers = new HashMap<>();
    private Map<String, List<String>> frontendsByBackend = Map.of();
    private final Map<String, FrontendState> frontendStates = new LinkedHashMap<>();
    private boolean closed;

    /**
     * @param prober    runs the probes (shared by every backend)
     * @param scheduler holds the probe timers; not owned
     * @param clock     time stamps of results and transitions
     * @param random    jitter source ({@link Intervals})
     */
    public Checker(Prober prober, ScheduledExecutorService scheduler, InstantSource clock, RandomGenerator random) {
        this.prober = Objects.requireNonNull(prober, "prober");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    public void addListener(HealthListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(HealthListener listener) {
        listeners.remove(listener);
    }

    // ---------------------------------------------------------------------------------------------
    // Config

    /**
     * Installs {@code config}: the first call starts every worker, later calls are reloads (see the
     * class comment). Events are delivered before this returns.
     *
     * @throws IllegalArgumentException if the config references a health check or backend it does
     *                                  not define (ConfigLoader rejects such files)
     * @throws IllegalStateException    after {@link #close()}
     */
    public void apply(Config newConfig) {
        Objects.requireNonNull(newConfig, "config");
        checkReferences(newConfig);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("checker is closed");
            }
        }
        // Before the workers go on: their next probes run in the new namespace. Not under the
        // lock, entering takes a thread start and a system call or two.
        prober.useNetns(newConfig.healthchecker().netns());
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("checker is closed");
            }
            Config old = config;
            fileConfig = newConfig;
            config = withWeightOverrides(newConfig);
            frontendsByBackend = indexFrontends(newConfig);
            Instant now = clock.instant();

            List<Worker> removed = new ArrayList<>();
            for (Worker w : sortedByConfig(old)) {
                if (!newConfig.backends().containsKey(w.name)) {
                    stopProbing(w);
                    transition(w, BackendState.REMOVED, ResultCodes.REMOVED, "removed from config", now, false);
                    removed.add(w);
                }
            }
            for (Backend b : newConfig.backends().values()) {
                HealthCheck check = newConfig.healthchecks().get(b.healthcheck());
                Worker w = workers.get(b.name());
                if (w == null) {
                    start(b, check, now);
                } else if (!w.check.sameProbe(check)) {
                    checkChanged(w, b, check, now);
                } else {
                    boolean yamlEnabledBefore = w.backend.enabled();
                    boolean moved = addressChanged(w, b);
                    long epoch = w.epoch;
                    w.backend = b;
                    w.check = check;
                    if (yamlEnabledBefore != b.enabled()) {
                        if (b.enabled()) {
                            enableLocked(w, "enabled in config", now, false);
                        } else {
                            disableLocked(w, "disabled in config", now, false);
                        }
                    }
                    if (moved && w.epoch == epoch && w.state.probing()) {
                        restartInPlace(w); // a probe in flight to the old address must not count
                    }
                }
            }
            int history = newConfig.healthchecker().transitionHistory();
            for (Worker w : workers.values()) {
                while (w.history.size() > history) {
                    w.history.removeFirst();
                }
            }
            for (Worker w : removed) {
                workers.remove(w.name);
            }
            // Re-key the frontend states in the new config order; a new frontend starts from unknown.
            Map<String, FrontendState> previous = new HashMap<>(frontendStates);
            frontendStates.clear();
            for (String name : newConfig.frontends().keySet()) {
                frontendStates.put(name, previous.getOrDefault(name, FrontendState.UNKNOWN));
            }
            updateFrontends(newConfig.frontends().keySet(), now);
            Config live = config;
            emit(l -> l.onConfigApplied(live));
        }
    }

    /** A pool member of a frontend: the key of a runtime weight. */
    private record PoolMember(String frontend, String pool, String backend) {}

    /** A runtime weight and the file's weight it replaced. */
    private record WeightOverride(int fileWeight, int weight) {}

    /**
     * {@code file} with the runtime weights that still apply: an override is kept when its pool
     * member still exists and the file still gives it the weight the override replaced; otherwise
     * it is dropped ({@code frontend-weight-override-dropped}, INFO) and the file's weight rules.
     */
    private Config withWeightOverrides(Config file) {
        if (weightOverrides.isEmpty()) {
            return file;
        }
        Map<String, Frontend> frontends = new LinkedHashMap<>(file.frontends());
        Iterator<Map.Entry<PoolMember, WeightOverride>> it = weightOverrides.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<PoolMember, WeightOverride> e = it.next();
            PoolMember m = e.getKey();
            WeightOverride o = e.getValue();
            Frontend f = frontends.get(m.frontend());
            Pool p = f == null ? null : f.pool(m.pool());
            PoolBackend pb = p == null ? null : p.member(m.backend());
            if (pb != null && pb.weight() == o.fileWeight()) {
                frontends.put(m.frontend(), f.withWeight(m.pool(), m.backend(), o.weight()));
                continue;
            }
            it.remove();
            log.atInfo().setMessage("frontend-weight-override-dropped").addKeyValue("frontend", m.frontend())
                    .addKeyValue("pool", m.pool()).addKeyValue("backend", m.backend())
                    .addKeyValue("weight", o.weight())
                    .addKeyValue("reason", pb == null ? "pool member no longer in the config"
                            : "the config's weight changed from " + o.fileWeight() + " to " + pb.weight())
                    .log();
        }
        return new Config(file.source(), file.healthchecker(), file.vppLb(), file.healthchecks(), file.backends(),
                frontends);
    }

    /**
     * Where probes run: the {@code healthchecker.netns} of the last {@link #apply} and, when the
     * probes cannot run there, why (every probe then fails with {@code L4CON} and that text).
     */
    public NetnsStatus netnsStatus() {
        return prober.netnsStatus();
    }

    /**
     * The live config: the last {@link #apply}ed one with the {@link #setWeight} changes that are
     * still in force; an empty config before.
     */
    public Config config() {
        synchronized (lock) {
            return config;
        }
    }

    /**
     * Changes a pool member's configured weight in the live config at run time and recomputes the
     * frontend's state (a frontend transition is emitted if it changed, then
     * {@link HealthListener#onWeightChanged}). The change survives reloads as long as the member
     * is still in the same frontend and pool and the file still gives it the weight it had when
     * the change was made; a reload that removes the member or edits its weight drops the change
     * (logged as {@code frontend-weight-override-dropped}) and the file's weight applies. Setting
     * the file's weight again forgets the change.
     *
     * @param weight 0..100
     * @return the frontend as it is now
     * @throws UnknownNameException     no such frontend, no such pool in it, or the pool has no
     *                                  such backend
     * @throws IllegalArgumentException weight outside 0..100
     */
    public Frontend setWeight(String frontend, String pool, String backend, int weight) {
        synchronized (lock) {
            Frontend f = config.frontends().get(frontend);
            if (f == null) {
                throw new UnknownNameException("frontend", frontend);
            }
            Pool p = f.pool(pool);
            if (p == null) {
                throw new UnknownNameException("pool", pool,
                        "frontend \"" + frontend + "\" has no pool named \"" + pool + "\"");
            }
            if (p.member(backend) == null) {
                throw new UnknownNameException("backend", backend,
                        "pool \"" + pool + "\" of frontend \"" + frontend + "\" has no backend named \"" + backend + "\"");
            }
            if (weight < 0 || weight > PoolBackend.MAX_WEIGHT) {
                throw new IllegalArgumentException("weight " + weight + " out of range 0..100");
            }
            PoolMember key = new PoolMember(frontend, pool, backend);
            int fileWeight = fileConfig.frontends().get(frontend).pool(pool).member(backend).weight();
            if (weight == fileWeight) {
                weightOverrides.remove(key);
            } else {
                weightOverrides.put(key, new WeightOverride(fileWeight, weight));
            }
            Frontend updated = f.withWeight(pool, backend, weight);
            Map<String, Frontend> frontends = new LinkedHashMap<>(config.frontends());
            frontends.put(frontend, updated);
            config = new Config(config.source(), config.healthchecker(), config.vppLb(),
                    config.healthchecks(), config.backends(), frontends);
            updateFrontends(List.of(frontend), clock.instant());
            emit(l -> l.onWeightChanged(frontend, pool, backend, weight));
            return updated;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Queries

    /**
     * One backend's status. (Inside a listener's {@code removed} callback during {@link #apply}, the
     * removed backend is still visible, in state {@code removed}; afterwards it is gone.)
     *
     * @throws UnknownNameException no such backend
     */
    public BackendStatus status(String backend) {
        synchronized (lock) {
            return snapshot(existing(backend));
        }
    }

    /** Every backend's status, in config order. */
    public List<BackendStatus> statuses() {
        synchronized (lock) {
            List<BackendStatus> out = new ArrayList<>(config.backends().size());
            for (String name : config.backends().keySet()) {
                Worker w = workers.get(name);
                if (w != null) {
                    out.add(snapshot(w));
                }
            }
            return out;
        }
    }

    /**
     * One backend's state (see {@link #status} for removed backends).
     *
     * @throws UnknownNameException no such backend
     */
    public BackendState state(String backend) {
        synchronized (lock) {
            return existing(backend).state;
        }
    }

    /**
     * One consistent picture for readers that combine several parts (the gRPC API, metrics): the
     * live config and every backend's and frontend's state, taken under one lock.
     *
     * @param config    the live config (runtime weights included)
     * @param backends  every backend's state, in config order
     * @param frontends every frontend's computed state, in config order
     */
    public record View(Config config, Map<String, BackendState> backends, Map<String, FrontendState> frontends) {
        /** A backend's state; {@link BackendState#UNKNOWN} for a name not in this view. */
        public BackendState state(String backend) {
            return backends.getOrDefault(backend, BackendState.UNKNOWN);
        }
    }

    /** {@link View} of now: one lock acquisition, copies of the two state maps. */
    public View view() {
        synchronized (lock) {
            return new View(config, backendStatesLocked(), Collections.unmodifiableMap(new LinkedHashMap<>(frontendStates)));
        }
    }

    /**
     * Runs {@code action} with every frontend's current state while no transition can be
     * published (listeners are called under the same lock), so a subscriber registered inside
     * {@code action} sees the snapshot first and then every later transition, none lost or
     * reordered. {@code action} must be quick and must not call back into this checker's
     * mutators.
     */
    public <T> T withFrontendStates(java.util.function.Function<Map<String, FrontendState>, T> action) {
        synchronized (lock) {
            return action.apply(Collections.unmodifiableMap(new LinkedHashMap<>(frontendStates)));
        }
    }

    /** Every backend's state by name, in config order. */
    public Map<String, BackendState> backendStates() {
        synchronized (lock) {
            return backendStatesLocked();
        }
    }

    private Map<String, BackendState> backendStatesLocked() {
        Map<String, BackendState> out = new LinkedHashMap<>();
        for (String name : config.backends().keySet()) {
            Worker w = workers.get(name);
            if (w != null) {
                out.put(name, w.state);
            }
        }
        return out;
    }

    /**
     * One frontend's computed state ({@link Weights#frontendState} over the live config).
     *
     * @throws UnknownNameException no such frontend
     */
    public FrontendState frontendState(String frontend) {
        synchronized (lock) {
            FrontendState s = frontendStates.get(frontend);
            if (s == null) {
                throw new UnknownNameException("frontend", frontend);
            }
            return s;
        }
    }

    /** Every frontend's state, in config order. */
    public Map<String, FrontendState> frontendStates() {
        synchronized (lock) {
            return new LinkedHashMap<>(frontendStates);
        }
    }

    /**
     * The frontend's members with their effective weights right now ({@link Weights#effectiveWeights}
     * over the live config and states, taken atomically).
     *
     * @throws UnknownNameException no such frontend
     */
    public List<MemberWeight> effectiveWeights(String frontend) {
        synchronized (lock) {
            Frontend f = config.frontends().get(frontend);
            if (f == null) {
                throw new UnknownNameException("frontend", frontend);
            }
            return Weights.effectiveWeights(f, this::stateOf);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Operator actions (behaviour.md §3.7)

    /**
     * Stops probing; state {@code paused} (weight drains to 0 without flush); the result shown
     * becomes {@code paused}. Pausing a paused backend changes nothing.
     *
     * @throws UnknownNameException       no such backend
     * @throws RefusedTransitionException the backend is disabled
     */
    public BackendStatus pause(String backend) {
        synchronized (lock) {
            Worker w = worker(backend);
            if (w.state == BackendState.DISABLED) {
                throw refusedDisabled(w, "pause");
            }
            if (w.state != BackendState.PAUSED) {
                Instant now = clock.instant();
                stopProbing(w);
                w.lastResult = ProbeResult.fail(ResultCodes.PAUSED, "paused by operator", Duration.ZERO);
                w.lastProbeAt = now;
                transition(w, BackendState.PAUSED, ResultCodes.PAUSED, "paused by operator", now, true);
            }
            return snapshot(w);
        }
    }

    /**
     * Restarts probing of a paused backend: state {@code unknown} with the expedited counter
     * preset; history kept. Resuming a backend that is not paused changes nothing.
     *
     * @throws UnknownNameException       no such backend
     * @throws RefusedTransitionException the backend is disabled
     */
    public BackendStatus resume(String backend) {
        synchronized (lock) {
            Worker w = worker(backend);
            if (w.state == BackendState.DISABLED) {
                throw refusedDisabled(w, "resume");
            }
            if (w.state == BackendState.PAUSED) {
                Instant now = clock.instant();
                startProbing(w);
                transition(w, BackendState.UNKNOWN, ResultCodes.RESUMED, "resumed by operator", now, true);
            }
            return snapshot(w);
        }
    }

    /**
     * Disables the backend: probing stops, state {@code disabled} (weight 0 with flush), runtime
     * {@code enabled = false}, the result shown becomes {@code disabled}. Idempotent on the state:
     * on an already disabled backend it only sets the flag, without a transition.
     *
     * @throws UnknownNameException no such backend
     */
    public BackendStatus disable(String backend) {
        synchronized (lock) {
            Worker w = worker(backend);
            disableLocked(w, "disabled by operator", clock.instant(), true);
            return snapshot(w);
        }
    }

    /**
     * Enables a disabled backend: state {@code unknown} with the expedited preset, probing
     * restarts, runtime {@code enabled = true}; history kept. Idempotent on the state: on a backend
     * that is not disabled it only sets the flag, without a transition.
     *
     * @throws UnknownNameException no such backend
     */
    public BackendStatus enable(String backend) {
        synchronized (lock) {
            Worker w = worker(backend);
            enableLocked(w, "enabled by operator", clock.instant(), true);
            return snapshot(w);
        }
    }

    /** Cancels every timer; results still in flight are ignored. Idempotent. Owns neither prober nor scheduler. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            for (Worker w : workers.values()) {
                stopProbing(w);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Workers (all called with lock held)

    private static final class Worker {
        final String name;
        Backend backend;
        HealthCheck check;
        BackendState state = BackendState.UNKNOWN;
        boolean enabled;
        HealthCounter counter;
        ProbeResult lastResult;
        Instant lastProbeAt;
        Instant lastTransitionAt;
        final ArrayDeque<BackendTransition> history = new ArrayDeque<>();
        /** Changes whenever the probe loop stops or restarts; a result of an older epoch is stale. */
        long epoch;
        ScheduledFuture<?> timer;

        Worker(Backend backend, HealthCheck check) {
            this.name = backend.name();
            this.backend = backend;
            this.check = check;
            this.enabled = backend.enabled();
            this.counter = HealthCounter.expedited(check);
        }
    }

    private void start(Backend b, HealthCheck check, Instant now) {
        Worker w = new Worker(b, check);
        workers.put(w.name, w);
        if (b.enabled()) {
            startProbing(w);
        } else {
            disableLocked(w, "disabled in config", now, false);
        }
    }

    /**
     * A reload changed the backend's health check: the state, counter band, history and operator
     * pause are kept (no weight-0 gap, see the class comment); the loop restarts with the new check
     * at its band edge and probes promptly. YAML {@code enabled} is authoritative.
     */
    private void checkChanged(Worker w, Backend b, HealthCheck check, Instant now) {
        String before = w.check.name();
        addressChanged(w, b);
        w.backend = b;
        w.check = check;
        log.atInfo().setMessage("backend-check-changed").addKeyValue("backend", w.name)
                .addKeyValue("healthcheck", check.name()).addKeyValue("was", before)
                .addKeyValue("state", w.state.keyword()).log();
        if (!b.enabled()) {
            disableLocked(w, "disabled in config", now, false);
            w.counter = HealthCounter.expedited(check); // what an enable starts from
        } else if (w.state == BackendState.DISABLED) {
            enableLocked(w, "enabled in config", now, false); // unknown, probing the new check
        } else {
            w.enabled = true;
            if (w.state.probing()) {
                restartInPlace(w);
            } else {
                w.counter = HealthCounter.expedited(check); // paused: what a resume starts from
            }
        }
    }

    /** Whether {@code b} moves the worker to another address; logs {@code backend-address-changed} if so. */
    private static boolean addressChanged(Worker w, Backend b) {
        InetAddress from = w.backend.address();
        if (from.equals(b.address())) {
            return false;
        }
        log.atInfo().setMessage("backend-address-changed").addKeyValue("backend", w.name)
                .addKeyValue("from", NetUtil.toAddressString(from))
                .addKeyValue("to", NetUtil.toAddressString(b.address()))
                .addKeyValue("state", w.state.keyword()).log();
        return true;
    }

    /**
     * Restarts a probing worker's loop in a new epoch without a transition: the counter goes to
     * the edge of its state's band ({@link HealthCounter#atBandEdge}) and the first probe comes
     * after {@link Intervals#prompt}. Results of probes started before are ignored.
     */
    private void restartInPlace(Worker w) {
        stopProbing(w);
        w.counter = HealthCounter.atBandEdge(w.check, w.state);
        schedule(w, Intervals.prompt(w.check, random));
    }

    private void disableLocked(Worker w, String why, Instant now, boolean frontends) {
        w.enabled = false;
        if (w.state != BackendState.DISABLED) {
            stopProbing(w);
            w.lastResult = ProbeResult.fail(ResultCodes.DISABLED, why, Duration.ZERO);
            w.lastProbeAt = now;
            transition(w, BackendState.DISABLED, ResultCodes.DISABLED, why, now, frontends);
        }
    }

    private void enableLocked(Worker w, String why, Instant now, boolean frontends) {
        w.enabled = true;
        if (w.state == BackendState.DISABLED) {
            startProbing(w);
            transition(w, BackendState.UNKNOWN, ResultCodes.ENABLED, why, now, frontends);
        }
    }

    /** Presets the counter for unknown and schedules the first probe of a new epoch. */
    private void startProbing(Worker w) {
        stopProbing(w);
        w.counter = HealthCounter.expedited(w.check);
        schedule(w, Intervals.first(w.check, random));
    }

    private void stopProbing(Worker w) {
        w.epoch++;
        if (w.timer != null) {
            w.timer.cancel(false);
            w.timer = null;
        }
    }

    /**
     * Arms the worker's one timer for its next probe in the current epoch, replacing any pending
     * one. The delay saturates (see {@link Intervals#saturatedNanos}); only a scheduler that
     * refuses the task (shut down) leaves the worker without a timer, and that is logged.
     */
    private void schedule(Worker w, Duration delay) {
        if (w.timer != null) {
            w.timer.cancel(false);
            w.timer = null;
        }
        long epoch = w.epoch;
        try {
            w.timer = scheduler.schedule(() -> fire(w, epoch), Intervals.saturatedNanos(delay), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            log.atError().setMessage("probe-schedule-error").addKeyValue("backend", w.name)
                    .addKeyValue("error", String.valueOf(e)).log();
        }
    }

    /**
     * An unexpected exception while starting a probe or applying its result: logged, and the loop
     * goes on (a new attempt after {@link #SCHEDULE_ERROR_RETRY}, unless a timer is already armed
     * or the worker stopped meanwhile). Never lets a backend's probe loop die silently.
     */
    private void probeScheduleError(Worker w, long epoch, RuntimeException e) {
        log.atError().setMessage("probe-schedule-error").addKeyValue("backend", w.name)
                .addKeyValue("error", String.valueOf(e)).setCause(e).log();
        synchronized (lock) {
            if (!closed && w.epoch == epoch && w.state.probing() && w.timer == null) {
                schedule(w, SCHEDULE_ERROR_RETRY);
            }
        }
    }

    /** Timer task: start one probe (outside the lock). */
    private void fire(Worker w, long epoch) {
        try {
            startProbe(w, epoch);
        } catch (RuntimeException e) {
            probeScheduleError(w, epoch, e);
        }
    }

    private void startProbe(Worker w, long epoch) {
        HealthCheck check;
        InetAddress target;
        synchronized (lock) {
            if (closed || w.epoch != epoch || !w.state.probing()) {
                return;
            }
            w.timer = null;
            check = w.check;
            target = w.backend.address();
        }
        long limitNanos = probeLimitNanos(check);
        if (log.isDebugEnabled()) {
            log.atDebug().setMessage("probe-start").addKeyValue("backend", w.name)
                    .addKeyValue("type", check.type().keyword())
                    .addKeyValue("address", NetUtil.toAddressString(target)).log();
        }
        long started = System.nanoTime();
        CompletableFuture<ProbeResult> result;
        try {
            result = Objects.requireNonNull(prober.probe(check, target), "prober returned null");
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.orTimeout(limitNanos, TimeUnit.NANOSECONDS)
                .whenComplete((r, e) -> onResult(w, epoch, check,
                        r != null ? r : brokenProbe(check, e, System.nanoTime() - started)));
    }

    /** The check's timeout plus {@link #PROBE_GRACE} in nanoseconds, saturated at {@code Long.MAX_VALUE}. */
    static long probeLimitNanos(HealthCheck check) {
        long timeout = Intervals.saturatedNanos(check.timeout());
        long grace = PROBE_GRACE.toNanos();
        return timeout > Long.MAX_VALUE - grace ? Long.MAX_VALUE : timeout + grace;
    }

    /** Completion of a probe (on the prober's thread): apply it; an unexpected failure is logged, the loop goes on. */
    private void onResult(Worker w, long epoch, HealthCheck check, ProbeResult r) {
        try {
            applyResult(w, epoch, check, r);
        } catch (RuntimeException e) {
            probeScheduleError(w, epoch, e);
        }
    }

    private void applyResult(Worker w, long epoch, HealthCheck check, ProbeResult r) {
        if (log.isDebugEnabled()) {
            log.atDebug().setMessage("probe-done").addKeyValue("backend", w.name)
                    .addKeyValue("type", check.type().keyword()).addKeyValue("code", r.code())
                    .addKeyValue("detail", r.detail())
                    .addKeyValue("duration_ms", r.duration().toNanos() / 1e6).log();
        }
        synchronized (lock) {
            if (closed || w.epoch != epoch || !w.state.probing()) {
                log.atDebug().setMessage("probe-ignored").addKeyValue("backend", w.name)
                        .addKeyValue("state", w.state.keyword()).addKeyValue("code", r.code()).log();
                return;
            }
            Instant now = clock.instant();
            w.lastResult = r;
            w.lastProbeAt = now;
            w.counter = w.counter.record(r.ok(), w.state);
            emit(l -> l.onProbe(w.name, check, r));
            BackendState next = w.counter.probedState();
            if (w.epoch == epoch && next != w.state) {
                transition(w, next, r.code(), r.detail(), now, true);
            }
            if (!closed && w.epoch == epoch) {
                schedule(w, Intervals.next(check, w.state, w.counter, random));
            }
        }
    }

    /** The result for a prober that broke its contract (threw, failed, or never completed). */
    private static ProbeResult brokenProbe(HealthCheck check, Throwable e, long nanos) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        boolean timeout = cause instanceof TimeoutException;
        String code = switch (check.type()) {
            case ICMP -> timeout ? ResultCodes.ICMPTOUT : ResultCodes.ICMPUNR;
            case TCP -> timeout ? ResultCodes.L4TOUT : ResultCodes.L4CON;
            case HTTP, HTTPS -> timeout ? ResultCodes.L7TOUT : ResultCodes.L4CON;
        };
        String detail = timeout
                ? "probe did not finish within " + Intervals.saturatedNanos(check.timeout()) / 1_000_000 + " ms"
                : "probe error: " + cause;
        return ProbeResult.fail(code, detail, Duration.ofNanos(nanos));
    }

    private void transition(Worker w, BackendState to, String code, String detail, Instant now, boolean frontends) {
        BackendTransition t = new BackendTransition(w.name, w.state, to, code, detail, now);
        w.state = to;
        w.lastTransitionAt = now;
        w.history.addLast(t);
        int max = config.healthchecker().transitionHistory();
        while (w.history.size() > Math.max(1, max)) {
            w.history.removeFirst();
        }
        log.atInfo().setMessage("backend-transition").addKeyValue("backend", w.name)
                .addKeyValue("from", t.from().keyword()).addKeyValue("to", t.to().keyword())
                .addKeyValue("code", code).addKeyValue("detail", t.detail()).log();
        emit(l -> l.onBackendTransition(t));
        if (frontends) {
            updateFrontends(frontendsByBackend.getOrDefault(w.name, List.of()), now);
        }
    }

    /** Recomputes the named frontends' states and emits a transition for each that changed. */
    private void updateFrontends(Iterable<String> names, Instant now) {
        for (String name : names) {
            Frontend f = config.frontends().get(name);
            if (f == null) {
                continue;
            }
            FrontendState next = Weights.frontendState(f, this::stateOf);
            FrontendState prev = frontendStates.put(name, next);
            FrontendState from = prev == null ? FrontendState.UNKNOWN : prev;
            if (from != next) {
                FrontendTransition t = new FrontendTransition(name, from, next, now);
                log.atInfo().setMessage("frontend-transition").addKeyValue("frontend", name)
                        .addKeyValue("from", from.keyword()).addKeyValue("to", next.keyword()).log();
                emit(l -> l.onFrontendTransition(t));
            }
        }
    }

    private BackendState stateOf(String backend) {
        Worker w = workers.get(backend);
        return w == null ? null : w.state;
    }

    /** A backend operator actions may act on (not one being removed by the current reload). */
    private Worker worker(String backend) {
        Worker w = existing(backend);
        if (w.state == BackendState.REMOVED) {
            throw new UnknownNameException("backend", backend);
        }
        return w;
    }

    /** Any backend the checker still holds, including one in its {@code removed} callback. */
    private Worker existing(String backend) {
        Worker w = workers.get(backend);
        if (w == null) {
            throw new UnknownNameException("backend", backend);
        }
        return w;
    }

    private static RefusedTransitionException refusedDisabled(Worker w, String action) {
        return new RefusedTransitionException(w.name, w.state,
                "cannot " + action + " backend \"" + w.name + "\": it is disabled (enable it first)");
    }

    private BackendStatus snapshot(Worker w) {
        return new BackendStatus(w.name, w.backend.address(), w.backend.healthcheck(), w.state, w.enabled,
                w.counter.value(), w.counter.rise(), w.counter.fall(), w.lastResult, w.lastProbeAt,
                w.lastTransitionAt, List.copyOf(w.history),
                frontendsByBackend.getOrDefault(w.name, List.of()));
    }

    private List<Worker> sortedByConfig(Config old) {
        List<Worker> out = new ArrayList<>(workers.size());
        for (String name : old.backends().keySet()) {
            Worker w = workers.get(name);
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }

    private void emit(Consumer<HealthListener> event) {
        for (HealthListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                log.atWarn().setMessage("listener-error").addKeyValue("listener", l.getClass().getName())
                        .addKeyValue("error", String.valueOf(e)).setCause(e).log();
            }
        }
    }

    private static Map<String, List<String>> indexFrontends(Config c) {
        Map<String, List<String>> out = new HashMap<>();
        for (Frontend f : c.frontends().values()) {
            for (String b : f.backendNames()) {
                out.computeIfAbsent(b, k -> new ArrayList<>()).add(f.name());
            }
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    private static void checkReferences(Config c) {
        for (Backend b : c.backends().values()) {
            if (!c.healthchecks().containsKey(b.healthcheck())) {
                throw new IllegalArgumentException("backend \"" + b.name() + "\" references unknown health check \""
                        + b.healthcheck() + "\"");
            }
        }
        for (Frontend f : c.frontends().values()) {
            for (String b : f.backendNames()) {
                if (!c.backends().containsKey(b)) {
                    throw new IllegalArgumentException("frontend \"" + f.name() + "\" references unknown backend \""
                            + b + "\"");
                }
            }
        }
    }
}
