package dev.vppmaglev.vpp.lb;

import dev.vppmaglev.config.VppLbConfig;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The startup warmup (behaviour.md §5.6, §13 item 4): restart neutrality. At start every backend
 * is unknown, so every weight is 0; syncing then would empty VPP's new-flow tables and drop new
 * flows until the rise counters catch up. Phases, measured from {@code startedAt} (the process
 * start, not the first config or connection; reloads do not reset it):
 * <ol>
 *   <li>{@link Phase#HANDS_OFF} {@code [0, startup-min-delay)}: no sync touches VPP;</li>
 *   <li>{@link Phase#RELEASE} {@code [startup-min-delay, startup-max-delay)}: a frontend is
 *       released (gets one targeted sync, and from then on normal treatment) once every backend
 *       it references has left unknown; {@link #tryRelease} is the arbiter that makes it happen
 *       once although the 250 ms driver and the event path both try;</li>
 *   <li>{@link Phase#DONE} from {@code startup-max-delay}: normal; the reconciler runs one full
 *       sync for the stragglers and then calls {@link #finish()}.</li>
 * </ol>
 * Delays come from the live config at each query. {@code startup-max-delay} 0 (or below the
 * minimum) leaves no release phase: everything is released at {@code startup-min-delay}; both 0
 * disable the warmup. Thread-safe.
 */
public final class Warmup {
    /** Where the warmup stands. */
    public enum Phase {
        /** No sync touches VPP. */
        HANDS_OFF,
        /** Frontends are released one by one as their backends become known. */
        RELEASE,
        /** Normal operation (the final full sync may still be pending: see {@link #finished()}). */
        DONE
    }

    private final Instant startedAt;
    private final InstantSource clock;
    private final Supplier<VppLbConfig> config;
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private volatile boolean finished;

    /**
     * @param startedAt when the process started
     * @param clock     the time source (tests inject a manual one)
     * @param config    the live {@code maglev.vpp.lb} (for {@code startup-min-delay} and
     *                  {@code startup-max-delay})
     */
    public Warmup(Instant startedAt, InstantSource clock, Supplier<VppLbConfig> config) {
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The phase now. */
    public Phase phase() {
        if (finished) {
            return Phase.DONE;
        }
        VppLbConfig c = config.get();
        Duration min = c.startupMinDelay();
        Duration end = c.startupMaxDelay().compareTo(min) > 0 ? c.startupMaxDelay() : min;
        Duration elapsed = Duration.between(startedAt, clock.instant());
        if (elapsed.compareTo(min) < 0) {
            return Phase.HANDS_OFF;
        }
        return elapsed.compareTo(end) < 0 ? Phase.RELEASE : Phase.DONE;
    }

    /** Whether {@code frontend} may be synced: after the warmup, or once released. */
    public boolean isReleased(String frontend) {
        return finished || released.contains(frontend) || phase() == Phase.DONE;
    }

    /**
     * Releases {@code frontend}; true exactly once per frontend (the caller then runs its sync).
     * Allowed in every phase: the reconciler calls it for the release rule in
     * {@link Phase#RELEASE} and for an operator's explicit sync in any phase.
     */
    public boolean tryRelease(String frontend) {
        return !finished && released.add(frontend);
    }

    /** Ends the warmup now: every frontend counts as released from here on. Idempotent. */
    public void finish() {
        finished = true;
        released.clear();
    }

    /** Whether the warmup is over and its final full sync ran (or was not needed): readiness. */
    public boolean finished() {
        return finished;
    }

    /** Frontends released so far (empty once finished). */
    public Set<String> released() {
        return Set.copyOf(released);
    }
}
